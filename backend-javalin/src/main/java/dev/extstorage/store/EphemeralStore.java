package dev.extstorage.store;

import dev.extstorage.model.Precondition;

import java.util.ArrayList;
import java.util.List;

/**
 * The ephemeral tier's engine: JSON texts under keys with a time to live. Entries expire after their TTL and
 * may be evicted earlier. Callers pass keys and values that are already valid (the API layer checks them);
 * stores keep namespaces apart and report an unreachable engine as
 * {@link dev.extstorage.model.ErrorCode#STORE_UNAVAILABLE}.
 *
 * <h2>Bounds</h2>
 * Every engine counts the bytes each extension and each namespace (extension, scope and, for the user scope,
 * user) holds, an entry costing {@link dev.extstorage.model.Limits#entryCost}: the UTF-8 bytes of its key and
 * value plus {@value dev.extstorage.model.Limits#ENTRY_OVERHEAD_BYTES}. A write is refused when it would grow
 * either figure past its bound in the {@link Quota} given with it, so one extension, or one user of it, cannot
 * fill the cache that every extension shares. Removing an entry and its expiry or eviction give its bytes back.
 * How promptly an expired entry's bytes come back differs per engine:
 * <ul>
 *   <li>{@link MemoryEphemeralStore}: exact. The counts change atomically with the cache's entries (insert,
 *       replace, remove, expiry and size eviction), so they always equal the cost of the entries the cache
 *       holds. An entry whose TTL has passed counts until the cache removes it, which it does within about a
 *       second, and before refusing a write the store has the cache remove every expired entry and tries
 *       again.</li>
 *   <li>{@link RedisEphemeralStore}: exact to the second for entries written through it. Redis expires entries
 *       without telling anyone, so the counters remember in which second each counted byte expires and forget
 *       those bytes at the next write checked against the counter once that second has passed. The counts may
 *       therefore include entries that expired in the last second or so (more only if very many expiry
 *       seconds passed since the counter's last write). They never miss a live entry, except when Redis
 *       itself drops keys (eviction under {@code maxmemory}, {@code FLUSHDB}) or for entries written before
 *       these counters existed.</li>
 * </ul>
 *
 * <h2>Versions</h2>
 * Every entry has a version ({@link Versions}): each write gives it a new one, returned by the write, and an
 * entry removed (or expired) and written again never gets an earlier one back. A write or removal may carry a
 * {@link Precondition}, checked atomically with it (also against writers in other server instances sharing one
 * Redis): when it does not hold, nothing changes and the call throws {@code PRECONDITION_FAILED} with the
 * entry's current version ({@code null} when absent or expired). The precondition is checked before the bounds.
 * A version costs no bytes of the bounds.
 */
public interface EphemeralStore extends AutoCloseable {
    /** The JSON text stored under {@code key}, or {@code null} if there is none or it expired. */
    default String get(Namespace namespace, String key) {
        StoredEntry e = getEntry(namespace, key);
        return e == null ? null : e.json();
    }

    /** The entry stored under {@code key} with its version, or {@code null} if there is none or it expired. */
    StoredEntry getEntry(Namespace namespace, String key);

    /** As {@link #set(Namespace, String, String, long, Quota, Precondition)} without a condition. */
    default String set(Namespace namespace, String key, String json, long ttlSeconds, Quota quota) {
        return set(namespace, key, json, ttlSeconds, quota, Precondition.NONE);
    }

    /**
     * Stores {@code json} under {@code key} for {@code ttlSeconds}, replacing any earlier value atomically,
     * within the bounds of {@code quota}, if {@code condition} holds for the entry as it is now (an expired
     * entry is absent).
     *
     * <p>Let {@code grow} be the entry's cost minus the cost of the entry it replaces (zero when there is none
     * or it has expired). A write with {@code grow <= 0} is always accepted, even when the extension or the
     * namespace holds more than its bound now (the bounds were lowered, or the counts are one of the engine's
     * over-counts described above). Otherwise it is refused if the namespace would then hold more than
     * {@link Quota#ownerBytes()} or the extension, all namespaces together, more than
     * {@link Quota#extensionBytes()}; holding exactly the bound is allowed. A refused write changes nothing:
     * the old value, its TTL and the counts stay as they were. Concurrent writes, also from other server
     * instances sharing one Redis, never pass a bound together.
     *
     * @param ttlSeconds at least 1; an engine may keep an entry for less (the tier allows eviction)
     * @param quota      the bounds of the extension and of {@code namespace} on this tier
     * @param condition  what the entry's current state must be; {@link Precondition#NONE}: last writer wins
     * @return the entry's new version
     * @throws dev.extstorage.model.StorageException {@code PRECONDITION_FAILED} if {@code condition} does not
     *         hold, with the current version ({@link dev.extstorage.model.StorageException#version()});
     *         {@code QUOTA_EXCEEDED} with the bound as {@code limit}
     *         and the bytes the write would have led to as {@code actual}, its message naming the bound (the
     *         namespace's is checked first); {@code STORE_UNAVAILABLE} if the engine cannot be reached
     * @throws IllegalArgumentException if {@code ttlSeconds < 1}
     */
    String set(Namespace namespace, String key, String json, long ttlSeconds, Quota quota, Precondition condition);

