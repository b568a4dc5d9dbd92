package dev.extstorage.http;

import dev.extstorage.config.ConfigException;
import dev.extstorage.config.ServerConfig;
import dev.extstorage.config.Settings;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Restart on the same SQLite file, TTL expiry, health, and configuration errors. */
class LifecycleTest {
    @Test
    void persistentDataSurvivesARestart() throws Exception {
        try (TestServer server = new TestServer()) {
            String key = TestServer.url("acme", "notes", "persistent", "kept");
            assertEquals(200, server.put(key, "alice", "{\"value\": {\"kept\": true}}").status());
            assertEquals(200, server.put(key + "?shared=true", "alice", "{\"value\": \"shared kept\"}").status());
            server.stop();
            server.start();
            assertEquals("{\"kept\":true}", server.get(key, "alice").result());
            assertEquals("\"shared kept\"", server.get(key + "?shared=true", "bob").result());
        }
    }

    @Test
    void ephemeralValuesExpire() throws Exception {
        try (TestServer server = new TestServer()) {
            String key = TestServer.url("acme", "notes", "ephemeral", "short");
            assertEquals(200, server.put(key, "alice", "{\"value\": 1, \"ttl\": 1}").status());
            assertEquals("1", server.get(key, "alice").result());
            long deadline = System.currentTimeMillis() + 5000;
            String last = "1";
            while (System.currentTimeMillis() < deadline && !last.equals("null")) {
                Thread.sleep(200);
                last = server.get(key, "alice").result();
            }
            assertEquals("null", last);
        }
    }

    @Test
    void healthReportsStores() throws Exception {
        try (TestServer server = new TestServer()) {
            var r = server.send("GET", "/health", null, Map.of());
            assertEquals(200, r.status());
            assertEquals("ok", r.json().get("status").asText());
            assertEquals("sqlite", r.json().at("/stores/persistent/engine").asText());
        }
    }

    @Test
    void installedExtensionsAreListed() throws Exception {
        try (TestServer server = new TestServer()) {
            var r = server.get("/api/v1/extensions/", "alice").json();
            assertEquals(2, r.get("count").asInt());
            assertEquals("acme.notes", r.get("result").get(0).get("id").asText());
        }
    }

    @Test
    void badConfigurationNamesTheVariable() {
        var noSecret = assertThrows(ConfigException.class, () -> ServerConfig.from(Settings.of(Map.of())));
        assertTrue(noSecret.getMessage().contains("EXT_STORAGE_JWT_SECRET"));
        var port = assertThrows(ConfigException.class, () -> ServerConfig.from(Settings.of(
                Map.of("EXT_STORAGE_JWT_SECRET", "s", "EXT_STORAGE_PORT", "eighty"))));
        assertTrue(port.getMessage().contains("EXT_STORAGE_PORT"));
        var ext = assertThrows(ConfigException.class, () -> ServerConfig.from(Settings.of(
                Map.of("EXT_STORAGE_JWT_SECRET", "s", "EXT_STORAGE_EXTENSIONS", "Bad.Id"))));
        assertTrue(ext.getMessage().contains("EXT_STORAGE_EXTENSIONS"));
        var db = assertThrows(ConfigException.class, () -> ServerConfig.from(Settings.of(
                Map.of("EXT_STORAGE_JWT_SECRET", "s", "EXT_STORAGE_DB_URL", "mysql://x"))));
        assertTrue(db.getMessage().contains("EXT_STORAGE_DB_URL"));
        var redis = assertThrows(ConfigException.class, () -> ServerConfig.from(Settings.of(
                Map.of("EXT_STORAGE_JWT_SECRET", "s", "EXT_STORAGE_REDIS_URL", "redis-cluster://:s3cret@h:1,h:x"))));
        assertTrue(redis.getMessage().contains("EXT_STORAGE_REDIS_URL") && !redis.getMessage().contains("s3cret"),
                redis.getMessage());
        assertEquals("redis-cluster://h1:7000,h2:7000", ServerConfig.from(Settings.of(Map.of("EXT_STORAGE_JWT_SECRET",
                "s", "EXT_STORAGE_REDIS_URL", "redis-cluster://h1:7000,h2:7000"))).redisUrl());
        var prefix = assertThrows(ConfigException.class, () -> ServerConfig.from(Settings.of(
                Map.of("EXT_STORAGE_JWT_SECRET", "s", "EXT_STORAGE_REDIS_PREFIX", "a{b}"))));
        assertTrue(prefix.getMessage().contains("EXT_STORAGE_REDIS_PREFIX"), prefix.getMessage());
        var flag = ServerConfig.from(Settings.of(Map.of("EXT_STORAGE_JWT_SECRET", "s", "EXT_STORAGE_PORT", "1"), "--port=9090"));
        assertEquals(9090, flag.port());
    }
}
