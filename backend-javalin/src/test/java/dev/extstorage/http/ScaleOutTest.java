package dev.extstorage.http;

import dev.extstorage.testing.TcpProxy;
import dev.extstorage.testing.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.sql.DriverManager;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import static dev.extstorage.http.RestApiTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scale-out configuration: servers on Redis and PostgreSQL. Two servers on different ports share one Redis
 * and one database; an engine that goes away gives {@code 503 STORE_UNAVAILABLE} on its tier only, and service
 * comes back by itself. Needs {@code EXT_STORAGE_TEST_REDIS_URL} and {@code EXT_STORAGE_TEST_PG_URL}
 * (scripts/test sets them); under {@code CI=true} their absence fails the test.
 */
class ScaleOutTest {
    static String redisUrl;
    static String pgUrl;
    static String schema;

    @BeforeAll
    static void services() throws Exception {
        redisUrl = TestServices.redisUrl();
        pgUrl = TestServices.postgresUrl();
        // a database of its own per run keeps runs apart and leaves nothing behind in the shared test database
        schema = "scaleout_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (var c = DriverManager.getConnection(pgUrl); var st = c.createStatement()) {
            st.execute("CREATE DATABASE " + schema);
        }
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        if (schema != null) {
            try (var c = DriverManager.getConnection(pgUrl); var st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + schema + " WITH (FORCE)");
            }
        }
    }

    static String pgUrlFor(int port) {
        URI u = URI.create(pgUrl.substring("jdbc:".length()));
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + schema + "?" + u.getQuery();
    }

    static int pgPort() {
        return URI.create(pgUrl.substring("jdbc:".length())).getPort();
    }

    static int redisPort() {
        return URI.create(redisUrl).getPort();
    }

    static Map<String, String> env(int redisPort, int pgPort, String prefix) {
        return Map.of("EXT_STORAGE_REDIS_URL", "redis://127.0.0.1:" + redisPort + URI.create(redisUrl).getPath(),
                "EXT_STORAGE_REDIS_PREFIX", prefix,
                "EXT_STORAGE_DB_URL", pgUrlFor(pgPort));
    }

    @Test
    void twoServersShareEveryTierAndScope() throws Exception {
        String prefix = "it-" + UUID.randomUUID();
        try (TestServer one = new TestServer(env(redisPort(), pgPort(), prefix));
             TestServer two = new TestServer(env(redisPort(), pgPort(), prefix))) {
            assertTrue(one.server.port() != two.server.port());
            assertEquals("redis", one.send("GET", "/health", null, Map.of()).json().at("/stores/ephemeral/engine").asText());
            assertEquals("postgresql", one.send("GET", "/health", null, Map.of()).json().at("/stores/persistent/engine").asText());
            for (String tier : new String[]{"ephemeral", "persistent"}) {
                for (String q : new String[]{"", "?shared=true"}) {
                    String path = TestServer.url("acme", "notes", tier, "across%2Fnodes") + q;
                    String body = "{\"value\": {\"from\": \"one\", \"q\": \"" + q + "\"}, \"ttl\": 60}";
                    assertEquals(200, one.put(path, "alice", body).status());
                    assertEquals("{\"from\":\"one\",\"q\":\"" + q + "\"}", two.get(path, "alice").result(), tier + q);
                    String otherUser = two.get(path, "bob").result();
                    assertEquals(q.isEmpty() ? "null" : "{\"from\":\"one\",\"q\":\"" + q + "\"}", otherUser, tier + q);
                    assertEquals(200, two.delete(path, "alice").status());
                    assertEquals("null", one.get(path, "alice").result());
                }
            }
        }
    }

    @Test
    void conditionalWritesOnTwoServersLoseNothing() throws Exception {
        String prefix = "cas-" + UUID.randomUUID();
        try (TestServer one = new TestServer(env(redisPort(), pgPort(), prefix));
             TestServer two = new TestServer(env(redisPort(), pgPort(), prefix))) {
            for (String tier : new String[]{"ephemeral", "persistent"}) {
                String path = TestServer.url("acme", "notes", tier, "counter") + "?shared=true";
                TestServer[] both = {one, two};
                assertEquals(200, ConditionalRequestsTest.increments(both, path, tier), tier);
                // a version written through one server guards writes through the other
                String tag = two.get(path, "u0").raw().headers().firstValue("ETag").orElseThrow();
                assertEquals(tag, one.get(path, "u0").raw().headers().firstValue("ETag").orElseThrow(), tier);
            }
        }
    }

    @Test
    void anEngineThatGoesAwayGives503OnItsTierAndComesBack() throws Exception {
        try (TcpProxy redis = up(new TcpProxy("127.0.0.1", redisPort())); TcpProxy pg = up(new TcpProxy("127.0.0.1", pgPort()));
             TestServer server = new TestServer(env(redis.port(), pg.port(), "outage-" + UUID.randomUUID()))) {
            String eph = TestServer.url("acme", "notes", "ephemeral", "k");
            String per = TestServer.url("acme", "notes", "persistent", "k");
            assertEquals(200, server.put(eph, "alice", "{\"value\": 1, \"ttl\": 60}").status());
            assertEquals(200, server.put(per, "alice", "{\"value\": 1}").status());

            redis.down();
            long t0 = System.nanoTime();
            assertError(server.get(eph, "alice"), 503, "STORE_UNAVAILABLE");
            assertError(server.put(eph, "alice", "{\"value\": 2, \"ttl\": 60}"), 503, "STORE_UNAVAILABLE");
            assertTrue((System.nanoTime() - t0) / 1_000_000 < 15_000, "503 must come quickly, not after a hang");
            assertEquals("1", server.get(per, "alice").result());
            // the change event cannot be recorded (Redis carries them): the write stands all the same
            assertEquals(200, server.put(per, "alice", "{\"value\": 1}").status());
            var health = server.send("GET", "/health", null, Map.of());
            assertEquals(503, health.status());
            assertEquals("unavailable", health.json().at("/stores/ephemeral/status").asText());
            assertEquals("ok", health.json().at("/stores/persistent/status").asText());
            redis.up();
            assertEquals("1", eventually(() -> server.get(eph, "alice")));

            pg.down();
            assertError(server.get(per, "alice"), 503, "STORE_UNAVAILABLE");
            assertError(server.put(per, "alice", "{\"value\": 2}"), 503, "STORE_UNAVAILABLE");
            assertEquals("1", server.get(eph, "alice").result());
            assertEquals("unavailable", server.send("GET", "/health", null, Map.of()).json().at("/stores/persistent/status").asText());
            pg.up();
            assertEquals("1", eventually(() -> server.get(per, "alice")));
            assertEquals(200, server.send("GET", "/health", null, Map.of()).status());
        }
    }

    private static TcpProxy up(TcpProxy proxy) throws IOException {
        proxy.up();
        return proxy;
    }

    /** The result once the request succeeds, polling up to 20 s while pools reconnect. */
    private static String eventually(Supplier<TestServer.Response> request) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        TestServer.Response r = request.get();
        while (r.status() != 200 && System.currentTimeMillis() < deadline) {
            Thread.sleep(250);
            r = request.get();
        }
        assertEquals(200, r.status(), r.body());
        return r.result();
    }
}
