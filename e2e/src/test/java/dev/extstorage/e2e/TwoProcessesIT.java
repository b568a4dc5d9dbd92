package dev.extstorage.e2e;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 3's scale-out promise with real processes: two server jars on different ports, sharing one Redis and one
 * PostgreSQL database (and the JWT secret, as instances behind one load balancer do). What one writes, the other
 * reads, on both server tiers and both scopes; user scopes stay apart.
 */
class TwoProcessesIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void whatOneInstanceWritesTheOtherReads() throws Exception {
        String redis = TestEnvironment.require();
        String pg = System.getenv("EXT_STORAGE_TEST_PG_URL");
        if (TestEnvironment.ci()) {
            Assertions.assertNotNull(pg, "CI=true needs EXT_STORAGE_TEST_PG_URL");
        }
        Assumptions.assumeTrue(pg != null, "EXT_STORAGE_TEST_PG_URL not set");
        String db = "e2e_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (var c = DriverManager.getConnection(pg); var st = c.createStatement()) {
            st.execute("CREATE DATABASE " + db);
        }
        URI u = URI.create(pg.substring("jdbc:".length()));
        Map<String, String> shared = Map.of(
                "EXT_STORAGE_DB_URL", "jdbc:postgresql://" + u.getHost() + ":" + u.getPort() + "/" + db + "?" + u.getQuery(),
                "EXT_STORAGE_REDIS_PREFIX", db,
                "EXT_STORAGE_JWT_SECRET", "two-processes-" + UUID.randomUUID());
        try (ServerProcess one = ServerProcess.start(redis, shared); ServerProcess two = ServerProcess.start(redis, shared)) {
            String alice = RestClient.devLogin(one.baseUrl(), "alice");
            String bob = RestClient.devLogin(two.baseUrl(), "bob");
            for (String tier : new String[]{"ephemeral", "persistent"}) {
                for (String query : new String[]{"", "?shared=true"}) {
                    String path = "/api/v1/extensions/acme/notes/storage/" + tier + "/across%2Fprocesses" + query;
                    String value = "\"" + tier + query + "\"";
                    assertEquals(200, send(one.baseUrl(), "PUT", path, alice, "{\"value\":" + value + ",\"ttl\":60}").statusCode());
                    assertEquals("{\"result\":" + value + "}", send(two.baseUrl(), "GET", path, alice, null).body(), tier + query);
                    String seenByBob = query.isEmpty() ? "null" : value;
                    assertEquals("{\"result\":" + seenByBob + "}", send(two.baseUrl(), "GET", path, bob, null).body(), tier + query);
                    assertEquals(200, send(two.baseUrl(), "DELETE", path, alice, null).statusCode());
                    assertEquals("{\"result\":null}", send(one.baseUrl(), "GET", path, alice, null).body(), tier + query);
                }
            }
        } finally {
            try (var c = DriverManager.getConnection(pg); var st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            }
        }
    }

    private static HttpResponse<String> send(String base, String method, String path, String token, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token);
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
