package dev.extstorage.store;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.Precondition;
import dev.extstorage.model.StorageException;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.extstorage.store.Fixtures.assertCode;
import static dev.extstorage.store.Fixtures.cost;
import static dev.extstorage.store.Fixtures.shared;
import static dev.extstorage.store.Fixtures.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Versions and conditional writes (SPEC section 8), the same promises on both tiers: every engine runs this
 * through its tier's contract ({@link EphemeralStoreContract}, {@code PersistentStoreContract}), which hands
 * it the store through {@link Versioned}.
 */
public interface VersionContract {
    Quota ANY_SIZE = Quota.ofExtension(Long.MAX_VALUE);

    /** The store under test. */
    Versioned versioned();

    /**
     * Another instance on the same data, as a second server process would have (Redis, PostgreSQL, a second
     * SQLite store on the same file); the same instance for an engine that is not shared (memory).
     */
    Versioned versionedElsewhere();

    /** One tier's store as this contract uses it: an ephemeral write gets a TTL of an hour. */
    interface Versioned {
        StoredEntry get(Namespace ns, String key);

        String set(Namespace ns, String key, String json, Quota quota, Precondition condition);

        boolean remove(Namespace ns, String key, Precondition condition);

        /** The bytes the namespace holds now, as its bound counts them. */
        long namespaceBytes(Namespace ns);
    }

    private Versioned v() {
        return versioned();
    }

    private String set(String key, String json, Precondition condition) {
        return v().set(user("alice"), key, json, ANY_SIZE, condition);
    }

    private StoredEntry get(String key) {
        return v().get(user("alice"), key);
    }

