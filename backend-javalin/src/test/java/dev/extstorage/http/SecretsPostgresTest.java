package dev.extstorage.http;

import dev.extstorage.config.ServerConfig;
import dev.extstorage.testing.PgDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.List;
import java.util.Map;

/** {@link SecretsContract} on PostgreSQL, in a database of its own. */
class SecretsPostgresTest extends SecretsContract {
    static PgDatabase db;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        db = PgDatabase.create("secrets");
        server = new TestServer(Map.of(ServerConfig.DB_URL, db.url(),
                ServerConfig.ENCRYPTION_KEYS, EncryptionAtRestTest.OLD));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Override
    TestServer server() {
        return server;
    }

    @Override
    void sql(String statement) throws Exception {
        try (var c = db.connect(); var s = c.createStatement()) {
            s.executeUpdate(statement);
        }
    }

    @Override
    List<String> rowsAsText(String table) throws Exception {
        return EncryptionAtRestPostgresTest.rowsAsText(db, table);
    }

    @Override
    void assertNotInDatabaseFiles(String plain) throws Exception {
        EncryptionAtRestPostgresTest.assertNotInRelationFile(db, "extension_secret", plain);
    }
}
