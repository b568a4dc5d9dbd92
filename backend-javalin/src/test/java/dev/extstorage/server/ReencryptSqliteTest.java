package dev.extstorage.server;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** {@link ReencryptContract} on a SQLite file. */
class ReencryptSqliteTest extends ReencryptContract {
    @TempDir
    Path dir;

    @Override
    String newDatabase() {
        return "jdbc:sqlite:" + dir.resolve("reencrypt.db");
    }

    @Override
    String databaseAtV13() {
        String url = "jdbc:sqlite:" + dir.resolve("v13.db");
        migrate(url, "sqlite", "13");
        return url;
    }

    @Override
    void dropDatabase() {
        // the temporary directory goes with the test
    }
}
