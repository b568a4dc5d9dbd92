package dev.extstorage.store.memory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.Precondition;
import dev.extstorage.model.StorageException;
import dev.extstorage.store.BatchWrite;
import dev.extstorage.store.DataLifecycle;
import dev.extstorage.store.EntryCost;
import dev.extstorage.store.EphemeralStore;
import dev.extstorage.store.Namespace;
import dev.extstorage.store.Quota;
import dev.extstorage.store.StoredEntry;
import dev.extstorage.store.Stores;
import dev.extstorage.store.Versions;

import java.util.List;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * The embedded ephemeral engine ({@code memory}): an in-process Caffeine cache with a time to live per entry,
 * bounded by the approximate number of bytes its entries take. Entries are gone for readers the moment their
 * TTL ends, even before Caffeine removes them; when the byte bound is reached, Caffeine evicts the entries it
 * expects to be used least, which the contract allows ("may be evicted earlier"). Data lives in this process
 * only: a restart loses it, and several server instances do not share it.
 *
 * <p>Bounds per extension and per namespace (see {@link EphemeralStore}) are counted exactly by
 * {@link MemoryUsage}: every change of an entry goes through the cache map's {@code compute}, which adjusts the
 * counts while it holds the entry's lock, and the cache's eviction listener (called while the evicted entry is
 * locked) gives back the bytes of entries that expire or are evicted to keep the global byte bound. Versions
 * live in the cached entry, so a precondition is checked inside the same {@code compute} as the change.
 */
public final class MemoryEphemeralStore implements EphemeralStore {
    /** Room a cache entry takes besides its strings: node, key and value records, string headers. */
    static final int ENTRY_OVERHEAD_BYTES = 160;

    private final Cache<EntryKey, Cached> cache;
    private final Ticker ticker;
    private final MemoryUsage usage = new MemoryUsage();
    private final MemoryLifecycle lifecycle = new MemoryLifecycle(this);

    /**
     * @param maxBytes the most bytes (approximately: two per character plus a fixed overhead per entry) the
     *                 entries may take together; at least 1
     */
    public MemoryEphemeralStore(long maxBytes) {
        this(maxBytes, Ticker.systemTicker());
    }

