package dev.extstorage.api;

import dev.extstorage.model.Tier;

import java.time.Duration;

/**
 * The ephemeral tier of one extension in one scope: values with a time to live, kept in the server cache
 * (Redis or in-process). A value may disappear before its TTL when the cache is full. What the extension and
 * what each user's user scope (or the shared scope) hold are bounded by the configured {@link Quotas}.
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
    public String getJson(String key) {
        return access.service.ephemeralStore().get(access.readable(), TierAccess.key(key));
    }

    /**
     * Stores {@code value} (a JsonNode or any object Jackson can write) for {@code ttl}, whole seconds.
     *
     * @throws dev.extstorage.model.StorageException INVALID_KEY, INVALID_TTL, INVALID_VALUE, VALUE_TOO_LARGE,
     *         FORBIDDEN, QUOTA_EXCEEDED (the write would grow this scope's or the extension's ephemeral data past
     *         its bound, see {@link dev.extstorage.store.EphemeralStore#set}), STORE_UNAVAILABLE
     */
    public void set(String key, Object value, Duration ttl) {
        set(key, value, ttl.toSeconds() + (ttl.toNanosPart() > 0 ? 1 : 0));
    }

    /** As {@link #set(String, Object, Duration)}, the TTL in seconds. */
    public void set(String key, Object value, long ttlSeconds) {
        setJson(key, access.encode(value), ttlSeconds);
    }

    /** As {@link #set(String, Object, long)}, for a value already parsed and checked (a REST body's). */
    public void setJson(String key, JsonText value, long ttlSeconds) {
        var ns = access.writable();
        String k = TierAccess.key(key);
        long ttl = access.service.limits().requireValidTtl(ttlSeconds);
        String json = value.toString();
        access.service.ephemeralStore().set(ns, k, json, ttl, access.ephemeralQuota());
        String version = null;   // the version the store's write returns, once writes return one (i11v)
        access.published(Tier.EPHEMERAL, ns, k, json, version);
    }

    /** Removes {@code key}; nothing happens if it is absent. */
    public void remove(String key) {
        var ns = access.writable();
        String k = TierAccess.key(key);
        access.service.ephemeralStore().remove(ns, k);
        access.publishedRemove(Tier.EPHEMERAL, ns, k);
    }
}
