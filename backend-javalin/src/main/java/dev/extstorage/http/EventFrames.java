package dev.extstorage.http;

import dev.extstorage.model.ResourceRef;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.extstorage.events.ChangeEvent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The text of the event stream ({@code text/event-stream}, README "Events"): a change is
 * {@code id: <id>\nevent: change\ndata: {"tier","scope","key","version","value","deleted"}\n\n}, the value
 * left out when deleted or above 64 KiB, and {@code "resource": {"type","uuid"}} for a resource entry ({@link
 * ResourceJson}). A change's frame is made once and shared by every stream it goes to.
 */
final class EventFrames {
    static final byte[] HEARTBEAT = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);
    static final byte[] RESET = "event: reset\ndata: {}\n\n".getBytes(StandardCharsets.UTF_8);
    private static final JsonFactory JSON = new JsonFactory();
    /** The last frame made: the dispatch thread hands one event to every stream in turn. */
    private static volatile Cached last;

    private record Cached(ChangeEvent event, byte[] frame) {
    }

    private EventFrames() {
    }

    static byte[] change(ChangeEvent e) {
        Cached c = last;
        if (c != null && c.event == e) {
            return c.frame;
        }
        byte[] frame = encode(e);
        last = new Cached(e, frame);
        return frame;
    }

    /** A frame that only sets the client's last event id (no event is dispatched for it). */
    static byte[] position(String id) {
        return ("id: " + id + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** A reset that also tells where the stream goes on from. */
    static byte[] resetAt(String id) {
        return ("id: " + id + "\nevent: reset\ndata: {}\n\n").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] encode(ChangeEvent e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128 + (e.valueJson() == null ? 0 : e.valueJson().length()));
        try {
            out.write(("id: " + e.id() + "\nevent: change\ndata: ").getBytes(StandardCharsets.UTF_8));
            // one line of data: the generator escapes every line break inside strings, the value is compact JSON
            try (JsonGenerator g = JSON.createGenerator(out)) {
                g.writeStartObject();
                g.writeStringField("tier", e.tier().wireName());
                g.writeStringField("scope", e.scope().wireName());
                g.writeStringField("key", e.key());
                g.writeStringField("version", e.version());
                if (e.valueJson() != null && !e.deleted()) {
                    g.writeFieldName("value");
                    g.writeRawValue(e.valueJson());
                }
                g.writeBooleanField("deleted", e.deleted());
                if (e.resource() != null) {
                    ResourceJson.write(g, ResourceRef.parseStorageForm(e.resource()));
                }
                g.writeEndObject();
            }
            out.write("\n\n".getBytes(StandardCharsets.UTF_8));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }
}
