package dev.extstorage.store.sql;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.Paging;
import dev.extstorage.model.Precondition;
import dev.extstorage.model.ResourceRef;
import dev.extstorage.store.Namespace;
import dev.extstorage.store.PageSink;
import dev.extstorage.store.PersistentStore;
import dev.extstorage.store.Quota;
import dev.extstorage.store.Stores;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.extstorage.store.Fixtures.NOTES;
import static dev.extstorage.store.Fixtures.OTHER;
import static dev.extstorage.store.Fixtures.assertCode;
import static dev.extstorage.store.Fixtures.cost;
import static dev.extstorage.store.Fixtures.shared;
import static dev.extstorage.store.Fixtures.user;
import static dev.extstorage.store.sql.PersistentQuotaContract.NO_QUOTA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Resource-scoped entries (SPEC section 10, migration V12) on the persistent engines: separate from the plain
 * entries and from other resources', listed apart, counted in their namespace's bounds, exported, erased,
 * purged with their extension, and removed per resource. Runs with {@link PersistentStoreContract}.
 */
interface PersistentResourceContract {
    ResourceRef DASHBOARD_1 = ResourceRef.of("dashboard", "11111111-1111-4111-8111-111111111111");
    ResourceRef DASHBOARD_2 = ResourceRef.of("dashboard", "22222222-2222-4222-8222-222222222222");

    PersistentStore store();

    /** The JDBC URL of a new database of its own, migrated up to V11 (the schema before V12), with no rows. */
    String databaseBeforeV12() throws Exception;

    @Test
    default void theSameKeyOnTwoResourcesAndUnscopedIsThreeEntries() {
        PersistentStore s = store();
        Namespace plain = user("alice");
        s.set(plain, "k", "0", NO_QUOTA);
        String v1 = s.set(plain.forResource(DASHBOARD_1), "k", "1", NO_QUOTA);
        s.set(plain.forResource(DASHBOARD_2), "k", "2", NO_QUOTA);
        s.set(shared().forResource(DASHBOARD_1), "k", "\"s1\"", NO_QUOTA);
        assertEquals("0", s.get(plain, "k"));
        assertEquals("1", s.get(plain.forResource(DASHBOARD_1), "k"));
        assertEquals("2", s.get(plain.forResource(DASHBOARD_2), "k"));
        assertEquals("\"s1\"", s.get(shared().forResource(DASHBOARD_1), "k"));
        assertNull(s.get(user("bob").forResource(DASHBOARD_1), "k"));
        assertNull(s.get(Namespace.user(OTHER, "alice").forResource(DASHBOARD_1), "k"));
        // the uuid's letter case names the same resource
        ResourceRef upper = ResourceRef.of("dashboard", "11111111-1111-4111-8111-111111111111".toUpperCase());
        assertEquals("1", s.get(plain.forResource(upper), "k"));
        assertEquals(v1, s.getEntry(plain.forResource(DASHBOARD_1), "k").version());

        // conditions and removal act on the one entry they name
        assertCode(ErrorCode.PRECONDITION_FAILED, () -> s.set(plain.forResource(DASHBOARD_2), "k", "9", NO_QUOTA,
                Precondition.ifVersion(v1)));
        assertTrue(s.remove(plain.forResource(DASHBOARD_1), "k", Precondition.ifVersion(v1)));
        assertNull(s.get(plain.forResource(DASHBOARD_1), "k"));
        assertEquals("0", s.get(plain, "k"));
        assertEquals("2", s.get(plain.forResource(DASHBOARD_2), "k"));
    }

