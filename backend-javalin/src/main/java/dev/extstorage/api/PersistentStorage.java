package dev.extstorage.api;

import dev.extstorage.model.Paging;
import dev.extstorage.model.Precondition;
import dev.extstorage.store.PageSink;
import dev.extstorage.store.StoredEntry;

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

    /** The same tier, shared scope: visible to every user of the extension. */
    public PersistentStorage shared() {
        return new PersistentStorage(access.shared());
    }

    @Override
    StoredEntry stored(String key) {
        return access.service.persistentStore().getEntry(access.readable(), TierAccess.key(key));
    }

    /**
     * Stores {@code value} (a JsonNode or any object Jackson can write) under {@code key}.
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
        var ns = access.writable();
        String k = TierAccess.key(key);
        return access.service.persistentStore().set(ns, k, value.toString(), access.persistentQuota(), condition);
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
        return access.service.persistentStore().remove(access.writable(), TierAccess.key(key), condition);
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
        access.service.persistentStore().list(access.readable(), paging, access.service.maxListBytes(), sink);
    }
}
