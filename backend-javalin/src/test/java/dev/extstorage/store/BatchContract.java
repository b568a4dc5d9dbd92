package dev.extstorage.store;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.Precondition;
import dev.extstorage.model.StorageException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import static dev.extstorage.store.Fixtures.assertCode;
import static dev.extstorage.store.Fixtures.cost;
import static dev.extstorage.store.Fixtures.emojiKey;
import static dev.extstorage.store.Fixtures.shared;
import static dev.extstorage.store.Fixtures.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The batch calls ({@code getMany}, {@code setMany}, {@code removeMany}), the same promises on both tiers and
 * every engine: results in the order asked, all or nothing on a failed precondition or bound, bounds checked for
 * the batch as a whole, namespaces apart. Each engine runs it through its tier's contract, which hands it the
 * store through {@link Batched}.
 */
public interface BatchContract {
    Quota NO_BOUND = Quota.ofExtension(Long.MAX_VALUE);

    /** The store under test. */
    Batched batched();

    /** One tier's store as this contract uses it: an ephemeral write gets a TTL of an hour. */
    interface Batched {
        List<StoredEntry> getMany(Namespace ns, List<String> keys);

        List<String> setMany(Namespace ns, List<BatchWrite> writes, Quota quota);

        List<Boolean> removeMany(Namespace ns, List<String> keys);

        String set(Namespace ns, String key, String json, Quota quota);

        /** The bytes the namespace holds now, as its bound counts it. */
        long namespaceBytes(Namespace ns);
    }

    private static BatchWrite w(String key, String json) {
        return BatchWrite.of(key, json, Precondition.NONE);
    }

    private static BatchWrite w(String key, String json, Precondition condition) {
        return BatchWrite.of(key, json, condition);
    }

    private List<StoredEntry> get(String... keys) {
        return batched().getMany(user("alice"), List.of(keys));
    }

    @Test
    default void getManyAnswersInTheOrderAskedWithNullForMissingKeys() {
        String va = batched().set(user("alice"), "a", "1", NO_BOUND);
        String vc = batched().set(user("alice"), "c", "{\"x\":[3]}", NO_BOUND);
        List<StoredEntry> found = get("c", "b", "a");
        assertEquals(List.of(new StoredEntry("{\"x\":[3]}", vc), new StoredEntry("1", va)),
                List.of(found.get(0), found.get(2)));
        assertNull(found.get(1));
        assertEquals(List.of(), get());
    }

    @Test
    default void setManyStoresEveryEntryWithANewVersionAndCountsEach() {
        String emoji = emojiKey(3);
        List<String> versions = batched().setMany(user("alice"), List.of(w("a", "1"), w("b/c:d %", "\"two\""),
                w(emoji, "[true,null]")), NO_BOUND);
        assertEquals(3, versions.size());
        assertEquals(3, new HashSet<>(versions).size(), versions.toString());
        assertEquals(List.of(new StoredEntry("1", versions.get(0)), new StoredEntry("\"two\"", versions.get(1)),
                new StoredEntry("[true,null]", versions.get(2))), get("a", "b/c:d %", emoji));
        assertEquals(cost("a", "1") + cost("b/c:d %", "\"two\"") + cost(emoji, "[true,null]"),
                batched().namespaceBytes(user("alice")));
        assertEquals(List.of(), batched().setMany(user("alice"), List.of(), NO_BOUND));
    }

    @Test
    default void setManyReplacesEntriesAndCountsThemOnce() {
        String old = batched().set(user("alice"), "a", "1", NO_BOUND);
        List<String> versions = batched().setMany(user("alice"), List.of(w("a", "\"longer\""), w("b", "2")),
                NO_BOUND);
        assertTrue(!versions.get(0).equals(old));
        assertEquals("\"longer\"", get("a").get(0).json());
        assertEquals(cost("a", "\"longer\"") + cost("b", "2"), batched().namespaceBytes(user("alice")));
    }

    @Test
    default void aFailedConditionFailsTheWholeBatchAndChangesNothing() {
        String va = batched().set(user("alice"), "a", "1", NO_BOUND);
        long before = batched().namespaceBytes(user("alice"));
        StorageException e = assertCode(ErrorCode.PRECONDITION_FAILED, () -> batched().setMany(user("alice"),
                List.of(w("b", "2"), w("a", "3", Precondition.ifVersion("0000000000000001")), w("c", "4")),
                NO_BOUND));
        assertEquals(va, e.version());
        List<StoredEntry> now = get("a", "b", "c");
        assertEquals(new StoredEntry("1", va), now.get(0));
        assertNull(now.get(1));
        assertNull(now.get(2));
        assertEquals(before, batched().namespaceBytes(user("alice")));

        StorageException absent = assertCode(ErrorCode.PRECONDITION_FAILED, () -> batched().setMany(user("alice"),
                List.of(w("b", "2", Precondition.ifAbsent()), w("a", "3", Precondition.ifAbsent())), NO_BOUND));
        assertEquals(va, absent.version());
        assertNull(get("b").get(0));
    }

    @Test
    default void conditionsThatHoldLetTheBatchThrough() {
        String va = batched().set(user("alice"), "a", "1", NO_BOUND);
        List<String> versions = batched().setMany(user("alice"), List.of(w("a", "2", Precondition.ifVersion(va)),
                w("n", "3", Precondition.ifAbsent()), w("p", "4")), NO_BOUND);
        assertEquals(List.of(new StoredEntry("2", versions.get(0)), new StoredEntry("3", versions.get(1))),
                get("a", "n"));
    }

