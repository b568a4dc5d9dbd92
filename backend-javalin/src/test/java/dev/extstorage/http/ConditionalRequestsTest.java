package dev.extstorage.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.extstorage.store.Fixtures;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.Map;

import static dev.extstorage.http.RestApiTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Versions over REST (SPEC section 8) on the embedded server, both tiers: {@code ETag} on GET, HEAD and PUT,
 * writes conditional on {@code If-Match} / {@code If-None-Match: *}, {@code 412 PRECONDITION_FAILED} with the
 * current version, and concurrent read-modify-write through {@code If-Match} that loses nothing.
 */
class ConditionalRequestsTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    static String path(String tier, String key) {
        return TestServer.url("acme", "notes", tier, key);
    }

    static String body(String tier, String valueJson) {
        return "{\"value\":" + valueJson + (tier.equals("ephemeral") ? ",\"ttl\":600}" : "}");
    }

    /** A PUT with extra headers (If-Match, If-None-Match). */
    static TestServer.Response put(TestServer s, String path, String user, String body, String... headers) {
        Map<String, String> h = new HashMap<>(TestServer.auth(user));
        h.put("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        return s.send("PUT", path, body, h);
    }

    static TestServer.Response delete(TestServer s, String path, String user, String... headers) {
        Map<String, String> h = new HashMap<>(TestServer.auth(user));
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        return s.send("DELETE", path, null, h);
    }

    static String etag(TestServer.Response r) {
        return r.raw().headers().firstValue("ETag").orElse(null);
    }

    /** A 412 whose body names {@code current} (a JSON string or null) as the version. */
    static void assertPreconditionFailed(TestServer.Response r, String currentTag) {
        assertError(r, 412, "PRECONDITION_FAILED");
        JsonNode version = r.json().get("version");
        assertTrue(version != null, "the body has a version member: " + r.body());
        if (currentTag == null) {
            assertTrue(version.isNull(), r.body());
        } else {
            assertEquals(currentTag, "\"" + version.asText() + "\"", r.body());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ephemeral", "persistent"})
    void readsAndWritesCarryTheVersionAsETag(String tier) {
        String p = path(tier, "tagged");
        TestServer.Response written = server.put(p, "alice", body(tier, "1"));
        assertEquals(200, written.status(), written.body());
        String tag = etag(written);
        assertTrue(tag != null && tag.matches("\"[0-9a-f]{16}\""), tag);
        assertEquals(tag, etag(server.get(p, "alice")));
        assertEquals(tag, etag(server.send("HEAD", p, null, TestServer.auth("alice"))));
        TestServer.Response again = server.put(p, "alice", body(tier, "1"));
        assertNotEquals(tag, etag(again), "every write gives a new version, also of the same value");
        TestServer.Response missing = server.get(path(tier, "never-written"), "alice");
        assertEquals("null", missing.result());
        assertEquals(null, etag(missing), "no entry, no ETag");
        // a read whose If-None-Match is still current: 304 without a body
        Map<String, String> h = new HashMap<>(TestServer.auth("alice"));
        h.put("If-None-Match", etag(again));
        assertEquals(304, server.send("GET", p, null, h).status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ephemeral", "persistent"})
    void ifMatchWritesOnlyWhileTheEntryHasThatVersion(String tier) {
        String p = path(tier, "guarded");
        String v1 = etag(server.put(p, "alice", body(tier, "1")));
        TestServer.Response ok = put(server, p, "alice", body(tier, "2"), "If-Match", v1);
        assertEquals(200, ok.status(), ok.body());
        String v2 = etag(ok);
        assertPreconditionFailed(put(server, p, "alice", body(tier, "3"), "If-Match", v1), v2);
        assertPreconditionFailed(delete(server, p, "alice", "If-Match", v1), v2);
        assertEquals("2", server.get(p, "alice").result(), "a failed condition changes nothing");
        assertEquals(v2, etag(server.get(p, "alice")));

        // weak tags never match (strong comparison); a list matches any of its strong tags; * any entry
        assertPreconditionFailed(put(server, p, "alice", body(tier, "3"), "If-Match", "W/" + v2), v2);
        String v3 = etag(put(server, p, "alice", body(tier, "3"), "If-Match", "\"0123456789abcdef\", W/\"x\", " + v2));
        assertEquals("3", server.get(p, "alice").result());
        String v4 = etag(put(server, p, "alice", body(tier, "4"), "If-Match", "*"));
        assertNotEquals(v3, v4);
        // a malformed If-Match matches nothing: 412, never taken as no condition
        for (String malformed : new String[] {v4.replace("\"", ""), "\"" + v4, "W/", ",", "\"a b\""}) {
            assertPreconditionFailed(put(server, p, "alice", body(tier, "5"), "If-Match", malformed), v4);
        }
        assertEquals("4", server.get(p, "alice").result());

        TestServer.Response deleted = delete(server, p, "alice", "If-Match", v4);
        assertEquals(200, deleted.status(), deleted.body());
        assertEquals("null", server.get(p, "alice").result());
        assertPreconditionFailed(put(server, p, "alice", body(tier, "6"), "If-Match", v4), null);
        assertPreconditionFailed(put(server, p, "alice", body(tier, "6"), "If-Match", "*"), null);
        assertPreconditionFailed(delete(server, p, "alice", "If-Match", "*"), null);
        assertEquals("null", server.get(p, "alice").result(), "nothing was created");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ephemeral", "persistent"})
    void ifNoneMatchStarCreatesButNeverOverwrites(String tier) {
        String p = path(tier, "created-once");
        TestServer.Response created = put(server, p, "alice", body(tier, "\"first\""), "If-None-Match", "*");
        assertEquals(200, created.status(), created.body());
        assertPreconditionFailed(put(server, p, "alice", body(tier, "\"second\""), "If-None-Match", "*"), etag(created));
        assertEquals("\"first\"", server.get(p, "alice").result());
        // bob's user scope is another entry: absent there
        assertEquals(200, put(server, p, "bob", body(tier, "\"bob's\""), "If-None-Match", "*").status());

        // other forms are refused as sent, and change nothing
        assertError(put(server, p, "alice", body(tier, "1"), "If-None-Match", etag(created)), 400, "INVALID_BODY");
        assertError(put(server, p, "alice", body(tier, "1"), "If-None-Match", "*", "If-Match", etag(created)),
                400, "INVALID_BODY");
        assertEquals("\"first\"", server.get(p, "alice").result());
        assertEquals(etag(created), etag(server.get(p, "alice")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ephemeral", "persistent"})
    void eightClientsIncrementingThroughIfMatchLoseNothing(String tier) throws Exception {
        assertEquals(200, increments(new TestServer[] {server}, path(tier, "counter") + "?shared=true", tier));
    }

    /**
     * 8 clients (users {@code u0..u7}, so no one passes a per-user rate), each adding 1 to a shared counter 25
     * times by GET then PUT with {@code If-Match} (or {@code If-None-Match: *} while absent), retrying on 412,
     * client {@code t} on server {@code t % servers.length}; the counter's final value.
     */
    static long increments(TestServer[] servers, String path, String tier) throws Exception {
        Fixtures.concurrently(8, 25, (t, i) -> {
            TestServer s = servers[t % servers.length];
            String user = "u" + t;
            while (true) {
                TestServer.Response read = s.get(path, user);
                if (read.status() == 429) {
                    Thread.sleep(50);
                    continue;
                }
                assertEquals(200, read.status(), read.body());
                String tag = etag(read);
                long next = tag == null ? 1 : read.json().get("result").asLong() + 1;
                TestServer.Response w = tag == null
                        ? put(s, path, user, body(tier, Long.toString(next)), "If-None-Match", "*")
                        : put(s, path, user, body(tier, Long.toString(next)), "If-Match", tag);
                if (w.status() == 200) {
                    return next;
                }
                if (w.status() == 429) {
                    Thread.sleep(50);
                    continue;
                }
                assertEquals(412, w.status(), w.body());
                assertFalse(w.json().get("version").asText("").equals(tag == null ? "" : tag.replace("\"", "")),
                        "a 412 names a version other than the one sent");
            }
        });
        return servers[0].get(path, "u0").json().get("result").asLong();
    }
}