    @Test
    default void thePlainListingShowsPlainEntriesAndAResourceListingOnlyThatResources() {
        PersistentStore s = store();
        Namespace plain = user("alice");
        s.set(plain, "a", "1", NO_QUOTA);
        s.set(plain.forResource(DASHBOARD_1), "r1", "1", NO_QUOTA);
        s.set(plain, "b", "2", NO_QUOTA);
        s.set(plain.forResource(DASHBOARD_1), "r2", "2", NO_QUOTA);
        s.set(plain.forResource(DASHBOARD_2), "x", "3", NO_QUOTA);

        Listings.Page p = Listings.list(s, plain, Paging.of(0, 10));
        assertEquals(List.of("b", "a"), p.keys());
        assertEquals(2, p.total());
        Listings.Page r = Listings.list(s, plain.forResource(DASHBOARD_1), Paging.of(0, 10));
        assertEquals(List.of("r2", "r1"), r.keys());
        assertEquals(2, r.total());
        assertEquals(List.of("x"), Listings.list(s, plain.forResource(DASHBOARD_2), Paging.of(0, 10)).keys());
        assertEquals(0, Listings.list(s, user("bob").forResource(DASHBOARD_1), Paging.of(0, 10)).total());

        List<String> prefixed = new ArrayList<>();
        s.lifecycle().list(plain.forResource(DASHBOARD_1), "r", Paging.of(0, 10), Long.MAX_VALUE,
                new PageSink() {
                    @Override
                    public void begin(long total, long pageBytes) {
                        assertEquals(2, total);
                    }

                    @Override
                    public void entry(String key, String json) {
                        prefixed.add(key);
                    }

                    @Override
                    public void end() {
                    }
                });
        assertEquals(List.of("r2", "r1"), prefixed);
    }

    @Test
    default void resourceEntriesCountInTheirNamespacesBounds() {
        PersistentStore s = store();
        Namespace plain = user("alice");
        s.set(plain, "a", "1", NO_QUOTA);
        s.set(plain.forResource(DASHBOARD_1), "a", "1", NO_QUOTA);
        assertEquals(new PersistentStore.Usage(2 * cost("a", "1"), 2), s.usage(plain));
        Quota full = new Quota(Long.MAX_VALUE, 2 * cost("a", "1"));
        assertCode(ErrorCode.QUOTA_EXCEEDED, () -> s.set(plain.forResource(DASHBOARD_2), "a", "1", full));
        s.remove(plain.forResource(DASHBOARD_1), "a");
        assertEquals(new PersistentStore.Usage(cost("a", "1"), 1), s.usage(plain));
        s.set(plain.forResource(DASHBOARD_2), "a", "1", full);
        assertEquals(2 * cost("a", "1"), s.usedBytes(NOTES));
    }

    @Test
    default void purgingOneResourceLeavesOthersAndPlainEntriesAndGivesBytesBack() {
        PersistentStore s = store();
        s.set(user("alice"), "k", "0", NO_QUOTA);
        s.set(user("alice").forResource(DASHBOARD_1), "k", "1", NO_QUOTA);
        s.set(user("bob").forResource(DASHBOARD_1), "k", "1", NO_QUOTA);
        s.set(shared().forResource(DASHBOARD_1), "k", "1", NO_QUOTA);
        s.set(Namespace.shared(OTHER).forResource(DASHBOARD_1), "k", "1", NO_QUOTA);
        s.set(user("alice").forResource(DASHBOARD_2), "k", "2", NO_QUOTA);

        assertEquals(4, s.lifecycle().purgeResource(DASHBOARD_1));
        assertNull(s.get(user("alice").forResource(DASHBOARD_1), "k"));
        assertNull(s.get(Namespace.shared(OTHER).forResource(DASHBOARD_1), "k"));
        assertEquals("0", s.get(user("alice"), "k"));
        assertEquals("2", s.get(user("alice").forResource(DASHBOARD_2), "k"));
        assertEquals(new PersistentStore.Usage(cost("k", "0") + cost("k", "2"), 2), s.usage(user("alice")));
        assertEquals(new PersistentStore.Usage(0, 0), s.usage(user("bob")));
        assertEquals(0, s.usedBytes(OTHER));
        assertEquals(cost("k", "0") + cost("k", "2"), s.usedBytes(NOTES));
        assertEquals(0, s.lifecycle().purgeResource(DASHBOARD_1));
    }

