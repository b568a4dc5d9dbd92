package dev.extstorage.api;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.KeyPrefixes;
import dev.extstorage.model.Paging;
import dev.extstorage.model.Precondition;
import dev.extstorage.model.StorageException;
import dev.extstorage.model.Tier;
import dev.extstorage.store.BatchWrite;
import dev.extstorage.store.PageSink;
import dev.extstorage.store.StoredEntry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The ephemeral tier of one extension in one scope: values with a time to live, kept in the server cache
 * (Redis or in-process). A value may disappear before its TTL when the cache is full. What the extension and
 * what each user's user scope (or the shared scope) hold are bounded by the configured {@link Quotas}.
 *
 * <p>Every entry has a version ({@link #getEntry}); each write returns the new one. A write or removal with a
 * {@link Precondition} happens only while it holds, checked atomically with the change; a plain one is
 * last-writer-wins. A compare-and-swap loop:
 * <pre>{@code
 * while (true) {
 *     Entry e = storage.ephemeral().getEntry("counter");
 *     long next = e == null ? 1 : e.value().asLong() + 1;
 *     try {
 *         storage.ephemeral().set("counter", next, Duration.ofHours(1),
 *                 e == null ? Precondition.ifAbsent() : Precondition.ifVersion(e.version()));
 *         break;
 *     } catch (StorageException conflict) {
 *         if (conflict.code() != ErrorCode.PRECONDITION_FAILED) throw conflict;
 *     }
 * }
 * }</pre>
 */
public final class EphemeralStorage extends JsonReads {
    EphemeralStorage(TierAccess access) {
        super(access);
    }

    /** The same tier, shared scope: visible to every user of the extension. */
    public EphemeralStorage shared() {
        return new EphemeralStorage(access.shared());
    }

    @Override
    StoredEntry stored(String key) {
        return access.service.ephemeralStore().getEntry(access.readable(), TierAccess.key(key));
    }

    @Override
    List<StoredEntry> storedMany(List<String> keys) {
        return access.service.ephemeralStore().getMany(access.readable(), keys);
    }

    /**
     * Stores every value of {@code values} (each as {@link #set(String, Object, Duration)} would) for {@code ttl},
     * all or nothing, in one round trip to the store (see {@link dev.extstorage.store.EphemeralStore#setMany}
     * for how atomic each engine is). At most {@link dev.extstorage.model.Batches#MAX_KEYS} keys; the values
     * together at most the value limit. The bounds are checked for the batch as a whole. One change event per
     * entry.
     *
     * @return the new versions by key, in the map's order
     * @throws dev.extstorage.model.StorageException INVALID_BODY (too many keys), VALUE_TOO_LARGE (a value, or
     *         all together), and those of the single set
     */
    public Map<String, String> setMany(Map<String, ?> values, Duration ttl) {
        long seconds = ttl.toSeconds() + (ttl.toNanosPart() > 0 ? 1 : 0);
        List<BatchEntry> entries = Batch.entries(access, values, seconds);
        return Batch.byKey(Batch.keysOf(entries, Long.MAX_VALUE), setManyJson(entries));
    }

    /**
     * As {@link #setMany}, for entries already parsed and checked (a REST batch's), each with its own TTL and
     * precondition; a failed precondition fails the whole batch ({@code PRECONDITION_FAILED}, nothing stored).
     *
     * @return the new versions, in the order of {@code entries}
     * @throws dev.extstorage.model.StorageException INVALID_BODY also for {@code encrypt} (persistent only),
     *         INVALID_TTL for a missing or invalid TTL
     */
    public List<String> setManyJson(List<BatchEntry> entries) {
        var ns = access.writable();
        List<String> keys = Batch.keysOf(entries, access.service.limits().maxValueBytes());
        List<BatchWrite> writes = new ArrayList<>(entries.size());
        for (BatchEntry e : entries) {
            if (e.encrypt()) {
                throw new StorageException(ErrorCode.INVALID_BODY, "'encrypt' is for persistent values only");
            }
            long ttl = access.service.limits().requireValidTtl(e.ttlSeconds());
            writes.add(new BatchWrite(e.key(), e.value().toString(), ttl, e.condition()));
        }
        List<String> versions = access.service.ephemeralStore().setMany(ns, writes, access.ephemeralQuota());
        Batch.written(access, Tier.EPHEMERAL, ns, keys, writes.stream().map(w -> w.json()).toList(), versions);
        return versions;
    }

    /**
     * Removes up to {@link dev.extstorage.model.Batches#MAX_KEYS} distinct keys in one round trip (absent ones
     * are no error); one change event per entry removed.
     *
     * @return for each key, in order, whether an entry was removed
     */
    public Map<String, Boolean> removeMany(Collection<String> keys) {
        var ns = access.writable();
        List<String> checked = Batch.keys(keys);
        return Batch.removed(access, Tier.EPHEMERAL, ns, checked, access.service.ephemeralStore().removeMany(ns, checked));
    }

    /**
     * Stores {@code value} (a JsonNode or any object Jackson can write; a {@code byte[]} is a binary value, read
     * back with {@link #getBytes}) for {@code ttl}, whole seconds.
     *
     * @throws dev.extstorage.model.StorageException INVALID_KEY, INVALID_TTL, INVALID_VALUE, VALUE_TOO_LARGE,
     *         FORBIDDEN, QUOTA_EXCEEDED (the write would grow this scope's or the extension's ephemeral data past
     *         its bound, see {@link dev.extstorage.store.EphemeralStore#set}), STORE_UNAVAILABLE
     * @return the entry's new version
     */
    public String set(String key, Object value, Duration ttl) {
        return set(key, value, ttl, Precondition.NONE);
    }

    /**
     * As {@link #set(String, Object, Duration)}, only while {@code condition} holds for the entry as it is now
     * ({@link Precondition#ifVersion}, {@link Precondition#ifAbsent}, ...), checked atomically with the write.
     *
     * @return the entry's new version
     * @throws dev.extstorage.model.StorageException PRECONDITION_FAILED (nothing changed; its
     *         {@code version()} is the current version, {@code null} if absent), and those of the plain set
     */
    public String set(String key, Object value, Duration ttl, Precondition condition) {
        return setJson(key, access.encode(value), ttl.toSeconds() + (ttl.toNanosPart() > 0 ? 1 : 0), condition);
    }

    /** As {@link #set(String, Object, Duration)}, the TTL in seconds. */
    public String set(String key, Object value, long ttlSeconds) {
        return setJson(key, access.encode(value), ttlSeconds, Precondition.NONE);
    }

    /** As {@link #set(String, Object, long)}, for a value already parsed and checked (a REST body's). */
    public String setJson(String key, JsonText value, long ttlSeconds) {
        return setJson(key, value, ttlSeconds, Precondition.NONE);
    }

    /** As {@link #set(String, Object, Duration, Precondition)}, for a value already parsed and checked. */
    public String setJson(String key, JsonText value, long ttlSeconds, Precondition condition) {
        var ns = access.writable();
        String k = TierAccess.key(key);
        long ttl = access.service.limits().requireValidTtl(ttlSeconds);
        String json = value.toString();
        String version = access.service.ephemeralStore().set(ns, k, json, ttl, access.ephemeralQuota(), condition);
        access.published(Tier.EPHEMERAL, ns, k, json, version);
        return version;
    }

    /**
     * Streams one page of this scope's live entries whose keys start with {@code prefix} (literally, {@link
     * dev.extstorage.model.KeyPrefixes}; {@code ""}: all), sorted by key, after their number (see {@link
     * dev.extstorage.store.DataLifecycle#list}). An entry may expire between the count and its page.
     *
     * @throws dev.extstorage.model.StorageException INVALID_QUERY (the prefix), PAGE_TOO_LARGE (before the sink
     *         is called), NOT_AUTHENTICATED, STORE_UNAVAILABLE
     */
    public void list(String prefix, Paging paging, PageSink sink) {
        access.service.ephemeralStore().lifecycle().list(access.readable(),
                KeyPrefixes.parse(prefix), paging, access.service.maxListBytes(), sink);
    }

    /** Removes {@code key}; nothing happens if it is absent. Whether an entry was removed. */
    public boolean remove(String key) {
        return remove(key, Precondition.NONE);
    }

    /**
     * Removes {@code key} only while {@code condition} holds, checked atomically with the removal; whether an
     * entry was removed.
     *
     * @throws dev.extstorage.model.StorageException PRECONDITION_FAILED (nothing removed; the current version)
     */
    public boolean remove(String key, Precondition condition) {
        var ns = access.writable();
        String k = TierAccess.key(key);
        boolean removed = access.service.ephemeralStore().remove(ns, k, condition);
        if (removed) {
            access.publishedRemove(Tier.EPHEMERAL, ns, k);
        }
        return removed;
    }
}
