package dev.extstorage.http;

import dev.extstorage.config.ConfigException;
import dev.extstorage.config.ServerConfig;
import dev.extstorage.config.Settings;
import dev.extstorage.model.RestPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

import static dev.extstorage.http.RestApiTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Encryption at rest over REST on SQLite (SPEC section 10): sealed in the file, opened on every read. */
class EncryptionAtRestTest {
    static final String OLD = "k1:" + key(1);
    static final String NEW = "k2:" + key(2);
    static final String PLAIN = "very-private-plaintext-4711";

    @RegisterExtension
    static final TestServer server = TestServer.perClass(Map.of(ServerConfig.ENCRYPTION_KEYS, OLD));

    static String key(int fill) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) fill);
        return Base64.getEncoder().encodeToString(k);
    }

    static String url(String tier, String key) {
        return TestServer.url("acme", "notes", tier, key);
    }

    static String encrypted(String value) {
        return "{\"value\":" + value + ",\"encrypt\":true}";
    }

    /** Every file of the database (with its WAL and SHM) holds no byte sequence of the plaintext. */
    static void assertNoPlaintextOnDisk(String plain) throws Exception {
        assertNoPlaintextOnDisk(server.dir, plain);
    }

    /** As above, for the database files of the server in {@code dir}. */
    static void assertNoPlaintextOnDisk(Path dir, String plain) throws Exception {
        byte[] needle = plain.getBytes(StandardCharsets.UTF_8);
        int files = 0;
        try (var paths = Files.list(dir)) {
            for (Path p : paths.filter(f -> f.getFileName().toString().startsWith("storage.db")).toList()) {
                files++;
                byte[] hay = Files.readAllBytes(p);
                assertFalse(indexOf(hay, needle) >= 0, p + " holds the plaintext");
            }
        }
        assertTrue(files >= 1);
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    void sql(String statement) throws Exception {
        try (var c = DriverManager.getConnection(server.env.get(ServerConfig.DB_URL)); var s = c.createStatement()) {
            s.executeUpdate(statement);
        }
    }

    @Test
    void encryptedValuesAreSealedOnDiskAndReadBackEverywhere() throws Exception {
        assertEquals(200, server.put(url("persistent", "diary"), "enc-alice", encrypted("{\"text\":\"" + PLAIN + "\"}")).status());
        var get = server.get(url("persistent", "diary"), "enc-alice");
        assertEquals(200, get.status(), get.body());
        assertEquals(PLAIN, get.json().get("result").get("text").asText());
        assertTrue(get.json().get("result").isObject());
        var list = server.get(RestPaths.tierPath("acme", "notes", "persistent"), "enc-alice");
        assertTrue(list.body().contains(PLAIN), list.body());
        var export = server.get(RestPaths.ME_STORAGE_PATH, "enc-alice");
        assertEquals(200, export.status(), export.body());
        assertTrue(export.body().contains(PLAIN), export.body());
        assertNoPlaintextOnDisk(PLAIN);
    }

    @Test
    void binaryValuesEncryptToo() throws Exception {
        String base64 = Base64.getEncoder().encodeToString(("bin-" + PLAIN).getBytes(StandardCharsets.UTF_8));
        var put = server.put(url("persistent", "blob"), "enc-alice",
                "{\"value\":\"" + base64 + "\",\"isBinary\":true,\"encrypt\":true}");
        assertEquals(200, put.status(), put.body());
        assertEquals("{\"result\":\"" + base64 + "\",\"isBinary\":true}", server.get(url("persistent", "blob"), "enc-alice").body());
        assertNoPlaintextOnDisk(base64);
    }

    @Test
    void encryptIsRefusedOnTheEphemeralTier() {
        assertError(server.put(url("ephemeral", "e"), "enc-alice", "{\"value\":1,\"ttl\":60,\"encrypt\":true}"),
                400, "INVALID_BODY");
    }

    @Test
    void encryptIsRefusedWithoutKeys() throws Exception {
        try (var plain = new TestServer()) {
            assertError(plain.put(url("persistent", "x"), "enc-alice", encrypted("1")), 400, "INVALID_BODY");
        }
    }

    @Test
    void theQuotaCountsTheStoredEnvelope() {
        assertEquals(200, server.put(url("persistent", "q"), "enc-quota", "{\"value\":\"" + PLAIN + "\"}").status());
        var usage = server.get(RestPaths.usagePath("acme", "notes"), "enc-quota");
        long plainBytes = usage.json().findValue("persistent").path("userBytes").asLong();
        assertEquals(200, server.put(url("persistent", "q"), "enc-quota", encrypted("\"" + PLAIN + "\"")).status());
        long sealedBytes = server.get(RestPaths.usagePath("acme", "notes"), "enc-quota")
                .json().findValue("persistent").path("userBytes").asLong();
        assertTrue(sealedBytes > plainBytes + 28, plainBytes + " -> " + sealedBytes);
    }

    @Test
    void aRowMovedToAnotherOwnerOrKeyDoesNotDecrypt() throws Exception {
        assertEquals(200, server.put(url("persistent", "src"), "enc-carol", encrypted("\"" + PLAIN + "\"")).status());
        assertEquals(200, server.put(url("persistent", "dst"), "enc-dave", "{\"value\":\"mine\"}").status());
        assertEquals(200, server.put(url("persistent", "dst2"), "enc-carol", "{\"value\":\"mine too\"}").status());
        server.stop();
        try {
            sql("UPDATE storage_entry SET value_json = (SELECT value_json FROM storage_entry WHERE entry_key = 'src')"
                    + " WHERE entry_key IN ('dst', 'dst2')");
        } finally {
            server.start();
        }
        assertError(server.get(url("persistent", "dst"), "enc-dave"), 403, "FORBIDDEN");
        assertError(server.get(url("persistent", "dst2"), "enc-carol"), 403, "FORBIDDEN");
        assertError(server.get(RestPaths.tierPath("acme", "notes", "persistent"), "enc-dave"), 403, "FORBIDDEN");
        var export = server.get(RestPaths.ME_STORAGE_PATH, "enc-dave");
        assertFalse(export.body().contains(PLAIN), export.body());
        assertEquals(PLAIN, server.get(url("persistent", "src"), "enc-carol").json().get("result").asText());
    }

    @Test
    void aResourceEntryCopiedToAnotherResourceOrThePlainEntryDoesNotOpen() throws Exception {
        assertResourceBound(server, this::sql);
    }

    /** Runs one SQL statement on a server's database. */
    @FunctionalInterface
    interface Sql {
        void run(String statement) throws Exception;
    }

    static final String D1 = "resource_type=dashboard&resource_uuid=aaaaaaaa-1111-4111-8111-111111111111";
    static final String D2 = "resource_type=dashboard&resource_uuid=bbbbbbbb-2222-4222-8222-222222222222";

    /**
     * The associated data binds an entry's resource (AtRest.owner): an encrypted value of resource D1 copied to
     * the same key of resource D2, or of the plain entries, answers 403 FORBIDDEN there; D1 still reads it.
     */
    static void assertResourceBound(TestServer server, Sql sql) throws Exception {
        String key = url("persistent", "res-bound");
        assertEquals(200, server.put(key + "?" + D1, "enc-res", encrypted("\"" + PLAIN + "\"")).status());
        assertEquals(200, server.put(key + "?" + D2, "enc-res", encrypted("\"d2's\"")).status());
        assertEquals(200, server.put(key, "enc-res", encrypted("\"plain's\"")).status());
        sql.run("UPDATE storage_entry SET value_json = (SELECT e.value_json FROM storage_entry e"
                + " WHERE e.entry_key = 'res-bound' AND e.resource LIKE 'dashboard/aaaa%')"
                + " WHERE entry_key = 'res-bound' AND resource NOT LIKE 'dashboard/aaaa%'");
        assertError(server.get(key + "?" + D2, "enc-res"), 403, "FORBIDDEN");
        assertError(server.get(key, "enc-res"), 403, "FORBIDDEN");
        assertEquals(PLAIN, server.get(key + "?" + D1, "enc-res").json().get("result").asText());
    }

    @Test
    void aRotatedRingKeepsEveryValueReadable() {
        assertRotation(server, "enc-erin");
    }

    /**
     * A value sealed with k1 reads back once the ring is k2,k1 (in a listing too), as does one sealed with k2;
     * without k1 its values are unavailable (a clear 503, not a 500), the new ones readable. Restarts
     * {@code server}, which runs with {@link #OLD} again afterwards.
     */
    static void assertRotation(TestServer server, String user) {
        assertEquals(200, server.put(url("persistent", "old"), user, encrypted("\"sealed with k1\"")).status());
        server.stop();
        server.env.put(ServerConfig.ENCRYPTION_KEYS, NEW + "," + OLD);
        try {
            server.start();
            assertEquals(200, server.put(url("persistent", "new"), user, encrypted("\"sealed with k2\"")).status());
            assertEquals("sealed with k1", server.get(url("persistent", "old"), user).json().get("result").asText());
            assertEquals("sealed with k2", server.get(url("persistent", "new"), user).json().get("result").asText());
            var list = server.get(RestPaths.tierPath("acme", "notes", "persistent"), user);
            assertTrue(list.body().contains("sealed with k1") && list.body().contains("sealed with k2"), list.body());
            server.stop();
            server.env.put(ServerConfig.ENCRYPTION_KEYS, NEW);
            server.start();
            assertError(server.get(url("persistent", "old"), user), 503, "STORE_UNAVAILABLE");
            assertEquals("sealed with k2", server.get(url("persistent", "new"), user).json().get("result").asText());
        } finally {
            server.stop();
            server.env.put(ServerConfig.ENCRYPTION_KEYS, OLD);
            server.start();
        }
    }

    @Test
    void aMalformedKeyListFailsStartUpWithoutPrintingKeys() {
        String material = Base64.getEncoder().encodeToString(new byte[16]);
        for (String spec : new String[] {"k1:" + material, "nocolon", "k1:" + key(1) + ",k1:" + key(3), "b@d:" + key(1)}) {
            var e = assertThrows(ConfigException.class, () -> ServerConfig.from(Settings.of(Map.of(
                    ServerConfig.JWT_SECRET, "s", ServerConfig.ENCRYPTION_KEYS, spec))));
            assertTrue(e.getMessage().contains(ServerConfig.ENCRYPTION_KEYS), e.getMessage());
            assertFalse(e.getMessage().contains(material) || e.getMessage().contains(key(1)), e.getMessage());
        }
    }
}