    @Test
    default void exportCarriesTheResourceAndErasureAndPurgeRemoveResourceEntries() {
        PersistentStore s = store();
        s.set(user("alice"), "k", "0", NO_QUOTA);
        s.set(user("alice").forResource(DASHBOARD_1), "k", "1", NO_QUOTA);
        s.set(Namespace.user(OTHER, "alice").forResource(DASHBOARD_2), "k", "2", NO_QUOTA);
        Map<String, String> exported = new TreeMap<>();
        s.lifecycle().exportUser("alice", (ext, resource, key, json, updated, expires) ->
                exported.put(ext + "|" + resource + "|" + key, json));
        assertEquals(Map.of("acme.notes|null|k", "0", "acme.notes|" + DASHBOARD_1.storageForm() + "|k", "1",
                "globex.notes|" + DASHBOARD_2.storageForm() + "|k", "2"), exported);

        assertEquals(1, s.lifecycle().purge(OTHER));
        assertNull(s.get(Namespace.user(OTHER, "alice").forResource(DASHBOARD_2), "k"));
        assertEquals(2, s.lifecycle().eraseUser("alice"));
        assertNull(s.get(user("alice").forResource(DASHBOARD_1), "k"));
        assertEquals(0, s.usedBytes(NOTES));
    }

    @Test
    default void aDatabaseBeforeV12KeepsItsEntriesAsPlainOnes() throws Exception {
        String url = databaseBeforeV12();
        EntryDao.Ref alice = EntryRefs.ref(user("alice"), null);
        EntryDao.Ref sharedNs = EntryRefs.ref(shared(), null);
        String[][] rows = {{"alice", "old1", "1", "1"}, {"alice", "old2", "\"two\"", "2"}, {"", "s", "null", "3"}};
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            for (String[] row : rows) {
                EntryDao.Ref ns = row[0].isEmpty() ? sharedNs : alice;
                st.execute("INSERT INTO storage_entry (extension_id, scope, owner, owner_hash, entry_key, value_json,"
                        + " size_bytes, prev_size, created_at, updated_at, change_seq, entry_version) VALUES ('"
                        + ns.ext() + "', '" + ns.scope() + "', '" + ns.owner() + "', '" + ns.ownerHash() + "', '"
                        + row[1] + "', '" + row[2] + "', " + cost(row[1], row[2]) + ", 0, 0, 0, "
                        // below every change number the engines hand out from now on (PostgreSQL's sequence)
                        + (Integer.parseInt(row[3]) - 10) + ", 'm" + row[3] + "')");
            }
            long aliceBytes = cost("old1", "1") + cost("old2", "\"two\"");
            st.execute("INSERT INTO namespace_usage VALUES ('" + alice.ext() + "', 'user', '" + alice.ownerHash()
                    + "', " + aliceBytes + ", 2)");
            st.execute("INSERT INTO namespace_usage VALUES ('" + sharedNs.ext() + "', 'shared', '"
                    + sharedNs.ownerHash() + "', " + cost("s", "null") + ", 1)");
            st.execute("INSERT INTO extension_usage VALUES ('" + alice.ext() + "', "
                    + (aliceBytes + cost("s", "null")) + ")");
        }
        try (PersistentStore upgraded = Stores.openPersistent(url, 2)) {
            assertEquals("1", upgraded.get(user("alice"), "old1"));
            assertEquals("m2", upgraded.getEntry(user("alice"), "old2").version());
            assertEquals("null", upgraded.get(shared(), "s"));
            assertNull(upgraded.get(user("alice").forResource(DASHBOARD_1), "old1"));
            assertEquals(List.of("old2", "old1"), Listings.list(upgraded, user("alice"), Paging.of(0, 10)).keys());
            // a resource entry of an old key is a new, separate entry; the old one is untouched
            upgraded.set(user("alice").forResource(DASHBOARD_1), "old1", "\"r\"", NO_QUOTA);
            upgraded.set(user("alice"), "old1", "11", NO_QUOTA);
            assertEquals("11", upgraded.get(user("alice"), "old1"));
            assertEquals("\"r\"", upgraded.get(user("alice").forResource(DASHBOARD_1), "old1"));
            assertEquals(List.of("old1", "old2"), Listings.list(upgraded, user("alice"), Paging.of(0, 10)).keys());
            assertEquals(new PersistentStore.Usage(cost("old1", "11") + cost("old2", "\"two\"")
                    + cost("old1", "\"r\""), 3), upgraded.usage(user("alice")));
        }
    }
}
