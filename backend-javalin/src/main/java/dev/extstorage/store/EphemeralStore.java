package dev.extstorage.store;

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
 */
public interface EphemeralStore extends AutoCloseable {
    /** The JSON text stored under {@code key}, or {@code null} if there is none or it expired. */
    String get(Namespace namespace, String key);

    /**
     * Stores {@code json} under {@code key} for {@code ttlSeconds}, replacing any earlier value atomically,
     * within the bounds of {@code quota}.
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
     * @throws dev.extstorage.model.StorageException {@code QUOTA_EXCEEDED} with the bound as {@code limit}
     *         and the bytes the write would have led to as {@code actual}, its message naming the bound (the
     *         namespace's is checked first); {@code STORE_UNAVAILABLE} if the engine cannot be reached
     * @throws IllegalArgumentException if {@code ttlSeconds < 1}
     */
    void set(Namespace namespace, String key, String json, long ttlSeconds, Quota quota);

    /** Removes {@code key} and gives back the bytes it cost; nothing happens if it is absent. */
    void remove(Namespace namespace, String key);

    /** Listing by prefix, usage, purge, a user's export and erasure on this engine (SPEC section 9). */
    DataLifecycle lifecycle();

    /** Whether the engine answers now (for {@code /health}); never throws. */
    boolean isAvailable();

    /** A short name for logs and {@code /health}: {@code memory}, {@code redis}. */
    String engine();

    @Override
    void close();
}
