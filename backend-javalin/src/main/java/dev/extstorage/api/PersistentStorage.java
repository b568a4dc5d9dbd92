package dev.extstorage.api;

import dev.extstorage.model.KeyPrefixes;
import dev.extstorage.model.Paging;
import dev.extstorage.model.Precondition;
import dev.extstorage.model.ResourceRef;
import dev.extstorage.model.Tier;
import dev.extstorage.store.BatchWrite;
import dev.extstorage.store.PageSink;
import dev.extstorage.store.StoredEntry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The persistent tier of one extension in one scope: database rows that survive restarts and crashes. A
 * write that returns normally is durable. Bytes count key, value and a fixed overhead per entry
 * ({@link dev.extstorage.model.Limits#entryCost}); the extension's entries together may take at most its
 * quota, each user's user-scoped entries at most the user's share of it, the shared entries at most the
 * shared bound ({@link Quotas}).
 *
 * <p>Every entry has a version ({@link #getEntry}), kept across restarts; each write returns the new one. A
 * write or removal with a {@link Precondition} happens only while it holds, checked in the write's transaction
 * (see {@link EphemeralStorage} for a compare-and-swap loop); a plain one is last-writer-wins.
 */
public final class PersistentStorage extends JsonReads {
    PersistentStorage(TierAccess access) {
        super(access);
    }

    /** The same tier, shared scope: visible to every user of the extension (of the same resource, if any). */
    public PersistentStorage shared() {
        return new PersistentStorage(access.shared());
    }

    /**
     * The entries of one resource (SPEC section 10) in this scope: separate from the plain entries and from every
     * other resource's, whatever their keys, with the same limits, errors and versions; they count in this
     * scope's bounds. {@code shared()} of the result is the resource's shared entries. Removing the resource
     * ({@link StorageAdmin#purgeResource}) removes them.
     *
     * @param type 1-64 characters of {@code a-z 0-9 _ -}
     * @param uuid a UUID, any letter case (kept lower-case)
     * @throws dev.extstorage.model.StorageException INVALID_QUERY if either breaks its rule
     */
    public PersistentStorage forResource(String type, String uuid) {
        return forResource(ResourceRef.of(type, uuid));
    }

    /** As {@link #forResource(String, String)}; {@code null}: the plain entries. */
    public PersistentStorage forResource(ResourceRef resource) {
        return new PersistentStorage(access.forResource(resource));
    }

    @Override
    StoredEntry stored(String key) {
        var ns = access.readable();
        String k = TierAccess.key(key);
        return access.service.atRest().open(ns, k, access.service.persistentStore().getEntry(ns, k));
    }

    @Override
    List<StoredEntry> storedMany(List<String> keys) {
        var ns = access.readable();
        // bounded like a listing page: refused before the values are read
        List<StoredEntry> stored = access.service.persistentStore().getMany(ns, keys, access.service.maxListBytes());
        List<StoredEntry> opened = new ArrayList<>(stored.size());
        for (int i = 0; i < keys.size(); i++) {
            opened.add(access.service.atRest().open(ns, keys.get(i), stored.get(i)));
        }
        return opened;
    }

    /**
     * Stores every value of {@code values} (each as {@link #set(String, Object)} would) in one transaction, all
     * or nothing (see {@link dev.extstorage.store.PersistentStore#setMany}): at most
     * {@link dev.extstorage.model.Batches#MAX_KEYS} keys, the values together at most the value limit, the
     * quota checked for the batch as a whole. One change event per entry.
     *
     * @return the new versions by key, in the map's order
     * @throws dev.extstorage.model.StorageException INVALID_BODY (too many keys), VALUE_TOO_LARGE (a value, or
     *         all together), and those of the single set
     */
    public Map<String, String> setMany(Map<String, ?> values) {
        List<BatchEntry> entries = Batch.entries(access, values, 0);
        return Batch.byKey(Batch.keysOf(entries, Long.MAX_VALUE), setManyJson(entries));
    }

    /**
     * As {@link #setMany}, for entries already parsed and checked (a REST batch's), each with its precondition
     * and {@code encrypt} (as {@link #setJson(String, JsonText, Precondition, boolean)}); a failed precondition
     * fails the whole batch ({@code PRECONDITION_FAILED}, nothing stored).
     *
     * @return the new versions, in the order of {@code entries}
     */
    public List<String> setManyJson(List<BatchEntry> entries) {
        var ns = access.writable();
        List<String> keys = Batch.keysOf(entries, access.service.limits().maxValueBytes());
        List<BatchWrite> writes = new ArrayList<>(entries.size());
        for (BatchEntry e : entries) {
            String json = e.value().toString();
            String stored = e.encrypt() ? access.service.atRest().seal(ns, e.key(), json) : json;
            writes.add(BatchWrite.of(e.key(), stored, e.condition()));
        }
        List<String> versions = access.service.persistentStore().setMany(ns, writes, access.persistentQuota());
        // an encrypted entry's event carries no value, as a single encrypted write's
        Batch.written(access, Tier.PERSISTENT, ns, keys, entries.stream()
                .map(e -> e.encrypt() ? null : e.value().toString()).toList(), versions);
        return versions;
    }

    /**
     * Removes up to {@link dev.extstorage.model.Batches#MAX_KEYS} distinct keys in one transaction (absent ones
     * are no error); one change event per entry removed.
     *
     * @return for each key, in order, whether an entry was removed
     */
    public Map<String, Boolean> removeMany(Collection<String> keys) {
        var ns = access.writable();
        List<String> checked = Batch.keys(keys);
        return Batch.removed(access, Tier.PERSISTENT, ns, checked, access.service.persistentStore().removeMany(ns, checked));
    }

    /**
     * Stores {@code value} (a JsonNode or any object Jackson can write; a {@code byte[]} is a binary value, read
     * back with {@link #getBytes}) under {@code key}.
     *
     * @throws dev.extstorage.model.StorageException INVALID_KEY, INVALID_VALUE, VALUE_TOO_LARGE, QUOTA_EXCEEDED
     *         (the write would pass this scope's share or the extension's quota), FORBIDDEN, STORE_UNAVAILABLE
     * @return the entry's new version
     */
    public String set(String key, Object value) {
        return setJson(key, access.encode(value), Precondition.NONE);
    }

    /**
     * As {@link #set(String, Object)}, only while {@code condition} holds for the entry as it is now
     * ({@link Precondition#ifVersion}, {@link Precondition#ifAbsent}, ...), checked in the write's transaction.
     *
     * @return the entry's new version
     * @throws dev.extstorage.model.StorageException PRECONDITION_FAILED (nothing changed; its
     *         {@code version()} is the current version, {@code null} if absent), and those of the plain set
     */
    public String set(String key, Object value, Precondition condition) {
        return setJson(key, access.encode(value), condition);
    }

    /** As {@link #set(String, Object)}, for a value already parsed and checked (a REST body's). */
    public String setJson(String key, JsonText value) {
        return setJson(key, value, Precondition.NONE);
    }

    /** As {@link #set(String, Object, Precondition)}, for a value already parsed and checked. */
    public String setJson(String key, JsonText value, Precondition condition) {
        return setJson(key, value, condition, false);
    }

    /**
     * As {@link #setJson(String, JsonText, Precondition)}; with {@code encrypt} the value is stored sealed
     * (SPEC section 10: AES-256-GCM, bound to this extension, scope, user and key) and every read opens it. Quotas
     * count what is stored: the sealed text. The change event of an encrypted write carries no value (as one of
     * an oversized value), so no event table holds its plaintext; listeners read the entry.
     *
     * @throws dev.extstorage.model.StorageException INVALID_BODY with {@code encrypt} when the server has no
     *         encryption keys, and those of the plain set
     */
    public String setJson(String key, JsonText value, Precondition condition, boolean encrypt) {
        var ns = access.writable();
        String k = TierAccess.key(key);
        String json = value.toString();
        String stored = encrypt ? access.service.atRest().seal(ns, k, json) : json;
        String version = access.service.persistentStore().set(ns, k, stored, access.persistentQuota(), condition);
        access.published(Tier.PERSISTENT, ns, k, encrypt ? null : json, version);
        return version;
    }

    /** As {@link #set(String, Object, Precondition)}, stored encrypted (see {@link #setJson(String, JsonText, Precondition, boolean)}). */
    public String setEncrypted(String key, Object value, Precondition condition) {
        return setJson(key, access.encode(value), condition, true);
    }

    /** Removes {@code key}; nothing happens if it is absent. Whether an entry was removed. */
    public boolean remove(String key) {
        return remove(key, Precondition.NONE);
    }

    /**
     * Removes {@code key} only while {@code condition} holds, checked in the removal's transaction; whether an
     * entry was removed.
     *
     * @throws dev.extstorage.model.StorageException PRECONDITION_FAILED (nothing removed; the current version)
     */
    public boolean remove(String key, Precondition condition) {
        var ns = access.writable();
        String k = TierAccess.key(key);
        boolean removed = access.service.persistentStore().remove(ns, k, condition);
        if (removed) {
            access.publishedRemove(Tier.PERSISTENT, ns, k);
        }
        return removed;
    }

    /**
     * Streams one page of this scope's entries, most recently changed first, to {@code sink}, after the total
     * count (see {@link dev.extstorage.store.PersistentStore#list}).
     *
     * @throws dev.extstorage.model.StorageException PAGE_TOO_LARGE (before the sink is called) if the page's
     *         entries take more than the listing limit ({@link StorageService#maxListBytes()}),
     *         NOT_AUTHENTICATED, STORE_UNAVAILABLE
     */
    public void list(Paging paging, PageSink sink) {
        var ns = access.readable();
        access.service.persistentStore().list(ns, paging, access.service.maxListBytes(),
                access.service.atRest().opening(ns, sink));
    }

    /**
     * As {@link #list(Paging, PageSink)}, only the entries whose keys start with {@code prefix}, compared
     * literally ({@link dev.extstorage.model.KeyPrefixes}; {@code ""}: all).
     */
    public void list(String prefix, Paging paging, PageSink sink) {
        String p = KeyPrefixes.parse(prefix);
        if (p.isEmpty()) {
            list(paging, sink);
            return;
        }
        var ns = access.readable();
        access.service.persistentStore().lifecycle().list(ns, p, paging,
                access.service.maxListBytes(), access.service.atRest().opening(ns, sink));
    }
}
