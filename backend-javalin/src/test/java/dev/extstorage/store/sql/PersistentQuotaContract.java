package dev.extstorage.store.sql;

import dev.extstorage.store.Fixtures;

import dev.extstorage.store.PersistentStore;
import dev.extstorage.store.Namespace;
import dev.extstorage.store.Quota;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.Paging;
import dev.extstorage.model.StorageException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.extstorage.store.Fixtures.NOTES;
import static dev.extstorage.store.Fixtures.NOTES_PLUS;
import static dev.extstorage.store.Fixtures.assertCode;
import static dev.extstorage.store.Fixtures.cost;
import static dev.extstorage.store.Fixtures.jsonString;
import static dev.extstorage.store.Fixtures.shared;
import static dev.extstorage.store.Fixtures.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bounds of {@link PersistentStore#set}: the namespace's (a user's share, the shared bound) and the
 * extension's quota, entries costing key, value and overhead; exact at the limit, race-free, and the usage
 * counters always equal to the sums over the entries. Runs with {@link PersistentStoreContract} on every engine.
 */
interface PersistentQuotaContract {
    Quota NO_QUOTA = Quota.ofExtension(Long.MAX_VALUE);
    long UNBOUNDED = Long.MAX_VALUE;

    PersistentStore store();

    /** Another instance on the same database, as a second server process would have. */
    PersistentStore second();

    @Test
    default void aUsersShareIsExactAtTheLimitAndRefusesOneBytePast() {
        assertNamespaceBoundIsExact(user("alice"), user("bob"), "this user's data of the extension");
    }

    @Test
    default void theSharedBoundIsExactAtTheLimitAndRefusesOneBytePast() {
        assertNamespaceBoundIsExact(shared(), user("alice"), "the extension's shared data");
    }

    private void assertNamespaceBoundIsExact(Namespace ns, Namespace neighbour, String bound) {
        long limit = cost("a", jsonString(100)) + cost("b", jsonString(50));
        Quota quota = new Quota(UNBOUNDED, limit);
        store().set(ns, "a", jsonString(100), quota);
        store().set(ns, "b", jsonString(50), quota);
        assertEquals(new PersistentStore.Usage(limit, 2), store().usage(ns), "exactly at the limit is allowed");

        StorageException e = assertCode(ErrorCode.QUOTA_EXCEEDED, () -> store().set(ns, "b", jsonString(51), quota));
        assertEquals(limit, e.limit());
        assertEquals(limit + 1, e.actual());
        assertTrue(e.getMessage().contains(bound + " would take " + (limit + 1) + " bytes, its share is " + limit),
                e.getMessage());
        assertCode(ErrorCode.QUOTA_EXCEEDED, () -> store().set(ns, "c", "1", quota));
        assertEquals(jsonString(50), store().get(ns, "b"));
        assertNull(store().get(ns, "c"));
        assertEquals(new PersistentStore.Usage(limit, 2), store().usage(ns));
        assertEquals(limit, store().usedBytes(NOTES));

        // Another namespace has a bound of its own.
        store().set(neighbour, "a", jsonString(100), quota);
        store().set(neighbour, "b", jsonString(50), quota);
        assertEquals(2 * limit, store().usedBytes(NOTES));
    }

    @Test
    default void theExtensionsQuotaIsExactAtTheLimitAcrossNamespaces() {
        long limit = cost("a", jsonString(100)) + cost("b", jsonString(50)) + cost("s", "1");
        Quota quota = Quota.ofExtension(limit);
        store().set(user("alice"), "a", jsonString(100), quota);
        store().set(user("bob"), "b", jsonString(50), quota);
        store().set(shared(), "s", "1", quota);
        assertEquals(limit, store().usedBytes(NOTES), "exactly at the limit is allowed");

        StorageException e = assertCode(ErrorCode.QUOTA_EXCEEDED, () -> store().set(shared(), "s", "12", quota));
        assertEquals(limit, e.limit());
        assertEquals(limit + 1, e.actual());
        assertTrue(e.getMessage().contains("the extension would hold " + (limit + 1) + " bytes, its quota is " + limit),
                e.getMessage());
        assertCode(ErrorCode.QUOTA_EXCEEDED, () -> store().set(user("carol"), "c", "1", quota));
        // The refused writes changed neither counter: the namespace's row was rolled back with the write.
        assertEquals(new PersistentStore.Usage(cost("s", "1"), 1), store().usage(shared()));
        assertEquals(new PersistentStore.Usage(0, 0), store().usage(user("carol")));
        assertEquals(limit, store().usedBytes(NOTES));
        store().set(Namespace.user(NOTES_PLUS, "alice"), "a", jsonString(100), quota);

        // Both bounds passed: the namespace's is checked (and named) first.
        e = assertCode(ErrorCode.QUOTA_EXCEEDED, () -> store().set(user("alice"), "a", jsonString(101),
                new Quota(limit, 10)));
        assertEquals(10, e.limit());
    }

    @Test
    default void everyEntryCostsItsKeyValueAndTheOverhead() {
        // N entries of a one-byte key and a one-byte value cost N * (2 + 512): the overhead bounds entry counts.
        int n = 20;
        Quota quota = new Quota(UNBOUNDED, n * (2 + 512L));
        for (int i = 0; i < n; i++) {
            store().set(user("alice"), String.valueOf((char) ('a' + i)), "1", quota);
        }
        assertEquals(new PersistentStore.Usage(n * (2 + 512L), n), store().usage(user("alice")));
        assertEquals(n * (2 + 512L), store().usedBytes(NOTES));
        StorageException e = assertCode(ErrorCode.QUOTA_EXCEEDED, () -> store().set(user("alice"), "z", "1", quota));
        assertEquals((n + 1) * (2 + 512L), e.actual());
    }

    @Test
    default void removesGiveBytesAndEntriesBackToBothCounters() {
        Quota quota = new Quota(UNBOUNDED, cost("a", jsonString(99)) + cost("b", "1"));
        store().set(user("alice"), "a", jsonString(99), quota);
        store().set(user("alice"), "b", "1", quota);
        store().set(shared(), "s", "1", quota);
        assertCode(ErrorCode.QUOTA_EXCEEDED, () -> store().set(user("alice"), "c", "1", quota));

        store().remove(user("alice"), "a");
        assertEquals(new PersistentStore.Usage(cost("b", "1"), 1), store().usage(user("alice")));
        assertEquals(cost("b", "1") + cost("s", "1"), store().usedBytes(NOTES));
        store().remove(user("alice"), "a");
        store().remove(user("alice"), "never");
        assertEquals(new PersistentStore.Usage(cost("b", "1"), 1), store().usage(user("alice")));

        // The bytes given back can be used again, up to the limit exactly.
        store().set(user("alice"), "c", jsonString(99), quota);
        assertEquals(new PersistentStore.Usage(quota.ownerBytes(), 2), store().usage(user("alice")));
        store().remove(user("alice"), "b");
        store().remove(user("alice"), "c");
        store().remove(shared(), "s");
        assertEquals(new PersistentStore.Usage(0, 0), store().usage(user("alice")));
        assertEquals(new PersistentStore.Usage(0, 0), store().usage(shared()));
        assertEquals(0, store().usedBytes(NOTES));
    }

    @Test
    default void writesThatDoNotGrowAreAcceptedAboveEveryBound() {
        store().set(user("alice"), "a", jsonString(99), NO_QUOTA);
        store().set(shared(), "s", jsonString(99), NO_QUOTA);
        // The bounds were lowered below what is stored: shrinking and same-size overwrites still pass.
        for (Quota lowered : List.of(new Quota(UNBOUNDED, 1), new Quota(1, UNBOUNDED), new Quota(1, 1))) {
            for (Namespace ns : List.of(user("alice"), shared())) {
                String key = ns.equals(shared()) ? "s" : "a";
                store().set(ns, key, jsonString(50), lowered);
                store().set(ns, key, jsonString(50), lowered);
                assertCode(ErrorCode.QUOTA_EXCEEDED, () -> store().set(ns, key, jsonString(51), lowered));
                assertCode(ErrorCode.QUOTA_EXCEEDED, () -> store().set(ns, "new", "1", lowered));
                assertEquals(new PersistentStore.Usage(cost(key, jsonString(50)), 1), store().usage(ns));
            }
        }
        assertEquals(cost("a", jsonString(50)) + cost("s", jsonString(50)), store().usedBytes(NOTES));
    }

    @Test
    default void concurrentWritersOfOneUserNeverPassTheirShare() throws Exception {
        // Keys "t-x" of 3 bytes + values of 97 bytes + 512: every entry costs 612, so exactly 30 fit the share.
        Quota quota = new Quota(UNBOUNDED, 30 * 612);
        PersistentStore[] instances = {store(), second()};
        List<String> outcomes = Fixtures.concurrently(8, 20, (t, i) -> {
            try {
                instances[t % 2].set(user("alice"), t + "-" + (char) ('a' + i), jsonString(97), quota);
                return "ok";
            } catch (StorageException e) {
                return e.code().name();
            }
        });
        assertEquals(30, outcomes.stream().filter("ok"::equals).count(), outcomes.toString());
        assertEquals(130, outcomes.stream().filter("QUOTA_EXCEEDED"::equals).count(), outcomes.toString());
        assertEquals(new PersistentStore.Usage(30 * 612, 30), store().usage(user("alice")));
        assertCountersEqualTheEntries(user("alice"));
        assertEquals(30 * 612, store().usedBytes(NOTES));
    }

    @Test
    default void concurrentWritersNearTheExtensionsQuotaNeverPassIt() throws Exception {
        // Keys "t-x" of 3 bytes + values of 97 + 512 overhead: every entry costs 612, so exactly 50 fit.
        Quota quota = Quota.ofExtension(50 * 612);
        PersistentStore[] instances = {store(), second()};
        List<String> outcomes = Fixtures.concurrently(8, 25, (t, i) -> {
            try {
                instances[t % 2].set(user("u" + t), t + "-" + (char) ('a' + i), jsonString(97), quota);
                return "ok";
            } catch (StorageException e) {
                return e.code().name();
            }
        });
        long ok = outcomes.stream().filter("ok"::equals).count();
        long refused = outcomes.stream().filter("QUOTA_EXCEEDED"::equals).count();
        assertEquals(outcomes.size(), ok + refused, "unexpected outcomes: " + outcomes);
        assertEquals(50, ok);
        assertEquals(quota.extensionBytes(), store().usedBytes(NOTES));
        long entries = 0;
        for (int t = 0; t < 8; t++) {
            entries += assertCountersEqualTheEntries(user("u" + t));
        }
        assertEquals(50, entries);
    }

    @Test
    default void usageEqualsTheSumOfTheEntriesAfterConcurrentWritesAndRemoves() throws Exception {
        // Two instances, few keys: first inserts, growing and shrinking overwrites and removes of one key race,
        // some near a namespace's bound, some near the extension's. Whatever wins, every counter must equal what
        // is stored and stay within its bound.
        Quota quota = new Quota(7000, 4500);
        PersistentStore[] instances = {store(), second()};
        Namespace[] namespaces = {user("alice"), shared()};
        List<String> outcomes = Fixtures.concurrently(8, 60, (t, i) -> {
            PersistentStore s = instances[(t + i) % 2];
            Namespace ns = namespaces[i % 2];
            String key = "k" + ((t * 7 + i) % 6);
            try {
                if ((t + i) % 5 == 0) {
                    s.remove(ns, key);
                } else {
                    s.set(ns, key, jsonString(2 + (t * 37 + i * 53) % 700), quota);
                }
                return "ok";
            } catch (StorageException e) {
                return e.code().name();
            }
        });
        for (String outcome : outcomes) {
            assertTrue(outcome.equals("ok") || outcome.equals("QUOTA_EXCEEDED"), outcome);
        }
        long stored = 0;
        for (Namespace ns : namespaces) {
            assertCountersEqualTheEntries(ns);
            long bytes = store().usage(ns).bytes();
            assertTrue(bytes <= quota.ownerBytes(), ns + " holds " + bytes + ", above its bound");
            stored += bytes;
        }
        assertEquals(stored, store().usedBytes(NOTES));
        assertTrue(stored <= quota.extensionBytes(), "usage " + stored + " above the quota");
    }

    /** Asserts the namespace's counters equal the cost and number of its listed entries; returns the number. */
    private long assertCountersEqualTheEntries(Namespace ns) {
        Listings.Page page = Listings.list(store(), ns, Paging.of(0, Paging.MAX_PAGE_SIZE));
        long bytes = 0;
        for (Listings.Entry e : page.entries()) {
            bytes += cost(e.key(), e.json());
        }
        assertEquals(new PersistentStore.Usage(bytes, page.entries().size()), store().usage(ns), ns.toString());
        assertEquals(page.entries().size(), page.total());
        return page.total();
    }

    @Test
    default void quotaExceededLeavesOldValueAndOrder() {
        // 612 + 562 stored; room is left for exactly one more entry of 562.
        Quota quota = Quota.ofExtension(612 + 562 + 562);
        store().set(user("alice"), "a", jsonString(99), quota);
        store().set(user("alice"), "b", jsonString(49), quota);
        assertCode(ErrorCode.QUOTA_EXCEEDED, () -> store().set(user("alice"), "b", jsonString(49 + 563), quota));
        assertEquals(jsonString(49), store().get(user("alice"), "b"));
        assertEquals(612 + 562, store().usedBytes(NOTES));
        Listings.Page page = Listings.list(store(), user("alice"), Paging.of(0, 10));
        assertEquals(List.of("b", "a"), page.keys(), "a refused write does not change the order");
        store().set(user("alice"), "b", jsonString(49 + 562), quota);
        assertEquals(quota.extensionBytes(), store().usedBytes(NOTES));
    }
}
