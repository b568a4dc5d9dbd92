package dev.extstorage.api;

import dev.extstorage.model.Paging;
import dev.extstorage.model.Tier;
import dev.extstorage.store.PageSink;

/**
 * The persistent tier of one extension in one scope: database rows that survive restarts and crashes. A
 * write that returns normally is durable. Bytes count key, value and a fixed overhead per entry
 * ({@link dev.extstorage.model.Limits#entryCost}); the extension's entries together may take at most its
 * quota, each user's user-scoped entries at most the user's share of it, the shared entries at most the
 * shared bound ({@link Quotas}).
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
    public String getJson(String key) {
        return access.service.persistentStore().get(access.readable(), TierAccess.key(key));
    }

    /**
     * Stores {@code value} (a JsonNode or any object Jackson can write) under {@code key}.
     *
     * @throws dev.extstorage.model.StorageException INVALID_KEY, INVALID_VALUE, VALUE_TOO_LARGE, QUOTA_EXCEEDED
     *         (the write would pass this scope's share or the extension's quota), FORBIDDEN, STORE_UNAVAILABLE
     */
    public void set(String key, Object value) {
        setJson(key, access.encode(value));
    }

    /** As {@link #set(String, Object)}, for a value already parsed and checked (a REST body's). */
    public void setJson(String key, JsonText value) {
        var ns = access.writable();
        String k = TierAccess.key(key);
        String json = value.toString();
        access.service.persistentStore().set(ns, k, json, access.persistentQuota());
        String version = null;   // the version the store's write returns, once writes return one (i11v)
        access.published(Tier.PERSISTENT, ns, k, json, version);
    }

    /** Removes {@code key}; nothing happens if it is absent. */
    public void remove(String key) {
        var ns = access.writable();
        String k = TierAccess.key(key);
        access.service.persistentStore().remove(ns, k);
        access.publishedRemove(Tier.PERSISTENT, ns, k);
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
