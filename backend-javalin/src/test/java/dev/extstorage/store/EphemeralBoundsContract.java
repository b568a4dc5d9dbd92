package dev.extstorage.store;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.Limits;
import dev.extstorage.model.Precondition;
import dev.extstorage.model.StorageException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;

import static dev.extstorage.store.Fixtures.NOTES_PLUS;
import static dev.extstorage.store.Fixtures.OTHER;
import static dev.extstorage.store.Fixtures.assertCode;
import static dev.extstorage.store.Fixtures.shared;
import static dev.extstorage.store.Fixtures.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bounds part of {@link EphemeralStore}'s contract: per extension and per namespace, as
 * {@link EphemeralStore#set} states them. {@code valueCosting(n)} under a one-byte key makes an entry cost
 * exactly {@code n} bytes. Versions and conditional writes ({@link VersionContract}) run with it, as they need
 * the counts too.
 */
public abstract class EphemeralBoundsContract extends EphemeralStoreContract implements VersionContract,
        BatchContract {
    /**
     * Another instance on the store's data, as a second server process would have; the store itself for an
     * engine that is not shared. The subclass closes what it opens.
     */
    protected EphemeralStore elsewhere() {
        return store;
    }

    @Override
    public Versioned versioned() {
        return versioned(store);
    }

    @Override
    public Versioned versionedElsewhere() {
        return versioned(elsewhere());
    }

    private Versioned versioned(EphemeralStore s) {
        return new Versioned() {
            @Override
            public StoredEntry get(Namespace ns, String key) {
                return s.getEntry(ns, key);
            }

            @Override
            public String set(Namespace ns, String key, String json, Quota quota, Precondition condition) {
                return s.set(ns, key, json, HOUR, quota, condition);
            }

            @Override
            public boolean remove(Namespace ns, String key, Precondition condition) {
                return s.remove(ns, key, condition);
            }

            @Override
            public long namespaceBytes(Namespace ns) {
                return EphemeralBoundsContract.this.namespaceBytes(ns);
            }
        };
    }

    @Override
    public Batched batched() {
        return new Batched() {
            @Override
            public List<StoredEntry> getMany(Namespace ns, List<String> keys) {
                return store.getMany(ns, keys);
            }

            @Override
            public List<String> setMany(Namespace ns, List<BatchWrite> writes, Quota quota) {
                List<BatchWrite> timed = new ArrayList<>();
                for (BatchWrite w : writes) {
                    timed.add(new BatchWrite(w.key(), w.json(), HOUR, w.condition()));
                }
                return store.setMany(ns, timed, quota);
            }

            @Override
            public List<Boolean> removeMany(Namespace ns, List<String> keys) {
                return store.removeMany(ns, keys);
            }

            @Override
            public String set(Namespace ns, String key, String json, Quota quota) {
                return store.set(ns, key, json, HOUR, quota);
            }

            @Override
            public long namespaceBytes(Namespace ns) {
                return EphemeralBoundsContract.this.namespaceBytes(ns);
            }
        };
    }

    /** The bytes the store counts for the namespace's extension, all namespaces together. */
    protected abstract long extensionBytes(Namespace namespace);

    /** The bytes the store counts for the namespace. */
    protected abstract long namespaceBytes(Namespace namespace);

    /**
     * Whether {@code condition} holds once {@code seconds} have passed: an engine on a test clock moves it and
     * checks, one on the real clock polls for at most that long.
     */
    protected abstract boolean afterSeconds(long seconds, BooleanSupplier condition) throws InterruptedException;

    @Test
    void aUsersShareHoldsExactlyItsBound() {
        Quota quota = new Quota(100_000, 2000);
        store.set(user("alice"), "a", valueCosting(1000), HOUR, quota);
        store.set(user("alice"), "b", valueCosting(1000), HOUR, quota);
        assertEquals(2000, namespaceBytes(user("alice")));
        StorageException e = assertCode(ErrorCode.QUOTA_EXCEEDED,
                () -> store.set(user("alice"), "b", valueCosting(1001), HOUR, quota));
        assertEquals(2000, e.limit());
        assertEquals(2001, e.actual());
        assertTrue(e.getMessage().contains("this user's data"), e.getMessage());
        assertCode(ErrorCode.QUOTA_EXCEEDED, () -> store.set(user("alice"), "c", "1", HOUR, quota));
        assertEquals(valueCosting(1000), store.get(user("alice"), "b"), "a refused write changes nothing");
        assertNull(store.get(user("alice"), "c"));
        assertEquals(2000, namespaceBytes(user("alice")));
        assertEquals(2000, extensionBytes(user("alice")));
    }

    @Test
    void theSharedScopeHoldsExactlyItsBound() {
        Quota quota = new Quota(100_000, 1500);
        store.set(shared(), "s", valueCosting(1500), HOUR, quota);
        StorageException e = assertCode(ErrorCode.QUOTA_EXCEEDED,
                () -> store.set(shared(), "s", valueCosting(1501), HOUR, quota));
        assertEquals(1500, e.limit());
        assertEquals(1501, e.actual());
        assertTrue(e.getMessage().contains("shared data"), e.getMessage());
        assertEquals(valueCosting(1500), store.get(shared(), "s"));
        assertEquals(1500, namespaceBytes(shared()));
    }

    @Test
    void theExtensionHoldsExactlyItsBoundAllNamespacesTogether() {
        Quota perUser = new Quota(3200, 2000);
        Quota forShared = new Quota(3200, 3200);
        store.set(user("alice"), "a", valueCosting(2000), HOUR, perUser);
        store.set(user("bob"), "a", valueCosting(600), HOUR, perUser);
        store.set(shared(), "a", valueCosting(600), HOUR, forShared);
        assertEquals(3200, extensionBytes(shared()));
        StorageException e = assertCode(ErrorCode.QUOTA_EXCEEDED,
                () -> store.set(user("bob"), "a", valueCosting(601), HOUR, perUser));
        assertEquals(3200, e.limit());
        assertEquals(3201, e.actual());
        assertTrue(e.getMessage().contains("the extension would hold"), e.getMessage());
        assertCode(ErrorCode.QUOTA_EXCEEDED, () -> store.set(user("carol"), "a", "1", HOUR, perUser));
        assertCode(ErrorCode.QUOTA_EXCEEDED, () -> store.set(shared(), "b", "1", HOUR, forShared));
        assertEquals(600, namespaceBytes(user("bob")), "the refused write reserved nothing");
        assertEquals(0, namespaceBytes(user("carol")));
        assertEquals(3200, extensionBytes(shared()));
    }

    @Test
    void everyEntryCostsItsKeyItsValueAndTheOverhead() {
        store.set(user("alice"), "é", "\"😀\"", HOUR, NO_QUOTA);
        assertEquals(2 + 6 + Limits.ENTRY_OVERHEAD_BYTES, namespaceBytes(user("alice")), "UTF-8 bytes");
        store.remove(user("alice"), "é");
        // The overhead bounds how many tiny entries fit.
        long tiny = Limits.entryCost(1, 1);
        Quota quota = new Quota(100_000, 3 * tiny);
        for (String k : List.of("a", "b", "c")) {
            store.set(user("alice"), k, "1", HOUR, quota);
        }
        assertCode(ErrorCode.QUOTA_EXCEEDED, () -> store.set(user("alice"), "d", "1", HOUR, quota));
        assertEquals(3 * tiny, namespaceBytes(user("alice")));
    }

    @Test
    void aReplacementThatDoesNotGrowIsAcceptedAboveTheBound() {
        store.set(user("alice"), "a", valueCosting(1000), HOUR, NO_QUOTA);
        Quota tight = new Quota(600, 600);
        store.set(user("alice"), "a", valueCosting(1000), HOUR, tight);
        store.set(user("alice"), "a", valueCosting(900), HOUR, tight);
        assertEquals(900, namespaceBytes(user("alice")));
        assertEquals(900, extensionBytes(user("alice")));
        assertCode(ErrorCode.QUOTA_EXCEEDED, () -> store.set(user("alice"), "a", valueCosting(901), HOUR, tight));
        assertCode(ErrorCode.QUOTA_EXCEEDED, () -> store.set(user("alice"), "b", "1", HOUR, tight));
        assertEquals(valueCosting(900), store.get(user("alice"), "a"));
    }

    @Test
    void removingGivesTheBytesBack() {
        Quota quota = new Quota(100_000, 1000);
        store.set(user("alice"), "a", valueCosting(1000), HOUR, quota);
        assertCode(ErrorCode.QUOTA_EXCEEDED, () -> store.set(user("alice"), "b", valueCosting(1000), HOUR, quota));
        store.remove(user("alice"), "a");
        store.remove(user("alice"), "a");
        store.remove(user("alice"), "never");
        assertEquals(0, namespaceBytes(user("alice")));
        assertEquals(0, extensionBytes(user("alice")));
        store.set(user("alice"), "b", valueCosting(1000), HOUR, quota);
        assertEquals(1000, namespaceBytes(user("alice")));
    }

    @Test
    void expiryGivesTheBytesBack() throws InterruptedException {
        Quota quota = new Quota(100_000, 1000);
        store.set(user("alice"), "s", valueCosting(1000), 1, quota);
        assertCode(ErrorCode.QUOTA_EXCEEDED, () -> store.set(user("alice"), "n", valueCosting(1000), HOUR, quota));
        assertTrue(afterSeconds(5, () -> accepted(() ->
                        store.set(user("alice"), "n", valueCosting(1000), HOUR, quota))),
                "the bytes of an expired entry did not come back");
        assertNull(store.get(user("alice"), "s"));
        assertEquals(1000, namespaceBytes(user("alice")));
        assertEquals(1000, extensionBytes(user("alice")));
    }

    @Test
    void concurrentWritersNeverPassAUsersShare() throws Exception {
        long each = Limits.entryCost(5, 96);
        raceToTheBound(t -> user("alice"), new Quota(1_000_000, 100 * each));
        assertEquals(100 * each, namespaceBytes(user("alice")));
    }

    @Test
    void concurrentWritersNeverPassTheExtensionsBound() throws Exception {
        long each = Limits.entryCost(5, 96);
        raceToTheBound(t -> user("u" + t), new Quota(100 * each, 1_000_000));
    }

    /**
     * 8 threads write 50 distinct keys each ("k{t}-{ii}", 5 bytes, values of 96 bytes) into {@code nsOf(t)}
     * under a bound that admits exactly 100 such entries; exactly 100 must be accepted and counted.
     */
    private void raceToTheBound(IntFunction<Namespace> nsOf, Quota quota) throws Exception {
        String value = Fixtures.jsonString(96);
        long each = Limits.entryCost(5, 96);
        List<Boolean> accepted = Fixtures.concurrently(8, 50, (t, i) ->
                accepted(() -> store.set(nsOf.apply(t), key(t, i), value, HOUR, quota)));
        assertEquals(100, accepted.stream().filter(a -> a).count(), "accepted writes");
        long stored = 0;
        for (int t = 0; t < 8; t++) {
            for (int i = 0; i < 50; i++) {
                stored += store.get(nsOf.apply(t), key(t, i)) == null ? 0 : 1;
            }
        }
        assertEquals(100, stored, "stored entries");
        assertEquals(100 * each, extensionBytes(nsOf.apply(0)));
    }

    private static String key(int thread, int i) {
        return "k" + thread + "-" + (i < 10 ? "0" : "") + i;
    }

    @Test
    void oneUsersFullShareLeavesEveryOtherBoundAlone() {
        Quota perUser = new Quota(10_000, 1000);
        Quota forShared = new Quota(10_000, 2000);
        store.set(user("alice"), "a", valueCosting(1000), HOUR, perUser);
        assertCode(ErrorCode.QUOTA_EXCEEDED, () -> store.set(user("alice"), "b", "1", HOUR, perUser));
        // Users whose ids look like alice's, or like each other's stored forms, have shares of their own.
        for (String other : List.of("bob", "alice:x", "a:b", "a%3Ab")) {
            store.set(user(other), "a", valueCosting(1000), HOUR, perUser);
        }
        store.set(shared(), "a", valueCosting(2000), HOUR, forShared);
        for (Namespace elsewhere : List.of(Namespace.user(NOTES_PLUS, "alice"), Namespace.user(OTHER, "alice"))) {
            store.set(elsewhere, "a", valueCosting(1000), HOUR, perUser);
            assertEquals(1000, extensionBytes(elsewhere));
        }
        assertEquals(7000, extensionBytes(user("alice")));
        assertEquals(1000, namespaceBytes(user("a:b")));
        assertEquals(2000, namespaceBytes(shared()));
    }

    /** A JSON value that makes an entry under a one-byte key cost exactly {@code cost} bytes. */
    public static String valueCosting(long cost) {
        return Fixtures.jsonString((int) (cost - 1 - Limits.ENTRY_OVERHEAD_BYTES));
    }

    /** Whether the write was accepted; {@code false} if refused with {@code QUOTA_EXCEEDED}. */
    public static boolean accepted(Runnable write) {
        try {
            write.run();
            return true;
        } catch (StorageException e) {
            if (e.code() != ErrorCode.QUOTA_EXCEEDED) {
                throw e;
            }
            return false;
        }
    }
}
