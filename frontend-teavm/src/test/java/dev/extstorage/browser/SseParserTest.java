package dev.extstorage.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The event-stream reader, the browser version rule and the reconnection back-off, on the JVM. */
class SseParserTest {
    private final List<String> events = new ArrayList<>();
    private final SseParser parser = new SseParser((type, data) -> events.add(type + "|" + data), null);

    @Test
    void eventsSplitAnywhereAndEveryLineEndingReadTheSame() {
        String stream = ": heartbeat\r\nid: 7\r\nevent: change\r\ndata: {\"a\":1}\r\n\r\n"
                + "data:x\rdata: y\r\rid: 8\nevent: reset\ndata\n\n";
        for (int cut = 0; cut <= stream.length(); cut++) {
            events.clear();
            SseParser p = new SseParser((type, data) -> events.add(type + "|" + data), null);
            p.feed(stream.substring(0, cut));
            p.feed(stream.substring(cut));
            assertEquals(List.of("change|{\"a\":1}", "message|x\ny", "reset|"), events, "cut at " + cut);
            assertEquals("8", p.lastId());
        }
    }

    @Test
    void idStaysUntilTheNextIdAndEventsWithoutDataAreDropped() {
        parser.feed("id: 1\nevent: change\n\n:only a comment\n\nretry: 10\nunknown: x\ndata: d\n\n");
        assertEquals(List.of("message|d"), events);
        assertEquals("1", parser.lastId());
        parser.feed("id: a\0b\ndata: e\n\n");
        assertEquals("1", parser.lastId(), "an id holding NUL is ignored");
        assertNull(new SseParser((t, d) -> { }, null).lastId());
        assertEquals("5", new SseParser((t, d) -> { }, "5").lastId());
    }

    @Test
    void anEventIsDispatchedOnlyAtItsBlankLine() {
        parser.feed("event: change\ndata: {}\n");
        assertTrue(events.isEmpty());
        parser.feed("\n");
        assertEquals(List.of("change|{}"), events);
    }

    @Test
    void browserVersionsFollowTheTextOnly() {
        String v = Versions.of("{\"a\":1}");
        assertEquals(16, v.length());
        assertTrue(v.matches("[0-9a-f]{16}"), v);
        assertEquals(v, Versions.of("{\"a\":1}"));
        assertNotEquals(v, Versions.of("{\"a\":2}"));
        assertNotEquals(Versions.of(""), Versions.of("\0"));
        assertNotEquals(Versions.of("ab"), Versions.of("ba"));
    }

    @Test
    void etagsCarryTheVersion() {
        assertEquals("v1", Versions.fromEtag("\"v1\""));
        assertEquals("v1", Versions.fromEtag("W/\"v1\""));
        assertEquals("v1", Versions.fromEtag("v1"));
        assertNull(Versions.fromEtag(null));
        assertEquals("\"v1\"", Versions.toEtag("v1"));
    }

    @Test
    void backOffDoublesWithJitterUpToTheCap() {
        assertEquals(250, ChangeStream.delayMillis(0, 0));
        assertEquals(500, ChangeStream.delayMillis(0, 1));
        assertEquals(1000, ChangeStream.delayMillis(2, 0));
        assertEquals(ChangeStream.MAX_DELAY_MILLIS, ChangeStream.delayMillis(40, 1));
        assertEquals(ChangeStream.MAX_DELAY_MILLIS / 2, ChangeStream.delayMillis(Integer.MAX_VALUE, 0));
    }
}