    @Test
    default void theBoundsAreCheckedForTheBatchAsAWhole() {
        String big = Fixtures.jsonString(2000);
        batched().set(user("alice"), "big", big, NO_BOUND);
        long held = cost("big", big);
        // a new entry alone would pass the bound; with the big one shrinking in the same batch it fits
        Quota tight = new Quota(Long.MAX_VALUE, held + 100);
        batched().setMany(user("alice"), List.of(w("new", Fixtures.jsonString(1000)), w("big", "1")), tight);
        long now = cost("new", Fixtures.jsonString(1000)) + cost("big", "1");
        assertEquals(now, batched().namespaceBytes(user("alice")));

        List<BatchWrite> tooMuch = List.of(w("x", "1"), w("y", Fixtures.jsonString(1500)));
        StorageException e = assertCode(ErrorCode.QUOTA_EXCEEDED,
                () -> batched().setMany(user("alice"), tooMuch, tight));
        assertEquals(held + 100, e.limit());
        assertEquals(now + cost("x", "1") + cost("y", Fixtures.jsonString(1500)), e.actual());
        assertEquals(now, batched().namespaceBytes(user("alice")));
        assertNull(get("x").get(0));

        StorageException ext = assertCode(ErrorCode.QUOTA_EXCEEDED, () -> batched().setMany(shared(),
                List.of(w("s", "1"), w("t", "2")), new Quota(now + cost("s", "1"), Long.MAX_VALUE)));
        assertEquals(now + cost("s", "1"), ext.limit());
        assertTrue(ext.getMessage().contains("extension"), ext.getMessage());
        assertNull(batched().getMany(shared(), List.of("s")).get(0));
    }

    @Test
    default void aBatchThatDoesNotGrowIsAcceptedAboveTheBound() {
        batched().setMany(user("alice"), List.of(w("a", Fixtures.jsonString(500)), w("b", "2")), NO_BOUND);
        Quota lowered = Quota.ofExtension(100);
        batched().setMany(user("alice"), List.of(w("a", "1"), w("b", "3")), lowered);
        assertEquals(cost("a", "1") + cost("b", "3"), batched().namespaceBytes(user("alice")));
    }

    @Test
    default void removeManySaysWhichEntriesWereThereAndGivesTheirBytesBack() {
        batched().setMany(user("alice"), List.of(w("a", "1"), w("b", "2"), w("keep", "3")), NO_BOUND);
        assertEquals(List.of(true, false, true), batched().removeMany(user("alice"), List.of("a", "x", "b")));
        List<StoredEntry> now = get("a", "b", "keep");
        assertNull(now.get(0));
        assertNull(now.get(1));
        assertEquals("3", now.get(2).json());
        assertEquals(cost("keep", "3"), batched().namespaceBytes(user("alice")));
        assertEquals(List.of(), batched().removeMany(user("alice"), List.of()));
    }

    @Test
    default void batchesKeepNamespacesApart() {
        batched().setMany(user("alice"), List.of(w("a", "1"), w("b", "2")), NO_BOUND);
        List<StoredEntry> bob = batched().getMany(user("bob"), List.of("a", "b"));
        assertNull(bob.get(0));
        assertNull(bob.get(1));
        assertEquals(List.of(false, false), batched().removeMany(user("bob"), List.of("a", "b")));
        assertEquals(List.of(false, false), batched().removeMany(shared(), List.of("a", "b")));
        assertEquals("1", get("a").get(0).json());
    }

    @Test
    default void concurrentBatchesSharingKeysNeitherDeadlockNorMiscount() throws Exception {
        // each batch writes 20 of 40 keys, windows overlapping and in varying order, beside single writes
        Fixtures.concurrently(4, 10, (thread, i) -> {
            List<BatchWrite> writes = new ArrayList<>();
            for (int j = 0; j < 20; j++) {
                int k = (thread * 7 + i * 3 + (thread % 2 == 0 ? j : 19 - j)) % 40;
                writes.add(w("k" + k, Fixtures.jsonString(10 + thread + i)));
            }
            batched().setMany(user("alice"), writes, NO_BOUND);
            batched().set(user("alice"), "k" + ((thread + i) % 40), "1", NO_BOUND);
            return null;
        });
        List<String> keys = new ArrayList<>();
        for (int k = 0; k < 40; k++) {
            keys.add("k" + k);
        }
        long sum = 0;
        List<StoredEntry> now = batched().getMany(user("alice"), keys);
        for (int k = 0; k < 40; k++) {
            sum += now.get(k) == null ? 0 : cost("k" + k, now.get(k).json());
        }
        assertEquals(sum, batched().namespaceBytes(user("alice")));
    }

    @Test
    default void aFullBatchOfOneHundredKeys() {
        List<BatchWrite> writes = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            writes.add(w("k" + i, Integer.toString(i)));
            keys.add("k" + i);
        }
        List<String> versions = batched().setMany(user("alice"), writes, NO_BOUND);
        List<StoredEntry> found = batched().getMany(user("alice"), keys);
        for (int i = 0; i < 100; i++) {
            assertEquals(new StoredEntry(Integer.toString(i), versions.get(i)), found.get(i));
        }
        assertTrue(batched().removeMany(user("alice"), keys).stream().allMatch(b -> b));
        assertEquals(0, batched().namespaceBytes(user("alice")));
    }
}
