package dev.extstorage.http;

import dev.extstorage.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.DriverManager;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link SecretsContract} on the embedded engine: the SQLite file with its WAL holds no plaintext. */
class SecretsSqliteTest extends SecretsContract {
    @RegisterExtension
    static final TestServer server = TestServer.perClass(Map.of(ServerConfig.ENCRYPTION_KEYS, EncryptionAtRestTest.OLD));

    @Override
    TestServer server() {
        return server;
    }

    @Override
    void sql(String statement) throws Exception {
        try (var c = DriverManager.getConnection(server.env.get(ServerConfig.DB_URL)); var s = c.createStatement()) {
            s.executeUpdate(statement);
        }
    }

    @Override
    List<String> rowsAsText(String table) throws Exception {
        try (var c = DriverManager.getConnection(server.env.get(ServerConfig.DB_URL))) {
            return rows(c, table);
        }
    }

    @Override
    void assertNotInDatabaseFiles(String plain) throws Exception {
        EncryptionAtRestTest.assertNoPlaintextOnDisk(server.dir, plain);
    }

    @Test
    void withoutKeysTheSecretsAreRefusedClearly() throws Exception {
        try (TestServer plain = new TestServer()) {
            var storage = plain.server.storage().forExtension(NOTES);
            IllegalStateException e = assertThrows(IllegalStateException.class, storage::secrets);
            assertTrue(e.getMessage().contains(ServerConfig.ENCRYPTION_KEYS), e.getMessage());
        }
    }
}
