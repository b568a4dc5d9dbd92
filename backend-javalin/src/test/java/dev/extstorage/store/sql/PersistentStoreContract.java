package dev.extstorage.store.sql;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.Paging;
import dev.extstorage.model.Precondition;
import dev.extstorage.store.BatchContract;
import dev.extstorage.store.BatchWrite;
import dev.extstorage.store.DataLifecycle;
import dev.extstorage.store.DataLifecycleContract;
import dev.extstorage.store.Fixtures;
import dev.extstorage.store.Namespace;
import dev.extstorage.store.PersistentStore;
import dev.extstorage.store.Quota;
import dev.extstorage.store.StoredEntry;
import dev.extstorage.store.VersionContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.extstorage.store.Fixtures.NOTES;
import static dev.extstorage.store.Fixtures.NOTES_PLUS;
import static dev.extstorage.store.Fixtures.OTHER;
import static dev.extstorage.store.Fixtures.cost;
import static dev.extstorage.store.Fixtures.emojiKey;
import static dev.extstorage.store.Fixtures.shared;
import static dev.extstorage.store.Fixtures.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every promise of {@link PersistentStore}; each engine runs it through a subclass. The bounds of writes, the
 * listing's and the upgrade of older databases are in {@link PersistentQuotaContract},
 * {@link PersistentListingContract} and {@link PersistentMigrationContract}, which run with it.
 */
