package dev.extstorage.http;

import dev.extstorage.config.ServerConfig;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

/** {@link SecretsContract} on PostgreSQL, in a database of its own. */
class SecretsPostgresTest extends SecretsContract {
    @RegisterExtension
    static final TestServer server = TestServer.perClassOnPostgres(Map.of(ServerConfig.ENCRYPTION_KEYS,
            EncryptionAtRestTest.OLD));

    @Override
    TestServer server() {
        return server;
    }

    @Override
    void sql(String statement) throws Exception {
        try (var c = server.db.connect(); var s = c.createStatement()) {
            s.executeUpdate(statement);
        }
    }

    @Override
    List<String> rowsAsText(String table) throws Exception {
        return EncryptionAtRestPostgresTest.rowsAsText(server.db, table);
    }

    @Override
    void assertNotInDatabaseFiles(String plain) throws Exception {
        EncryptionAtRestPostgresTest.assertNotInRelationFile(server.db, "extension_secret", plain);
    }
}