    MemoryEphemeralStore(long maxBytes, Ticker ticker) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
        }
        this.ticker = ticker;
        this.cache = Caffeine.newBuilder()
                .ticker(ticker)
                .maximumWeight(maxBytes)
                .weigher((EntryKey k, Cached e) -> e.weight)
                .expireAfter(new EntryExpiry())
                // Synchronous and atomic with the removal of an expired or size-evicted entry; removals by
                // remove() and replacements by set() are counted in their own compute instead.
                .evictionListener((EntryKey k, Cached e, RemovalCause cause) -> {
                    if (k != null && e != null) {
                        usage.release(k.usageOwner(), e.cost);
                    }
                })
                // Removes expired entries promptly instead of on the next writes, so memory is given back
                // even when the cache goes quiet.
                .scheduler(Scheduler.systemScheduler())
                .build();
    }

    @Override
    public StoredEntry getEntry(Namespace namespace, String key) {
        Cached e = cache.getIfPresent(EntryKey.of(namespace, key));
        return live(e) ? new StoredEntry(e.json, e.version) : null;
    }

    /** Whether {@code e} is there for readers: present and its TTL not over (Caffeine may not have removed it yet). */
    boolean live(Cached e) {
        return e != null && ticker.read() - e.expiresAtNanos < 0;
    }

    @Override
    public String set(Namespace namespace, String key, String json, long ttlSeconds, Quota quota,
                      Precondition condition) {
        EntryKey k = EntryKey.of(namespace, key);
        Cached entry = newEntry(k, json, ttlSeconds);
        try {
            put(k, entry, quota, condition);
        } catch (StorageException refused) {
            if (refused.code() != ErrorCode.QUOTA_EXCEEDED) {
                throw refused;
            }
            // Entries past their TTL count until Caffeine removes them (within about a second). Before refusing,
            // have it remove them now and try once more. Not inside compute: clean-up locks other entries.
            cleanUp();
            put(k, entry, quota, condition);
        }
        return entry.version;
    }

    /** A new entry for {@code k} with a new version, expiring {@code ttlSeconds} from now. */
    Cached newEntry(EntryKey k, String json, long ttlSeconds) {
        if (ttlSeconds < 1) {
            throw new IllegalArgumentException("ttlSeconds must be positive, was " + ttlSeconds);
        }
        long ttlNanos = TimeUnit.SECONDS.toNanos(ttlSeconds);
        long now = ticker.read();
        // Saturates instead of wrapping when now + ttl passes Long.MAX_VALUE.
        long expiresAt = ttlNanos > Long.MAX_VALUE - Math.max(now, 0) ? Long.MAX_VALUE : now + ttlNanos;
        String version = Versions.next();
        return new Cached(json, version, expiresAt, weigh(k, json, version), EntryCost.of(k.key(), json));
    }

    @Override
    public List<String> setMany(Namespace ns, List<BatchWrite> w, Quota q) {
        return MemoryBatch.setMany(this, ns, w, q);
    }

    /**
     * Stores the entry if {@code condition} holds, counting it in place of the one it replaces; a refusal leaves
     * the old one.
     */
    private void put(EntryKey k, Cached entry, Quota quota, Precondition condition) {
        // Caffeine hands an expired old entry to the eviction listener and passes null here; an exception
        // thrown here leaves the mapping as it was.
        cache.asMap().compute(k, (key, old) -> {
            requireHolds(condition, old);
            usage.replace(key.usageOwner(), old == null ? 0 : old.cost, entry.cost, quota);
            return entry;
        });
    }

    @Override
    public boolean remove(Namespace namespace, String key, Precondition condition) {
        boolean[] removed = new boolean[1];
        // compute, not computeIfPresent: a condition on an absent entry may fail, and must be checked under the lock
        cache.asMap().compute(EntryKey.of(namespace, key), (k, old) -> {
            requireHolds(condition, old);
            if (old != null) {
                usage.release(k.usageOwner(), old.cost);
                removed[0] = live(old);
            }
            return null;
        });
        return removed[0];
    }

    /** Called under the entry's lock: an entry past its TTL is absent, as readers see it. */
    void requireHolds(Precondition condition, Cached old) {
        if (condition.kind() == Precondition.Kind.NONE) {
            return;
        }
        String current = live(old) ? old.version : null;
        if (!condition.holds(current)) {
            throw condition.failure(current);
        }
    }

    @Override
    public DataLifecycle lifecycle() {
        return lifecycle;
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public String engine() {
        return "memory";
    }

    @Override
    public void close() {
        cache.invalidateAll();
        cache.cleanUp();
        usage.clear();
    }

    /** The cache's own view of its entries (for {@link MemoryLifecycle}). */
    ConcurrentMap<EntryKey, Cached> entries() {
        return cache.asMap();
    }

    MemoryUsage usage() {
        return usage;
    }

    /** Whether the entry's TTL has passed (it may still be in the cache for a moment). */
    boolean expired(Cached e) {
        return ticker.read() - e.expiresAtNanos >= 0;
    }

    /** When the entry expires, in ms since the epoch. */
    long expiresAtMillis(Cached e) {
        return System.currentTimeMillis() + TimeUnit.NANOSECONDS.toMillis(e.expiresAtNanos - ticker.read());
    }

    /** Removes the entry of this cache key, giving its bytes back; whether there was one. */
    boolean remove(EntryKey key) {
        boolean[] removed = new boolean[1];
        cache.asMap().computeIfPresent(key, (k, old) -> {
            usage.release(k.usageOwner(), old.cost);
            removed[0] = true;
            return null;
        });
        return removed[0];
    }

    /** Has the cache remove the entries whose TTL has passed now (their bytes come back). */
    void cleanUp() {
        cache.cleanUp();
    }

    /** The approximate bytes the entries take now, after pending maintenance (for tests and metrics). */
    public long weightedSize() {
        cleanUp();
        return cache.policy().eviction().orElseThrow().weightedSize().orElse(0);
    }

    /** The entries the cache holds now, approximately (for metrics). */
    public long entryCount() {
        return cache.estimatedSize();
    }

    /** The bytes the extension holds now, as its bound counts them (for tests and metrics). */
    long extensionBytes(Namespace namespace) {
        return usage.extensionBytes(namespace.extension().id());
    }

    /** The bytes the namespace holds now, as its bound counts them (for tests and metrics). */
    long namespaceBytes(Namespace namespace) {
        return usage.ownerBytes(MemoryUsage.Owner.of(namespace));
    }

    /** How many counts are kept now, one per extension and per namespace holding something (for tests). */
    int countsKept() {
        return usage.countedNamespaces() + usage.countedExtensions();
    }

    private static int weigh(EntryKey k, String json, String version) {
        long chars = (long) k.extensionId().length() + k.owner().length() + k.key().length() + json.length()
                + version.length();
        return (int) Math.min(Integer.MAX_VALUE, 2 * chars + ENTRY_OVERHEAD_BYTES);
    }

    /** Each entry lives until its own deadline; reading it does not extend it. */
    private static final class EntryExpiry implements Expiry<EntryKey, Cached> {
        @Override
        public long expireAfterCreate(EntryKey key, Cached value, long currentTime) {
            return Math.max(0, value.expiresAtNanos - currentTime);
        }

        @Override
        public long expireAfterUpdate(EntryKey key, Cached value, long currentTime, long currentDuration) {
            return Math.max(0, value.expiresAtNanos - currentTime);
        }

        @Override
        public long expireAfterRead(EntryKey key, Cached value, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