abstract class PersistentStoreContract implements PersistentQuotaContract, PersistentListingContract,
        PersistentMigrationContract, PersistentResourceContract, SecretStoreContract, VersionContract,
        BatchContract,
        DataLifecycleContract {
    protected PersistentStore store;
    private final List<PersistentStore> extra = new ArrayList<>();

    /** Opens the same database every time it is called in one test; empty at the start of each test. */
    protected abstract PersistentStore open();

    /** Called before each test's first {@link #open()}: start from an empty database. */
    protected abstract void reset() throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        reset();
        store = open();
    }

    @AfterEach
    void closeStores() {
        extra.forEach(PersistentStore::close);
        if (store != null) {
            store.close();
        }
    }

    @Override
    public DataLifecycle lifecycle() {
        return store.lifecycle();
    }

    @Override
    public String engine() {
        return store.engine();
    }

    @Override
    public void put(Namespace namespace, String key, String json) {
        store.set(namespace, key, json, PersistentQuotaContract.NO_QUOTA);
    }

    @Override
    public String read(Namespace namespace, String key) {
        return store.get(namespace, key);
    }

    @Override
    public void delete(Namespace namespace, String key) {
        store.remove(namespace, key);
    }

    /** Another instance on the same database, as a second server process would have. */
    @Override
    public PersistentStore second() {
        PersistentStore s = open();
        extra.add(s);
        return s;
    }

    @Override
    public PersistentStore store() {
        return store;
    }

    @Override
    public Versioned versioned() {
        return versioned(store);
    }

    @Override
    public Versioned versionedElsewhere() {
        return versioned(second());
    }

    @Override
    public Batched batched() {
        PersistentStore s = store;
        return new Batched() {
            @Override
            public List<StoredEntry> getMany(Namespace ns, List<String> keys) {
                return s.getMany(ns, keys, Long.MAX_VALUE);
            }

            @Override
            public List<String> setMany(Namespace ns, List<BatchWrite> writes,
                                                  Quota quota) {
                return s.setMany(ns, writes, quota);
            }

            @Override
            public List<Boolean> removeMany(Namespace ns, List<String> keys) {
                return s.removeMany(ns, keys);
            }

            @Override
            public String set(Namespace ns, String key, String json, Quota quota) {
                return s.set(ns, key, json, quota);
            }

            @Override
            public long namespaceBytes(Namespace ns) {
                return s.usage(ns).bytes();
            }
        };
    }

    @Test
    void aBatchReadAboveItsBoundIsRefusedBeforeItsValuesAreRead() {
        String big = Fixtures.jsonString(1000);
        store.set(user("alice"), "a", big, NO_QUOTA);
        store.set(user("alice"), "b", big, NO_QUOTA);
        long both = 2 * Fixtures.cost("a", big);
        assertEquals(big, store.getMany(user("alice"), List.of("a", "b", "c"), both).get(1).json());
        var e = Fixtures.assertCode(ErrorCode.PAGE_TOO_LARGE,
                () -> store.getMany(user("alice"), List.of("a", "b"), both - 1));
        assertEquals(both - 1, e.limit());
        assertEquals(both, e.actual());
    }

    private static Versioned versioned(PersistentStore s) {
        return new Versioned() {
            @Override
            public StoredEntry get(Namespace ns, String key) {
                return s.getEntry(ns, key);
            }

            @Override
            public String set(Namespace ns, String key, String json, Quota quota, Precondition condition) {
                return s.set(ns, key, json, quota, condition);
            }

            @Override
            public boolean remove(Namespace ns, String key, Precondition condition) {
                return s.remove(ns, key, condition);
            }

            @Override
            public long namespaceBytes(Namespace ns) {
                return s.usage(ns).bytes();
            }
        };
    }

    @Test
    void versionsSurviveARestartAndStillGuardWrites() {
        String version = store.set(user("alice"), "k", "1", NO_QUOTA);
        store.close();
        store = open();
        assertEquals(new StoredEntry("1", version), store.getEntry(user("alice"), "k"));
        Fixtures.assertCode(ErrorCode.PRECONDITION_FAILED,
                () -> store.set(user("alice"), "k", "2", NO_QUOTA, Precondition.ifAbsent()));
        String next = store.set(user("alice"), "k", "2", NO_QUOTA, Precondition.ifVersion(version));
        assertEquals(new StoredEntry("2", next), store.getEntry(user("alice"), "k"));
    }

    private Listings.Page list(Namespace ns, Paging paging) {
        return Listings.list(store, ns, paging);
    }

    @Test
    void missingKeyIsNull() {
        assertNull(store.get(user("alice"), "nothing"));
        assertEquals(0, store.usedBytes(NOTES));
    }

    @Test
    void setGetOverwriteRemove() {
        store.set(user("alice"), "k", "1", NO_QUOTA);
        assertEquals("1", store.get(user("alice"), "k"));
        store.set(user("alice"), "k", "{\"v\":2}", NO_QUOTA);
        assertEquals("{\"v\":2}", store.get(user("alice"), "k"));
        store.remove(user("alice"), "k");
        assertNull(store.get(user("alice"), "k"));
        store.remove(user("alice"), "k");
        store.remove(Namespace.user(OTHER, "nobody"), "k");
        assertNull(store.get(user("alice"), "k"));
    }

    @Test
    void valuesAreByteExact() {
        String[] values = {"{\"b\":1,\"a\":[1.50,\"x\"]}", "{\"a\":1,\"a\":2}", "1e3", "null", "\"\\u00e9 é 😀\"",
                "[ 1 , 2 ]", "-0.0", "\"\\u0000\""};
        for (int i = 0; i < values.length; i++) {
            store.set(user("alice"), "v" + i, values[i], NO_QUOTA);
        }
        for (int i = 0; i < values.length; i++) {
            assertEquals(values[i], store.get(user("alice"), "v" + i));
        }
    }

    @Test
    void userAndSharedScopesAreApart() {
        store.set(user("alice"), "k", "\"user\"", NO_QUOTA);
        store.set(shared(), "k", "\"shared\"", NO_QUOTA);
        assertEquals("\"user\"", store.get(user("alice"), "k"));
        assertEquals("\"shared\"", store.get(shared(), "k"));
        store.remove(shared(), "k");
        assertEquals("\"user\"", store.get(user("alice"), "k"));
        assertNull(store.get(shared(), "k"));
    }

    @Test
    void extensionsAreApart() {
        store.set(Namespace.user(NOTES, "alice"), "k", "1", NO_QUOTA);
        store.set(Namespace.shared(NOTES), "k", "2", NO_QUOTA);
        for (Namespace other : List.of(Namespace.user(NOTES_PLUS, "alice"), Namespace.user(OTHER, "alice"),
                Namespace.shared(NOTES_PLUS), Namespace.shared(OTHER))) {
            assertNull(store.get(other, "k"), other.toString());
            assertEquals(0, list(other, Paging.of(0, 10)).total());
        }
        store.remove(Namespace.user(OTHER, "alice"), "k");
        assertEquals("1", store.get(Namespace.user(NOTES, "alice"), "k"));
        assertEquals(0, store.usedBytes(OTHER));
    }

    @Test
    void usersAreApartWhateverTheirIdsAndKeysHold() {
        String[][] userKey = {{"a", "b:k"}, {"a:b", "k"}, {"a%3Ab", "k"}, {"a%b", "k"}, {"a%25b", "k"},
                {"1", "2:k"}, {"12", "k"}, {"u", "s:k"}, {"x".repeat(1024), "k"}};
        for (int i = 0; i < userKey.length; i++) {
            store.set(user(userKey[i][0]), userKey[i][1], String.valueOf(i), NO_QUOTA);
        }
        store.set(shared(), "u:a:b:k", "\"shared\"", NO_QUOTA);
        store.set(shared(), "k", "\"shared-k\"", NO_QUOTA);
        for (int i = 0; i < userKey.length; i++) {
            assertEquals(String.valueOf(i), store.get(user(userKey[i][0]), userKey[i][1]), userKey[i][0]);
            assertEquals(1, list(user(userKey[i][0]), Paging.of(0, 10)).total());
        }
        assertNull(store.get(user("a"), "k"));
        assertNull(store.get(user("a:b"), "b:k"));
        assertEquals("\"shared\"", store.get(shared(), "u:a:b:k"));
        assertEquals(2, list(shared(), Paging.of(0, 10)).total());
    }

    @Test
    void unicodeAndLongKeysRoundTrip() {
        String[] keys = {"😀", "clé/with spaces", "..%2F..", "日本語:キー", emojiKey(255), "x".repeat(255), "%_\\'\""};
        for (int i = 0; i < keys.length; i++) {
            store.set(user("alice"), keys[i], String.valueOf(i), NO_QUOTA);
        }
        for (int i = 0; i < keys.length; i++) {
            assertEquals(String.valueOf(i), store.get(user("alice"), keys[i]), keys[i]);
        }
        assertNull(store.get(user("alice"), "%"));
        assertNull(store.get(user("alice"), emojiKey(254)));
        Set<String> listed = new HashSet<>();
        list(user("alice"), Paging.of(0, 100)).entries().forEach(e -> listed.add(e.key()));
        assertEquals(Set.of(keys), listed);
    }

    @Test
    void largeValuesRoundTrip() {
        String mib = Fixtures.jsonString(1024 * 1024);
        store.set(user("alice"), "big", mib, NO_QUOTA);
        assertEquals(mib, store.get(user("alice"), "big"));
        assertEquals(3 + 1024 * 1024 + 512, store.usedBytes(NOTES));
    }

    @Test
    void listsNewestChangeFirstWithPagesAndTotal() {
        for (int i = 1; i <= 5; i++) {
            store.set(user("alice"), "k" + i, String.valueOf(i), NO_QUOTA);
        }
        store.set(user("alice"), "k2", "22", NO_QUOTA);
        store.set(user("bob"), "k9", "9", NO_QUOTA);
        store.set(shared(), "k8", "8", NO_QUOTA);
        store.set(Namespace.user(NOTES_PLUS, "alice"), "k7", "7", NO_QUOTA);

        assertPage(user("alice"), 0, 2, "k2=22", "k5=5");
        assertPage(user("alice"), 1, 2, "k4=4", "k3=3");
        assertPage(user("alice"), 2, 2, "k1=1");
        assertPage(user("alice"), 3, 2);
        assertPage(user("alice"), 0, 100, "k2=22", "k5=5", "k4=4", "k3=3", "k1=1");
        assertPage(user("alice"), Integer.MAX_VALUE, 100);
        assertEquals(5, list(user("alice"), Paging.of(0, 0)).total());
        assertEquals(List.of(), list(user("alice"), Paging.of(0, 0)).entries());
        assertPage(shared(), 0, 10, "k8=8");

        store.remove(user("alice"), "k5");
        store.set(user("alice"), "k1", "11", NO_QUOTA);
        assertPage(user("alice"), 0, 10, "k1=11", "k2=22", "k4=4", "k3=3");
    }

    private void assertPage(Namespace ns, long page, int size, String... expected) {
        Listings.Page p = list(ns, Paging.of(page, size));
        List<String> got = new ArrayList<>();
        p.entries().forEach(e -> got.add(e.key() + "=" + e.json()));
        assertEquals(List.of(expected), got, "page " + page + " size " + size);
        long total = list(ns, Paging.of(0, 100)).entries().size();
        assertEquals(total, p.total());
    }

    @Test
    void listingOrderIsExactForWritesInOneMillisecond() {
        for (int i = 0; i < 60; i++) {
            store.set(user("alice"), "k" + i, "0", NO_QUOTA);
        }
        List<Listings.Entry> entries = list(user("alice"), Paging.of(0, 100)).entries();
        for (int i = 0; i < 60; i++) {
            assertEquals("k" + (59 - i), entries.get(i).key());
        }
    }

    @Test
    void usedBytesCountsUtf8KeyValueAndOverheadAcrossNamespaces() {
        // Every entry costs its key's and value's UTF-8 bytes plus 512 (Limits.ENTRY_OVERHEAD_BYTES).
        store.set(user("alice"), "k", "123", NO_QUOTA);
        assertEquals(4 + 512, store.usedBytes(NOTES));
        store.set(user("alice"), "k", "1", NO_QUOTA);
        assertEquals(2 + 512, store.usedBytes(NOTES));
        store.set(shared(), "é", "\"ü\"", NO_QUOTA);
        assertEquals(2 + 6 + 2 * 512, store.usedBytes(NOTES));
        store.set(user("bob"), "😀", "[]", NO_QUOTA);
        assertEquals(2 + 6 + 6 + 3 * 512, store.usedBytes(NOTES));
        store.set(Namespace.user(NOTES_PLUS, "alice"), "k", "1", NO_QUOTA);
        assertEquals(2 + 512, store.usedBytes(NOTES_PLUS));
        store.remove(shared(), "é");
        assertEquals(2 + 6 + 2 * 512, store.usedBytes(NOTES));
        store.remove(shared(), "é");
        assertEquals(2 + 6 + 2 * 512, store.usedBytes(NOTES));
        assertEquals(new PersistentStore.Usage(2 + 512, 1), store.usage(user("alice")));
        assertEquals(new PersistentStore.Usage(6 + 512, 1), store.usage(user("bob")));
        assertEquals(new PersistentStore.Usage(0, 0), store.usage(shared()));
        assertEquals(new PersistentStore.Usage(0, 0), store.usage(user("nobody")));
    }

    @Test
    void concurrentWritersToOneKeyLeaveOneWrittenValue() throws Exception {
        Set<String> written = new HashSet<>();
        for (int t = 0; t < 8; t++) {
            for (int i = 0; i < 50; i++) {
                written.add(value(t, i));
            }
        }
        List<String> reads = Fixtures.concurrently(8, 50, (t, i) -> {
            store.set(shared(), "hot", value(t, i), NO_QUOTA);
            return store.get(shared(), "hot");
        });
        for (String read : reads) {
            assertTrue(written.contains(read), "read a value nobody wrote");
        }
        assertTrue(written.contains(store.get(shared(), "hot")));
        assertEquals(cost("hot", store.get(shared(), "hot")), store.usedBytes(NOTES));
        assertEquals(1, list(shared(), Paging.of(0, 10)).total());
    }

    private static String value(int thread, int i) {
        return "{\"thread\":" + thread + ",\"i\":" + i + ",\"pad\":\"" + String.valueOf(thread).repeat(1000) + "\"}";
    }

    @Test
    void dataSurvivesARestart() {
        store.set(user("alice"), "k", "{\"kept\":true}", NO_QUOTA);
        store.set(shared(), "s", "1", NO_QUOTA);
        store.close();
        store = open();
        assertEquals("{\"kept\":true}", store.get(user("alice"), "k"));
        assertEquals("1", store.get(shared(), "s"));
        assertEquals(14 + 2 + 2 * 512, store.usedBytes(NOTES));
        assertEquals(new PersistentStore.Usage(14 + 512, 1), store.usage(user("alice")));
        store.set(user("alice"), "k2", "2", NO_QUOTA);
        assertEquals("k2", list(user("alice"), Paging.of(0, 1)).entries().get(0).key());
    }

    @Test
    void instancesOnOneDatabaseSeeEachOthersWrites() {
        PersistentStore other = second();
        store.set(shared(), "k", "1", NO_QUOTA);
        assertEquals("1", other.get(shared(), "k"));
        other.set(shared(), "k", "2", NO_QUOTA);
        assertEquals("2", store.get(shared(), "k"));
        other.remove(shared(), "k");
        assertNull(store.get(shared(), "k"));
    }

    @Test
    void isAvailableWhenOpen() {
        assertTrue(store.isAvailable());
    }
}
