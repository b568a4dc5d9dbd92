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
    void dropDatabase() {
        // the temporary directory goes with the test
    }
}
