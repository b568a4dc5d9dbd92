package dev.extstorage.http;

import dev.extstorage.api.StorageService;
import dev.extstorage.auth.Principal;
import dev.extstorage.events.ChangeFilter;
import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.RestPaths;
import io.javalin.http.Context;
import jakarta.servlet.ServletOutputStream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /api/v1/extensions/{p}/{n}/storage/events}: the caller's changes as Server-Sent Events (README,
 * "Events"). The request guard has authenticated the caller and checked the extension and the request rate;
 * here the stream takes a place of its own ({@link EventStreams}), goes asynchronous (the request thread
 * returns at once) and subscribes with the filter of SPEC section 8: this extension's shared scope and the
 * caller's own user scope, nothing else. {@code Last-Event-ID} (header, or query {@code lastEventId}) resumes.
 */
final class EventHandler {
    static final String SEGMENT = "events";
    static final String LAST_EVENT_ID = "Last-Event-ID";
    static final String LAST_EVENT_ID_QUERY = "lastEventId";
    private static final byte[] OPENED = ": open\n\n".getBytes(StandardCharsets.UTF_8);

    private final StorageService service;
    private final EventStreams streams;

    EventHandler(StorageService service, EventStreams streams) {
        this.service = service;
        this.streams = streams;
    }

    /** Whether the guard's parse of a path names the event stream (no tier of that name exists). */
    static boolean isEventsPath(RestPaths.StoragePath path) {
        return path.rawKey() == null && SEGMENT.equals(path.tier());
    }

    void handle(Context ctx) {
        Principal caller = RequestGuard.principal(ctx);
        RestPaths.StoragePath path = RequestGuard.path(ctx);
        ExtensionId extension = ExtensionId.of(path.publisher(), path.name());
        String lastId = ctx.header(LAST_EVENT_ID);
        if (lastId == null || lastId.isBlank()) {
            lastId = ctx.queryParam(LAST_EVENT_ID_QUERY);
        }
        String resumeAfter = lastId == null || lastId.isBlank() ? null : lastId.trim();
        streams.admit(caller.userId());
        try {
            ctx.status(200);
            ctx.res().setContentType("text/event-stream");
            ctx.header("Cache-Control", "no-store");
            ctx.header("X-Accel-Buffering", "no");   // a proxy in front must pass frames on, not buffer them
            // Javalin starts the request's async mode, then calls this; the request thread is free once it returns
            ctx.future(() -> {
                ctx.req().getAsyncContext().setTimeout(0);
                return open(ctx, caller.userId(), extension, resumeAfter).done();
            });
        } catch (RuntimeException e) {
            streams.release(caller.userId());
            throw e;
        }
    }

    private SseStream open(Context ctx, String userId, ExtensionId extension, String resumeAfter) {
        ServletOutputStream out;
        try {
            out = ctx.res().getOutputStream();
        } catch (IOException | RuntimeException e) {
            streams.release(userId);
            throw new IllegalStateException("The event stream's output cannot be opened", e);
        }
        SseStream[] self = new SseStream[1];
        jakarta.servlet.AsyncContext async = ctx.req().getAsyncContext();
        SseStream stream = new SseStream(async, out, resumeAfter != null, () -> {
            streams.remove(self[0]);
            streams.release(userId);   // exactly once: the stream runs this on its first close only
        });
        self[0] = stream;
        try {
            async.addListener(stream);
            out.setWriteListener(stream);
            streams.add(stream);
            stream.attach(service.changes().subscribe(new ChangeFilter(extension, userId), resumeAfter, stream));
            // the headers go out now, not with the first event, and only once the subscription holds: a client
            // that has seen them and then writes gets that change (before, the write could fall in the gap)
            stream.offer(OPENED);
        } catch (RuntimeException e) {
            stream.close();
            throw e;
        }
        return stream;
    }
}