    @Test
    default void everyWriteGivesANewVersionAndReadsReturnIt() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            String version = set("k", "1", Precondition.NONE);   // the same value each time: still a new version
            assertTrue(Precondition.isWellFormed(version), version);
            assertTrue(seen.add(version), "version repeated: " + version);
            assertEquals(new StoredEntry("1", version), get("k"));
        }
        assertNull(get("absent"));
        String other = v().set(shared(), "k", "1", ANY_SIZE, Precondition.NONE);
        assertFalse(seen.contains(other), "another namespace's key gets a version of its own");
    }

    @Test
    default void aKeyDeletedAndWrittenAgainGetsANewVersion() {
        String first = set("k", "\"same\"", Precondition.NONE);
        assertTrue(v().remove(user("alice"), "k", Precondition.NONE));
        assertFalse(v().remove(user("alice"), "k", Precondition.NONE), "nothing left to remove");
        String second = set("k", "\"same\"", Precondition.NONE);
        assertNotEquals(first, second);
        // no ABA: the version read before the delete does not match the entry written after it
        StorageException e = assertCode(ErrorCode.PRECONDITION_FAILED,
                () -> set("k", "\"stale\"", Precondition.ifVersion(first)));
        assertEquals(second, e.version());
        assertEquals(new StoredEntry("\"same\"", second), get("k"));
    }

    @Test
    default void ifVersionWritesOnlyWhileTheEntryHasThatVersion() {
        String v1 = set("k", "1", Precondition.NONE);
        String v2 = set("k", "2", Precondition.ifVersion(v1));
        assertNotEquals(v1, v2);
        assertEquals(new StoredEntry("2", v2), get("k"));

        StorageException e = assertCode(ErrorCode.PRECONDITION_FAILED, () -> set("k", "3", Precondition.ifVersion(v1)));
        assertEquals(v2, e.version(), "the current version is reported");
        assertEquals(new StoredEntry("2", v2), get("k"), "a failed condition changes nothing");

        String v3 = set("k", "3", Precondition.ifVersionIn(List.of("0123456789abcdef", v2)));
        assertEquals(new StoredEntry("3", v3), get("k"));
        // versions that cannot be one (spaces, empty, too long) match nothing, not everything
        for (String bad : new String[] {v3 + " " + v3, "", " ", "x".repeat(65), v3 + "\n"}) {
            assertEquals(v3, assertCode(ErrorCode.PRECONDITION_FAILED,
                    () -> set("k", "4", Precondition.ifVersion(bad))).version(), bad);
        }
        assertEquals(new StoredEntry("3", v3), get("k"));
    }

    @Test
    default void aConditionOnAnAbsentKeyFailsWithVersionNullAndCreatesNothing() {
        StorageException e = assertCode(ErrorCode.PRECONDITION_FAILED,
                () -> set("k", "1", Precondition.ifVersion("0123456789abcdef")));
        assertNull(e.version());
        assertNull(assertCode(ErrorCode.PRECONDITION_FAILED, () -> set("k", "1", Precondition.ifPresent())).version());
        assertNull(get("k"));
        assertEquals(0, v().namespaceBytes(user("alice")));
    }

    @Test
    default void ifAbsentCreatesButNeverOverwrites() {
        String created = set("k", "1", Precondition.ifAbsent());
        assertEquals(new StoredEntry("1", created), get("k"));
        StorageException e = assertCode(ErrorCode.PRECONDITION_FAILED, () -> set("k", "2", Precondition.ifAbsent()));
        assertEquals(created, e.version());
        assertEquals(new StoredEntry("1", created), get("k"));
        String updated = set("k", "2", Precondition.ifPresent());
        assertEquals(new StoredEntry("2", updated), get("k"));
        // ifVersion(null) is the browser's "only if absent"
        assertCode(ErrorCode.PRECONDITION_FAILED, () -> set("k", "3", Precondition.ifVersion(null)));
    }

    @Test
    default void conditionalRemoveRemovesOnlyWhileTheConditionHolds() {
        String v1 = set("k", "1", Precondition.NONE);
        StorageException e = assertCode(ErrorCode.PRECONDITION_FAILED,
                () -> v().remove(user("alice"), "k", Precondition.ifVersion("0123456789abcdef")));
        assertEquals(v1, e.version());
        assertEquals(v1, assertCode(ErrorCode.PRECONDITION_FAILED,
                () -> v().remove(user("alice"), "k", Precondition.ifAbsent())).version());
        assertEquals(new StoredEntry("1", v1), get("k"), "a failed condition removes nothing");

        assertTrue(v().remove(user("alice"), "k", Precondition.ifVersion(v1)));
        assertNull(get("k"));
        assertNull(assertCode(ErrorCode.PRECONDITION_FAILED,
                () -> v().remove(user("alice"), "k", Precondition.ifVersion(v1))).version());
        assertNull(assertCode(ErrorCode.PRECONDITION_FAILED,
                () -> v().remove(user("alice"), "k", Precondition.ifPresent())).version());
        assertFalse(v().remove(user("alice"), "k", Precondition.ifAbsent()));
        assertEquals(0, v().namespaceBytes(user("alice")));
    }

    @Test
    default void theConditionIsCheckedBeforeTheBoundAndCountsStayExact() {
        Quota tight = new Quota(Long.MAX_VALUE, cost("k", "1"));
        String v1 = v().set(user("alice"), "k", "1", tight, Precondition.ifAbsent());
        assertEquals(cost("k", "1"), v().namespaceBytes(user("alice")));
        // a growing write with a stale version: the condition answers, not the bound
        assertCode(ErrorCode.PRECONDITION_FAILED,
                () -> v().set(user("alice"), "k", "12", tight, Precondition.ifVersion("0123456789abcdef")));
        assertCode(ErrorCode.QUOTA_EXCEEDED, () -> v().set(user("alice"), "k", "12", tight, Precondition.ifVersion(v1)));
        assertEquals(new StoredEntry("1", v1), get("k"), "a refused write keeps the version too");
        String v2 = v().set(user("alice"), "k", "2", tight, Precondition.ifVersion(v1));
        assertEquals(cost("k", "2"), v().namespaceBytes(user("alice")));
        v().set(user("alice"), "j", "[]", ANY_SIZE, Precondition.ifAbsent());
        assertEquals(cost("k", "2") + cost("j", "[]"), v().namespaceBytes(user("alice")));
        assertTrue(v().remove(user("alice"), "k", Precondition.ifVersion(v2)));
        assertEquals(cost("j", "[]"), v().namespaceBytes(user("alice")));
    }

    @Test
    default void eightWritersIncrementingThroughIfMatchLoseNothingAcrossInstances() throws Exception {
        Versioned[] instances = {versioned(), versionedElsewhere()};
        Fixtures.concurrently(8, 25, (thread, i) -> {
            Versioned s = instances[thread % 2];
            while (true) {
                StoredEntry e = s.get(shared(), "counter");
                long next = e == null ? 1 : Long.parseLong(e.json()) + 1;
                try {
                    return s.set(shared(), "counter", Long.toString(next), ANY_SIZE,
                            e == null ? Precondition.ifAbsent() : Precondition.ifVersion(e.version()));
                } catch (StorageException conflict) {
                    if (conflict.code() != ErrorCode.PRECONDITION_FAILED) {
                        throw conflict;
                    }
                }
            }
        });
        assertEquals("200", versioned().get(shared(), "counter").json());
        assertEquals("200", versionedElsewhere().get(shared(), "counter").json());
        assertEquals(cost("counter", "200"), versioned().namespaceBytes(shared()));
    }
}
