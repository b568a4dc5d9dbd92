package dev.extstorage.http;

import dev.extstorage.events.ChangeEvent;
import dev.extstorage.events.Subscription;
import dev.extstorage.model.ExtensionId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static dev.extstorage.http.RestApiTest.assertError;
import static dev.extstorage.http.SseClient.keys;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET .../storage/events} on a real (embedded) server: the wire format, the filter, resumption, bounds. */
class EventsTest {
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer(Map.of("EXT_STORAGE_EVENT_RETENTION", "50"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static String eph(String key, String q) {
        return TestServer.url("acme", "notes", "ephemeral", key) + q;
    }

    static String per(String key, String q) {
        return TestServer.url("acme", "notes", "persistent", key) + q;
    }

    @Test
    void ownAndSharedChangesArriveWithinASecondOtherUsersAndExtensionsNever() throws Exception {
        try (SseClient alice = SseClient.open(server, "acme", "notes", "alice", Map.of())) {
            assertEquals(200, alice.status());
            assertTrue(alice.response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
            assertEquals("no-store", alice.response.headers().firstValue("Cache-Control").orElse(""));
            var put = server.put(eph("own", ""), "alice", "{\"value\": {\"n\": 1}, \"ttl\": 60}");
            assertEquals(200, put.status());
            String version = put.raw().headers().firstValue("ETag").orElseThrow().replace("\"", "");
            long written = System.nanoTime();
            List<SseClient.Frame> first = alice.until("own");
            SseClient.Frame own = first.get(first.size() - 1);
            assertTrue((own.receivedNanos() - written) / 1_000_000 < 1000, "an own change arrives within 1 s");
            assertEquals("{\"tier\":\"ephemeral\",\"scope\":\"user\",\"key\":\"own\",\"version\":\"" + version
                    + "\",\"value\":{\"n\":1},\"deleted\":false}", own.data(), "the event carries the write's version");
            assertNotNull(own.id());

            assertEquals(200, server.put(per("common", "?shared=true"), "bob", "{\"value\": [true]}").status());
            written = System.nanoTime();
            SseClient.Frame shared = alice.until("common").get(0);
            assertTrue((shared.receivedNanos() - written) / 1_000_000 < 1000, "a shared change arrives within 1 s");
            assertEquals("shared", shared.json().path("scope").asText());
            assertEquals("persistent", shared.json().path("tier").asText());

            // written, then a marker after them: what did not come before the marker never comes
            server.put(eph("bobs", ""), "bob", "{\"value\": 1, \"ttl\": 60}");
            server.put(per("bobs", ""), "bob", "{\"value\": 1}");
            server.put(TestServer.url("globex", "todo", "persistent", "other-ext") + "?shared=true", "alice",
                    "{\"value\": 1}");
            server.put(TestServer.url("globex", "todo", "ephemeral", "other-ext-user"), "alice",
                    "{\"value\": 1, \"ttl\": 60}");
            assertEquals(200, server.delete(eph("own", ""), "alice").status());
            server.put(eph("marker", "?shared=true"), "carol", "{\"value\": \"m\", \"ttl\": 60}");
            List<SseClient.Frame> rest = alice.until("marker");
            assertEquals(List.of("own", "marker"), keys(rest));
            assertEquals("{\"tier\":\"ephemeral\",\"scope\":\"user\",\"key\":\"own\",\"version\":null,"
                    + "\"deleted\":true}", rest.get(0).data(), "a delete carries no value");
        }
    }

    @Test
    void aFreshStreamStartsWithItsPositionAndRefusalsAreJson() throws Exception {
        try (SseClient s = SseClient.open(server, "acme", "notes", "alice", Map.of())) {
            SseClient.Frame f = s.next();
            while (f.comment()) {
                f = s.next();
            }
            assertNotNull(f.id(), "the first frame gives the position to resume from");
            assertEquals(null, f.data(), "and dispatches no event");
        }
        try (SseClient s = SseClient.open(server, "acme", "notes", null, Map.of())) {
            assertError(s.refusal(), 401, "NOT_AUTHENTICATED");
        }
        try (SseClient s = SseClient.open(server, "acme", "nothing", "alice", Map.of())) {
            assertError(s.refusal(), 404, "EXTENSION_NOT_FOUND");
        }
    }

    @Test
    void aDroppedStreamResumesFromLastEventIdWithoutLosingEvents() throws Exception {
        String lastId;
        try (SseClient s = SseClient.open(server, "acme", "notes", "alice", Map.of())) {
            server.put(eph("a", ""), "alice", "{\"value\": 1, \"ttl\": 60}");
            s.until("a");
            lastId = s.lastId;
        }
        server.put(eph("b", ""), "alice", "{\"value\": 2, \"ttl\": 60}");
        server.put(eph("bobs", ""), "bob", "{\"value\": 2, \"ttl\": 60}");
        server.put(per("c", "?shared=true"), "bob", "{\"value\": 3}");
        server.delete(eph("a", ""), "alice");
        try (SseClient s = SseClient.open(server, "acme", "notes", "alice", Map.of("Last-Event-ID", lastId))) {
            server.put(eph("live", ""), "alice", "{\"value\": 4, \"ttl\": 60}");
            assertEquals(List.of("b", "c", "a", "live"), keys(s.until("live")));
        }
        // the query form, for clients that cannot set the header
        try (SseClient s = SseClient.open(server, "/api/v1/extensions/acme/notes/storage/events?lastEventId="
                + lastId, "alice", Map.of())) {
            assertEquals(List.of("b", "c", "a", "live"), keys(s.until("live")));
        }
    }

    @Test
    void aFreshStreamsPositionResumesToo() throws Exception {
        String position;
        try (SseClient s = SseClient.open(server, "acme", "notes", "alice", Map.of())) {
            SseClient.Frame f = s.next();
            while (f.id() == null) {
                f = s.next();
            }
            position = f.id();
        }
        server.put(eph("meanwhile", ""), "alice", "{\"value\": 1, \"ttl\": 60}");
        try (SseClient s = SseClient.open(server, "acme", "notes", "alice", Map.of("Last-Event-ID", position))) {
            assertEquals(List.of("meanwhile"), keys(s.until("meanwhile")));
        }
    }

    @Test
    void anIdTooOldOrUnknownStartsWithAReset() throws Exception {
        String oldId;
        try (SseClient s = SseClient.open(server, "acme", "notes", "alice", Map.of())) {
            server.put(eph("first", ""), "alice", "{\"value\": 1, \"ttl\": 60}");
            s.until("first");
            oldId = s.lastId;
        }
        for (int i = 0; i < 60; i++) {   // past the retention of 50
            server.put(eph("k" + i, "?shared=true"), "bob", "{\"value\": 1, \"ttl\": 60}");
        }
        for (String id : new String[]{oldId, "not-an-id"}) {
            try (SseClient s = SseClient.open(server, "acme", "notes", "alice", Map.of("Last-Event-ID", id))) {
                server.put(eph("live", ""), "alice", "{\"value\": 2, \"ttl\": 60}");
                List<SseClient.Frame> got = s.until("live");
                assertEquals(List.of("reset", "live"), keys(got), id);
                assertEquals("{}", got.get(0).data());
                assertNotNull(got.get(0).id(), "a reset says where the stream goes on from");
            }
        }
    }

    @Test
    void theJavaApiGetsTheSameChangesWithTheSameFilter() throws Exception {
        ExtensionId notes = ExtensionId.of("acme", "notes");
        LinkedBlockingQueue<ChangeEvent> alice = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<ChangeEvent> system = new LinkedBlockingQueue<>();
        try (Subscription a = server.server.storage().forUser(notes, "alice", Set.of()).onChange(alice::add);
             Subscription s = server.server.storage().forExtension(notes).onChange(system::add)) {
            server.put(eph("mine", ""), "alice", "{\"value\": 1, \"ttl\": 60}");
            server.put(eph("bobs", ""), "bob", "{\"value\": 1, \"ttl\": 60}");
            server.server.storage().forExtension(notes).persistent().shared().set("config", Map.of("on", true));
            assertEquals("mine", take(alice).key());
            ChangeEvent config = take(alice);
            assertEquals("config", config.key());
            assertEquals("{\"on\":true}", config.valueJson());
            assertEquals("config", take(system).key(), "the extension's own code sees shared changes only");
            assertTrue(alice.isEmpty() && system.isEmpty(), alice + " " + system);
        }
    }

    @Test
    void streamsHaveTheirOwnBoundsAndHoldNoRequestAdmission() throws Exception {
        server.close();
        server = new TestServer(Map.of("EXT_STORAGE_USER_EVENT_STREAMS", "2", "EXT_STORAGE_EVENT_STREAMS", "3"));
        try (SseClient one = SseClient.open(server, "acme", "notes", "alice", Map.of());
             SseClient two = SseClient.open(server, "globex", "todo", "alice", Map.of())) {
            assertEquals(200, one.status());
            assertEquals(200, two.status());
            try (SseClient third = SseClient.open(server, "acme", "notes", "alice", Map.of())) {
                assertError(third.refusal(), 429, "RATE_LIMITED");
                assertTrue(third.response.headers().firstValue("Retry-After").isPresent());
            }
            server.awaitInFlight(0);   // open streams hold none of the per-user in-flight bound
            for (int i = 0; i < 20; i++) {
                assertEquals(200, server.get(eph("k", ""), "alice").status());
            }
            try (SseClient bob = SseClient.open(server, "acme", "notes", "bob", Map.of());
                 SseClient carol = SseClient.open(server, "acme", "notes", "carol", Map.of())) {
                assertEquals(200, bob.status());
                assertError(carol.refusal(), 503, "SERVER_BUSY");
            }
        }
        // closed streams give their places back (the server notices a closed client at the next write)
        long deadline = System.currentTimeMillis() + 20_000;
        int status;
        do {
            try (SseClient again = SseClient.open(server, "acme", "notes", "alice", Map.of())) {
                status = again.status();
            }
            if (status != 200) {
                Thread.sleep(250);
            }
        } while (status != 200 && System.currentTimeMillis() < deadline);
        assertEquals(200, status);
    }

    @Test
    void heartbeatsKeepAQuietStreamOpenPastTheIdleTimeout() throws Exception {
        server.close();
        server = new TestServer(Map.of("EXT_STORAGE_IDLE_TIMEOUT_MS", "600"));
        try (SseClient s = SseClient.open(server, "acme", "notes", "alice", Map.of())) {
            int comments = 0;
            long until = System.currentTimeMillis() + 2000;
            while (System.currentTimeMillis() < until) {
                if (s.next().comment()) {
                    comments++;
                }
            }
            assertTrue(comments >= 3, "heartbeat comments: " + comments);
            assertFalse(s.ended, "the stream outlived the idle time-out");
            server.put(eph("still", ""), "alice", "{\"value\": 1, \"ttl\": 60}");
            assertEquals(List.of("still"), keys(s.until("still")));
            assertEquals(1.0, server.server.metrics().registry().get("extstorage.event.streams").gauge().value());
        }
    }

    @Test
    void aClientThatStopsReadingIsDroppedNotBufferedFor() throws Exception {
        String big = "\"" + "x".repeat(60 * 1024) + "\"";
        try (Socket stalled = new Socket();
             SseClient reader = SseClient.open(server, "acme", "notes", "bob", Map.of())) {
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new InetSocketAddress("127.0.0.1", server.server.port()));
            stalled.getOutputStream().write(("GET /api/v1/extensions/acme/notes/storage/events HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\nAuthorization: Bearer " + TestServer.token("alice") + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            var streams = server.server.metrics().registry().get("extstorage.event.streams").gauge();
            long deadline = System.currentTimeMillis() + 10_000;
            while (streams.value() < 2 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(2.0, streams.value());
            // about 12 MB of events: more than the socket buffers hold and the stream's queue bound
            for (int i = 0; i < 200 && streams.value() == 2; i++) {
                assertEquals(200, server.put(eph("big", "?shared=true"), "carol",
                        "{\"value\": " + big + ", \"ttl\": 60}").status());
            }
            server.put(eph("marker", "?shared=true"), "carol", "{\"value\": 1, \"ttl\": 60}");
            List<SseClient.Frame> read = reader.until("marker");
            assertTrue(read.size() > 1, "a reading client got every change, not held back by one that stopped");
            deadline = System.currentTimeMillis() + 20_000;
            while (streams.value() != 1 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(1.0, streams.value(), "the stalled stream was dropped");
        }
    }

    private static ChangeEvent take(LinkedBlockingQueue<ChangeEvent> q) throws InterruptedException {
        ChangeEvent e = q.poll(15, TimeUnit.SECONDS);
        assertNotNull(e, "no event within 15 s");
        return e;
    }
}
