package dev.extstorage.store.sql;

import dev.extstorage.store.Fixtures;

import dev.extstorage.store.PersistentStore;
import dev.extstorage.store.Stores;

import dev.extstorage.model.ErrorCode;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static dev.extstorage.store.Fixtures.shared;
import static dev.extstorage.store.Fixtures.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqlitePersistentStoreTest extends PersistentStoreContract {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("nested/dirs/storage.db");
    }

    @Override
    protected PersistentStore open() {
        return Stores.openPersistent("jdbc:sqlite:" + file(), 4);
    }

    @Override
    protected void reset() {
        // Each test gets a fresh @TempDir.
    }

    @Override
    public String databaseBeforeV5() {
        // SQLite's schema before V5 is V2 (V3 and V4 are PostgreSQL's).
        String url = "jdbc:sqlite:" + dir.resolve("before-v5.db");
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration/common").target("2")
                .load().migrate();
        return url;
    }

    @Override
    public String databaseBeforeV12() {
        String url = "jdbc:sqlite:" + dir.resolve("before-v12.db");
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration/common").target("11")
                .load().migrate();
        return url;
    }

    @Override
    public String changeSeqBeforeV5(int n) {
        return String.valueOf(n);
    }

    @Test
    void createsTheFileInWalModeWithTheSchema() throws Exception {
        assertTrue(Files.exists(file()));
        assertEquals("sqlite", store.engine());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                assertEquals("wal", rs.getString(1).toLowerCase());
            }
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM flyway_schema_history WHERE success = 1")) {
                assertEquals(10, rs.getInt(1),
                        "V1, V2, V5, V8, V9, V11, V12, V13, V14 and V15 (V3, V4, V6, V7, V10 and V16 are PostgreSQL's)");
            }
            try (ResultSet rs = s.executeQuery("SELECT name FROM pragma_table_info('extension_usage')")) {
                List<String> columns = new ArrayList<>();
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
                assertEquals(List.of("extension_id", "used_bytes", "shard"), columns,
                        "V8 dropped last_seq, V15 added the shard");
            }
        }
    }

    @Test
    void aLockHeldTooLongFailsWithStoreUnavailableAndReadsGoOn() throws Exception {
        store.set(shared(), "k", "1", NO_QUOTA);
        try (PersistentStore impatient = Stores.openPersistent("jdbc:sqlite:" + file() + "?busy_timeout=200", 2);
             Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
             Statement s = c.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            s.execute("UPDATE extension_usage SET used_bytes = used_bytes");
            Fixtures.assertFailsFast(ErrorCode.STORE_UNAVAILABLE,
                    () -> impatient.set(user("alice"), "k", "2", NO_QUOTA));
            assertEquals("1", impatient.get(shared(), "k"));
            s.execute("ROLLBACK");
            impatient.set(user("alice"), "k", "2", NO_QUOTA);
            assertEquals("2", store.get(user("alice"), "k"));
        }
    }

    @Test
    void synchronousFullIsAccepted() {
        try (PersistentStore full = Stores.openPersistent("jdbc:sqlite:" + file() + "?synchronous=FULL", 2)) {
            full.set(shared(), "k", "1", NO_QUOTA);
            assertEquals("1", store.get(shared(), "k"));
        }
    }

    @Test
    void refusesUrlsThatCannotPersist() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Stores.openPersistent("jdbc:sqlite::memory:", 2));
        assertTrue(e.getMessage().contains("file"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Stores.openPersistent("jdbc:sqlite:" + file() + "?synchronous=OFF", 2));
        assertThrows(IllegalArgumentException.class,
                () -> Stores.openPersistent("jdbc:sqlite:" + file() + "?journal_mode=DELETE", 2));
    }
}
