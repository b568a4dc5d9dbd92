package dev.extstorage.store.sql;

import dev.extstorage.store.Namespace;
import dev.extstorage.store.PersistentStore;
import dev.extstorage.store.Quota;
import dev.extstorage.store.Stores;
import dev.extstorage.testing.PgDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static dev.extstorage.store.Fixtures.NOTES;
import static dev.extstorage.store.Fixtures.cost;
import static dev.extstorage.store.Fixtures.shared;
import static dev.extstorage.store.Fixtures.user;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Migration V15 (usage in shards) applied to a database written before it, on both engines: every figure stays
 * what it was, and later writes keep the figures equal to the entries' sums.
 */
class UsageShardsMigrationTest {
    @Test
    void postgresqlKeepsTheFiguresOfADatabaseAtV14() throws Exception {
        try (PgDatabase db = PgDatabase.create("usage_v14")) {
            assertMigrationKeepsFigures(db.url(), "postgresql");
        }
    }

    @Test
    void sqliteKeepsTheFiguresOfADatabaseAtV14(@TempDir Path dir) throws Exception {
        assertMigrationKeepsFigures("jdbc:sqlite:" + dir.resolve("v14.db"), "sqlite");
    }

    private static void assertMigrationKeepsFigures(String url, String engineLocation) throws Exception {
        Flyway.configure().dataSource(url, null, null)
                .locations("classpath:db/migration/common", "classpath:db/migration/" + engineLocation)
                .target("14").load().migrate();
        Namespace alice = user("alice");
        long aliceBytes = cost("a1", "1") + cost("a2", "\"two\"");
        long sharedBytes = cost("s", "null");
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            insertEntry(s, alice, "a1", "1", 1);
            insertEntry(s, alice, "a2", "\"two\"", 2);
            insertEntry(s, shared(), "s", "null", 3);
            insertUsage(s, alice, aliceBytes, 2);
            insertUsage(s, shared(), sharedBytes, 1);
            s.execute("INSERT INTO extension_usage (extension_id, used_bytes) VALUES ('" + NOTES.id() + "', "
                    + (aliceBytes + sharedBytes) + ")");
        }
        try (PersistentStore store = Stores.openPersistent(url, 2)) {
            assertEquals(new PersistentStore.Usage(aliceBytes, 2), store.usage(alice));
            assertEquals(new PersistentStore.Usage(sharedBytes, 1), store.usage(shared()));
            assertEquals(aliceBytes + sharedBytes, store.usedBytes(NOTES));

            Quota quota = new Quota(aliceBytes + sharedBytes + cost("a3", "33"), aliceBytes + cost("a3", "33"));
            store.set(alice, "a3", "33", quota);
            store.remove(alice, "a1");
            long after = aliceBytes + cost("a3", "33") - cost("a1", "1");
            assertEquals(new PersistentStore.Usage(after, 2), store.usage(alice));
            assertEquals(after + sharedBytes, store.usedBytes(NOTES));
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT SUM(size_bytes) FROM storage_entry")) {
                rs.next();
                assertEquals(after + sharedBytes, rs.getLong(1));
            }
        }
    }

    private static void insertEntry(Statement s, Namespace ns, String key, String json, int seq) throws Exception {
        EntryDao.Ref ref = EntryRefs.ref(ns, key);
        s.execute("INSERT INTO storage_entry (extension_id, scope, owner, owner_hash, resource, entry_key,"
                + " value_json, size_bytes, prev_size, created_at, updated_at, change_seq, entry_version) VALUES ('"
                + ref.ext() + "', '" + ref.scope() + "', '" + ref.owner() + "', '" + ref.ownerHash() + "', '', '"
                + key + "', '" + json + "', " + cost(key, json) + ", 0, 1, 1, " + seq + ", 'v" + seq + "')");
    }

    private static void insertUsage(Statement s, Namespace ns, long bytes, long entries) throws Exception {
        EntryDao.Ref ref = EntryRefs.ref(ns, null);
        s.execute("INSERT INTO namespace_usage (extension_id, scope, owner_hash, used_bytes, entry_count) VALUES ('"
                + ref.ext() + "', '" + ref.scope() + "', '" + ref.ownerHash() + "', " + bytes + ", " + entries + ")");
    }
}
