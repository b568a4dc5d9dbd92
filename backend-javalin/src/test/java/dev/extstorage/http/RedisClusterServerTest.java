package dev.extstorage.http;

import dev.extstorage.config.ServerConfig;
import dev.extstorage.model.RestPaths;
import dev.extstorage.store.redis.RedisClients;
import dev.extstorage.testing.TestServices;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static dev.extstorage.http.LifecycleConformance.admin;
import static dev.extstorage.http.SseClient.keys;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two servers configured with {@code EXT_STORAGE_REDIS_URL=redis-cluster://...} (the cluster of
 * {@code EXT_STORAGE_TEST_REDIS_CLUSTER_URL}) and one key prefix: the ephemeral tier, its listing, usage and
 * purge, the rate limiter and the change events all go through the cluster, and each server sees what the other
 * wrote. acme.notes and globex.todo hash to slots of different masters.
 */
class RedisClusterServerTest {
    private static final String NOTES = RestPaths.tierPath("acme", "notes", "");
    private static final String TODO = RestPaths.tierPath("globex", "todo", "");

    /** Every prefix of this class starts so; {@link #deleteKeys} removes what the servers left (the streams too). */
    private static final String RUN = "it-cluster-" + UUID.randomUUID().toString().substring(0, 8);

    @org.junit.jupiter.api.AfterAll
    static void deleteKeys() {
        String url = System.getenv(TestServices.REDIS_CLUSTER_URL);
        if (url == null || url.isBlank()) {
            return;
        }
        try (var client = RedisClients.open(
                RedisClients.parse(url.trim()), "test", 2, 2000, 2000, 2000)) {
            var walk = client.scanIteration(1000, RUN + "*");
            while (!walk.isIterationCompleted()) {
                walk.nextBatch().getResult().forEach(client::unlink);
            }
        }
    }

    private static Map<String, String> env(String prefix) {
        return Map.of(ServerConfig.REDIS_URL, TestServices.redisClusterUrl(), ServerConfig.REDIS_PREFIX, prefix);
    }

    @Test
    void twoServersOnOneClusterShareTheEphemeralTier() throws Exception {
        String prefix = RUN + "-tier";
        try (TestServer one = new TestServer(env(prefix)); TestServer two = new TestServer(env(prefix))) {
            assertEquals("redis", one.send("GET", "/health", null, Map.of()).json()
                    .at("/stores/ephemeral/engine").asText());
            for (String q : new String[] {"", "?shared=true"}) {
                String path = NOTES + "ephemeral/across%2Fnodes" + q;
                assertEquals(200, one.put(path, "alice", "{\"value\": {\"q\": \"" + q + "\"}, \"ttl\": 60}").status());
                assertEquals("{\"q\":\"" + q + "\"}", two.get(path, "alice").result(), q);
                assertEquals(q.isEmpty() ? "null" : "{\"q\":\"" + q + "\"}", two.get(path, "bob").result(), q);
            }
            // a conditional write through one server, guarded by the version the other gave
            String path = NOTES + "ephemeral/counter";
            assertEquals(200, one.put(path, "alice", "{\"value\": 1, \"ttl\": 60}").status());
            String tag = two.get(path, "alice").raw().headers().firstValue("ETag").orElseThrow();
            assertEquals(200, one.send("PUT", path, "{\"value\": 2, \"ttl\": 60}", headers("alice", tag)).status());
            assertEquals(412, two.send("PUT", path, "{\"value\": 3, \"ttl\": 60}", headers("alice", tag)).status());
            assertEquals("2", two.get(path, "alice").result());

            assertEquals(200, two.put(TODO + "ephemeral/job", "alice", "{\"value\": 7, \"ttl\": 60}").status());
            var list = one.get(NOTES + "ephemeral?page_size=100&prefix=", "alice");
            assertEquals(200, list.status(), list.body());
            Set<String> listed = new HashSet<>();
            list.json().get("result").forEach(e -> listed.add(e.get("key").asText()));
            assertEquals(Set.of("across/nodes", "counter"), listed);
            var usage = two.get(RestPaths.usagePath("acme", "notes"), "alice").json().at("/result/ephemeral");
            assertEquals(3, usage.get("entries").asInt(), usage.toString());
            assertTrue(usage.get("bytes").asLong() > 0, usage.toString());

            var purged = one.send("DELETE", "/api/v1/admin/extensions/acme/notes/storage", null, admin("root"));
            assertEquals(200, purged.status(), purged.body());
            assertEquals(3, purged.json().at("/result/ephemeral").asInt(), purged.body());
            assertEquals("null", two.get(NOTES + "ephemeral/counter", "alice").result());
            assertEquals("7", one.get(TODO + "ephemeral/job", "alice").result(), "another extension's data stays");
        }
    }

    @Test
    void changesWrittenOnOneServerArriveOnTheOthersEventStream() throws Exception {
        String prefix = RUN + "-events";
        try (TestServer one = new TestServer(env(prefix)); TestServer two = new TestServer(env(prefix))) {
            assertEquals("redis", one.server.changes().engine());
            try (SseClient onTwo = SseClient.open(two, "acme", "notes", "alice", Map.of())) {
                one.put(EventsTest.eph("from-one", ""), "alice", "{\"value\": 1, \"ttl\": 60}");
                one.put(EventsTest.eph("bobs", ""), "bob", "{\"value\": 1, \"ttl\": 60}");
                one.put(TODO + "ephemeral/x?shared=true", "alice", "{\"value\": 1, \"ttl\": 60}");
                one.put(EventsTest.eph("marker", "?shared=true"), "bob", "{\"value\": 2, \"ttl\": 60}");
                assertEquals(List.of("from-one", "marker"), keys(onTwo.until("marker")));
            }
        }
    }

    @Test
    void twoServersOnOneClusterShareOneRateBudget() throws Exception {
        Map<String, String> env = new HashMap<>(env(RUN + "-rate"));
        env.put(ServerConfig.RATE_PER_SECOND, "1");
        env.put(ServerConfig.RATE_BURST, "4");
        try (TestServer one = new TestServer(env); TestServer two = new TestServer(env)) {
            TestServer[] both = {one, two};
            int ok = 0;
            long start = System.nanoTime();
            for (int i = 0; i < 8; i++) {
                int status = both[i % 2].get(NOTES + "ephemeral/k", "alice").status();
                assertTrue(status == 200 || status == 429, "status " + status);
                ok += status == 200 ? 1 : 0;
            }
            // the burst, and at most the tokens refilled meanwhile (1 per second) however slow the machine
            long refilled = (System.nanoTime() - start) / 1_000_000_000L + 1;
            assertTrue(ok >= 4 && ok <= 4 + refilled, ok + " of 8 went through");
        }
    }

    private static Map<String, String> headers(String user, String ifMatch) {
        return Map.of("Authorization", "Bearer " + TestServer.token(user), "Content-Type", "application/json",
                "If-Match", ifMatch);
    }
}