    /** Removes {@code key} and gives back the bytes it cost; nothing happens if it is absent. */
    default void remove(Namespace namespace, String key) {
        remove(namespace, key, Precondition.NONE);
    }

    /**
     * Removes {@code key} and gives back the bytes it cost, if {@code condition} holds for the entry as it is now;
     * nothing happens if it is absent (and the condition allows that).
     *
     * @return whether an entry was removed
     * @throws dev.extstorage.model.StorageException {@code PRECONDITION_FAILED} if {@code condition} does not
     *         hold, with the current version, and nothing is removed; {@code STORE_UNAVAILABLE}
     */
    boolean remove(Namespace namespace, String key, Precondition condition);

    /**
     * The entries stored under {@code keys}, in their order: one element per key, {@code null} for a key that
     * has none or whose entry expired. One round trip to the engine ({@code MGET} on Redis). Keys are distinct
     * and at most {@link dev.extstorage.model.Batches#MAX_KEYS} (the API layer checks them).
     */
    default List<StoredEntry> getMany(Namespace namespace, List<String> keys) {
        List<StoredEntry> found = new ArrayList<>(keys.size());
        for (String key : keys) {
            found.add(getEntry(namespace, key));
        }
        return found;
    }

    /**
     * Stores every write of the batch in {@code namespace}, all or nothing: if a write's precondition does not
     * hold, or the batch would pass a bound, nothing of the batch is kept and the call throws as {@link #set}
     * would for that write. The bounds are checked for the batch as a whole: let {@code grow} be the sum of the
     * writes' costs minus the costs of the live entries they replace; a batch with {@code grow <= 0} is always
     * accepted, any other is refused when the namespace or the extension would then hold more than its bound.
     * Each write gets its own TTL and a new version.
     *
     * <p>Atomicity per engine: Redis runs the batch as one script, so nobody, also in other server instances, sees
     * part of it. The in-process engine writes entry by entry and, when a write fails or the bounds refuse the
     * batch, puts back what the batch replaced: a concurrent reader may see part of a batch that is then undone,
     * and a concurrent write of the same key in between wins over the undo. Either way a refused batch leaves the
     * counts as they were.
     *
     * @param writes distinct valid keys, at most {@link dev.extstorage.model.Batches#MAX_KEYS}, each TTL at least 1
     * @return the new versions, in the order of {@code writes}
     * @throws dev.extstorage.model.StorageException {@code PRECONDITION_FAILED} (the first write, in order, whose
     *         condition does not hold, with its current version), {@code QUOTA_EXCEEDED} (namespace first),
     *         {@code STORE_UNAVAILABLE}
     */
    List<String> setMany(Namespace namespace, List<BatchWrite> writes, Quota quota);

    /**
     * Removes every key of the batch (absent ones are no error), giving back their bytes; one round trip (on
     * Redis one script, atomic).
     *
     * @return for each key, in order, whether an entry was removed
     * @throws dev.extstorage.model.StorageException {@code STORE_UNAVAILABLE}
     */
    default List<Boolean> removeMany(Namespace namespace, List<String> keys) {
        List<Boolean> removed = new ArrayList<>(keys.size());
        for (String key : keys) {
            removed.add(remove(namespace, key, Precondition.NONE));
        }
        return removed;
    }

    /** Listing by prefix, usage, purge, a user's export and erasure on this engine (SPEC section 9). */
    DataLifecycle lifecycle();

    /** Whether the engine answers now (for {@code /health}); never throws. */
    boolean isAvailable();

    /** A short name for logs and {@code /health}: {@code memory}, {@code redis}. */
    String engine();

    @Override
    void close();
}
