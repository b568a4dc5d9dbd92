package dev.extstorage.http;

import dev.extstorage.config.ServerConfig;
import dev.extstorage.testing.TestServices;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.sql.DriverManager;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Encryption at rest on real PostgreSQL: the raw column holds the sealed text only. */
class EncryptionAtRestPostgresTest {
    @Test
    void theColumnHoldsNoPlaintext() throws Exception {
        String pgUrl = TestServices.postgresUrl();
        String db = "enc_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (var c = DriverManager.getConnection(pgUrl); var st = c.createStatement()) {
            st.execute("CREATE DATABASE " + db);
        }
        URI u = URI.create(pgUrl.substring("jdbc:".length()));
        String url = "jdbc:postgresql://127.0.0.1:" + u.getPort() + "/" + db + "?" + u.getQuery();
        try (var server = new TestServer(Map.of(ServerConfig.DB_URL, url,
                ServerConfig.ENCRYPTION_KEYS, EncryptionAtRestTest.OLD))) {
            String plain = EncryptionAtRestTest.PLAIN;
            assertEquals(200, server.put(EncryptionAtRestTest.url("persistent", "pg"), "enc-pg",
                    EncryptionAtRestTest.encrypted("\"" + plain + "\"")).status());
            assertEquals(plain, server.get(EncryptionAtRestTest.url("persistent", "pg"), "enc-pg")
                    .json().get("result").asText());
            try (var c = DriverManager.getConnection(url); var st = c.createStatement();
                 var rs = st.executeQuery("SELECT value_json FROM storage_entry WHERE entry_key = 'pg'")) {
                assertTrue(rs.next());
                String raw = rs.getString(1);
                assertTrue(dev.extstorage.model.StoredValues.isEncrypted(raw), raw);
                assertFalse(raw.contains(plain), raw);
            }
        } finally {
            try (var c = DriverManager.getConnection(pgUrl); var st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            }
        }
    }
}
