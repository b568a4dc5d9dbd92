package dev.extstorage.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPEC section 3: an acknowledged persistent write survives a crash. Writers hammer the real server process
 * over HTTP; the process is killed with SIGKILL in the middle; after a restart on the same SQLite file every
 * write that got a 200 reads back with (at least) the value that was acknowledged.
 */
class CrashDurabilityIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void acknowledgedWritesSurviveKillDashNine() throws Exception {
        String redis = TestEnvironment.require();
        try (ServerProcess server = ServerProcess.start(redis)) {
            String token = RestClient.devLogin(server.baseUrl(), "crash-user");
            // key -> highest acknowledged value; each writer owns its keys, so values per key only grow
            Map<String, Integer> acknowledged = new ConcurrentHashMap<>();
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService writers = Executors.newFixedThreadPool(8);
            for (int w = 0; w < 8; w++) {
                int writer = w;
                writers.submit(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        String key = "w" + writer + "-k" + (i % 25);
                        try {
                            if (put(server.baseUrl(), token, key, i) == 200) {
                                acknowledged.merge(key, i, Math::max);
                            }
                        } catch (Exception e) {
                            // the process died mid-request: this write was never acknowledged
                        }
                    }
                });
            }
            Thread.sleep(1500);
            server.crashAndRestart();
            stop.set(true);
            writers.shutdown();
            assertTrue(writers.awaitTermination(30, TimeUnit.SECONDS));

            assertTrue(acknowledged.size() > 20, "the writers got writes acknowledged before the crash");
            for (Map.Entry<String, Integer> e : acknowledged.entrySet()) {
                JsonNode value = get(server.baseUrl(), token, e.getKey());
                assertTrue(value.isInt() && value.asInt() >= e.getValue(),
                        e.getKey() + ": acknowledged " + e.getValue() + ", read back " + value);
            }
        }
    }

    private static int put(String base, String token, String key, int value) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/extensions/acme/notes/storage/persistent/" + key))
                .timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"value\":" + value + "}")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static JsonNode get(String base, String token, String key) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/extensions/acme/notes/storage/persistent/" + key))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return RestClient.parse(r.body()).get("result");
    }
}
