package dev.extstorage.server;

import dev.extstorage.config.ServerConfig;
import dev.extstorage.config.Settings;
import dev.extstorage.testing.TestServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link StorageServer#start}: the persistent store opens on a thread of its own, and its failures still surface. */
class StorageServerStartTest {
    @TempDir
    Path dir;

    private ServerConfig config(String dbUrl) {
        return config(dbUrl, Map.of());
    }

    private ServerConfig config(String dbUrl, Map<String, String> more) {
        Map<String, String> settings = new HashMap<>(Map.of(
                ServerConfig.DB_URL, dbUrl,
                ServerConfig.PORT, "0",
                ServerConfig.HOST, "127.0.0.1",
                ServerConfig.WEB_DIR, dir.toString(),
                ServerConfig.JWT_SECRET, "a-test-secret-that-is-long-enough-for-hs256-0123456789"));
        settings.putAll(more);
        return ServerConfig.from(Settings.of(settings));
    }

    @Test
    void aPersistentStoreThatCannotOpenFailsTheStartWithItsOwnError() throws IOException {
        Path notADirectory = Files.writeString(dir.resolve("a-file"), "x");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> StorageServer.start(config("jdbc:sqlite:" + notADirectory.resolve("db.sqlite"))));
        assertTrue(e.getMessage().startsWith("Cannot create the directory of the SQLite database"), e.getMessage());
    }

    /**
     * With Redis, the ephemeral store and the rate limiter each hold a connection pool before the persistent store
     * has opened; a start that fails then closes both. Every open pool is registered in JMX (Jedis' default), so
     * their count shows one left open.
     */
    @Test
    void aStartThatFailsClosesTheRedisPoolsItOpened() throws Exception {
        String redisUrl = TestServices.redisUrl();
        Path notADirectory = Files.writeString(dir.resolve("a-file"), "x");
        int before = openPools();
        assertThrows(IllegalStateException.class, () -> StorageServer.start(config(
                "jdbc:sqlite:" + notADirectory.resolve("db.sqlite"),
                Map.of(ServerConfig.REDIS_URL, redisUrl, ServerConfig.RATE_PER_SECOND, "50"))));
        assertEquals(before, openPools());
    }

    private static int openPools() throws MalformedObjectNameException {
        return ManagementFactory.getPlatformMBeanServer()
                .queryNames(new ObjectName("org.apache.commons.pool2:type=GenericObjectPool,*"), null).size();
    }

    @Test
    void aServerIsReadyWhenStartReturns() throws Exception {
        try (StorageServer server = StorageServer.start(config("jdbc:sqlite:" + dir.resolve("data/db.sqlite")))) {
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());
            assertTrue(health.body().contains("\"engine\":\"sqlite\",\"status\":\"ok\""), health.body());
        }
    }
}
