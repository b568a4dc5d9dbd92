package dev.extstorage.store.sql;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.Paging;
import dev.extstorage.model.Utf8;
import dev.extstorage.store.Namespace;
import dev.extstorage.store.PersistentStore;
import dev.extstorage.store.Quota;
import dev.extstorage.store.Stores;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.extstorage.store.Fixtures.NOTES;
import static dev.extstorage.store.Fixtures.NOTES_PLUS;
import static dev.extstorage.store.Fixtures.assertCode;
import static dev.extstorage.store.Fixtures.cost;
import static dev.extstorage.store.Fixtures.shared;
import static dev.extstorage.store.Fixtures.user;
import static dev.extstorage.store.sql.PersistentQuotaContract.UNBOUNDED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The upgrade of a database written before per-namespace usage and the entry overhead (migration V5): existing
 * entries keep their values and order, their sizes gain the overhead, and every counter equals the sums over
 * them, so the bounds hold from the first write after the upgrade. Runs with {@link PersistentStoreContract}.
 */
interface PersistentMigrationContract {
    /** The JDBC URL of a new database of its own, migrated only up to the schema before V5, with no rows. */
    String databaseBeforeV5() throws Exception;

    /** SQL for the change number a server of that schema gave its {@code n}-th write. */
    String changeSeqBeforeV5(int n);

    /** Rows as a server of the schema before V5 left them: size_bytes = key + value bytes, no overhead. */
    String[][] OLD_ROWS = {
            // namespace, key, value
            {"alice", "old1", "1"}, {"alice", "old2", "\"é\""}, {"alice", "old3", "[1,2]"},
            {"bob", "b", "{}"}, {"", "s", "null"}, {"plus", "k", "1"}};

    @Test
    default void aDatabaseWithDataMigratesToEntryCostsAndNamespaceUsage() throws Exception {
        String url = databaseBeforeV5();
        try (Connection c = DriverManager.getConnection(url)) {
            long notes = 0;
            for (int i = 0; i < OLD_ROWS.length; i++) {
                String[] row = OLD_ROWS[i];
                Namespace ns = namespace(row[0]);
                EntryDao.Ref ref = EntryRefs.ref(ns, row[1]);
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO storage_entry (extension_id, scope,"
                        + " owner, owner_hash, entry_key, value_json, size_bytes, created_at, updated_at, change_seq)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, " + changeSeqBeforeV5(i + 1) + ")")) {
                    // the schema before V12 has no resource column: bind the row's other parts
                    ps.setString(1, ref.ext());
                    ps.setString(2, ref.scope());
                    ps.setString(3, ref.owner());
                    ps.setString(4, ref.ownerHash());
                    ps.setString(5, ref.key());
                    ps.setString(6, row[2]);
                    ps.setLong(7, Utf8.length(row[1]) + Utf8.length(row[2]));
                    ps.executeUpdate();
                }
                notes += ns.extension().equals(NOTES) ? Utf8.length(row[1]) + Utf8.length(row[2]) : 0;
            }
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO extension_usage VALUES ('" + NOTES.id() + "', " + notes + ", 0)");
                s.execute("INSERT INTO extension_usage VALUES ('" + NOTES_PLUS.id() + "', 2, 0)");
            }
        }

        try (PersistentStore upgraded = Stores.openPersistent(url, 2)) {
            long alice = cost("old1", "1") + cost("old2", "\"é\"") + cost("old3", "[1,2]");
            assertEquals(new PersistentStore.Usage(alice, 3), upgraded.usage(user("alice")));
            assertEquals(new PersistentStore.Usage(cost("b", "{}"), 1), upgraded.usage(user("bob")));
            assertEquals(new PersistentStore.Usage(cost("s", "null"), 1), upgraded.usage(shared()));
            assertEquals(alice + cost("b", "{}") + cost("s", "null"), upgraded.usedBytes(NOTES));
            assertEquals(cost("k", "1"), upgraded.usedBytes(NOTES_PLUS));
            // V9: every old row has a version, distinct, never of the form writes use
            Set<String> versions = new HashSet<>();
            for (String[] row : OLD_ROWS) {
                String version = upgraded.getEntry(namespace(row[0]), row[1]).version();
                assertTrue(version.matches("m[0-9]+"), version);
                assertTrue(versions.add(version), version);
            }
            Listings.Page page = Listings.list(upgraded, user("alice"), Paging.of(0, 10));
            assertEquals(List.of("old3", "old2", "old1"), page.keys());
            assertEquals("\"é\"", page.entries().get(1).json());
            assertEquals(3, page.total());

            // Writes after the upgrade: an overwrite of an old row is no new entry, an insert is, and the share
            // holds exactly at its limit.
            upgraded.set(user("alice"), "old1", "11", PersistentQuotaContract.NO_QUOTA);
            alice += 1;
            Quota share = new Quota(UNBOUNDED, alice + cost("new", "2"));
            upgraded.set(user("alice"), "new", "2", share);
            assertEquals(new PersistentStore.Usage(share.ownerBytes(), 4), upgraded.usage(user("alice")));
            assertCode(ErrorCode.QUOTA_EXCEEDED, () -> upgraded.set(user("alice"), "new", "22", share));
            upgraded.remove(user("alice"), "old2");
            assertEquals(new PersistentStore.Usage(share.ownerBytes() - cost("old2", "\"é\""), 3),
                    upgraded.usage(user("alice")));
            assertEquals(List.of("new", "old1", "old3"),
                    Listings.list(upgraded, user("alice"), Paging.of(0, 10)).keys());
            assertEquals(upgraded.usage(user("alice")).bytes() + cost("b", "{}") + cost("s", "null"),
                    upgraded.usedBytes(NOTES));
        }
    }

    private static Namespace namespace(String owner) {
        return switch (owner) {
            case "" -> shared();
            case "plus" -> Namespace.user(NOTES_PLUS, "alice");
            default -> user(owner);
        };
    }
}
