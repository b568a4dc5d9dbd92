package dev.extstorage.server;

import dev.extstorage.config.ServerConfig;
import dev.extstorage.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link StorageServer#start}: the persistent store opens on a thread of its own, and its failures still surface. */
class StorageServerStartTest {
    @TempDir
    Path dir;

    private ServerConfig config(String dbUrl) {
        return ServerConfig.from(Settings.of(Map.of(
                ServerConfig.DB_URL, dbUrl,
                ServerConfig.PORT, "0",
                ServerConfig.HOST, "127.0.0.1",
                ServerConfig.WEB_DIR, dir.toString(),
                ServerConfig.JWT_SECRET, "a-test-secret-that-is-long-enough-for-hs256-0123456789")));
    }

    @Test
    void aPersistentStoreThatCannotOpenFailsTheStartWithItsOwnError() throws IOException {
        Path notADirectory = Files.writeString(dir.resolve("a-file"), "x");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> StorageServer.start(config("jdbc:sqlite:" + notADirectory.resolve("db.sqlite"))));
        assertTrue(e.getMessage().startsWith("Cannot create the directory of the SQLite database"), e.getMessage());
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
