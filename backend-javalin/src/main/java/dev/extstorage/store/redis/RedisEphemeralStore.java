package dev.extstorage.store.redis;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.Precondition;
import dev.extstorage.model.ServerKeys;
import dev.extstorage.model.StorageException;
import dev.extstorage.model.Tier;
import dev.extstorage.store.BatchWrite;
import dev.extstorage.store.DataLifecycle;
import dev.extstorage.store.EntryCost;
import dev.extstorage.store.EphemeralStore;
import dev.extstorage.store.Namespace;
import dev.extstorage.store.Quota;
import dev.extstorage.store.QuotaRefusal;
import dev.extstorage.store.StoredEntry;
import dev.extstorage.store.Versions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The scale-out ephemeral engine ({@code redis}): one Redis string per entry, written with an expiry
 * ({@code SET key value PXAT}), so Redis expires entries itself and every server instance sharing the Redis
 * sees the same data. Keys follow {@link ServerKeys#entryKey}, under a configurable prefix so several
 * deployments can share one Redis. Writes and removals run as Lua scripts ({@link RedisQuotaScripts}) that keep
 * the byte counters of the extension and the namespace ({@link ServerKeys.Counter}) in the same atomic step, so
 * the bounds of {@link EphemeralStore#set} hold across every server instance sharing the Redis. The entry's
 * string holds its version before its JSON text ({@link RedisEntries}), so one {@code SET} changes both, and the
 * scripts check a write's precondition in the same atomic step. Needs Redis 7.0 or later.
 *
 * <p>The same code runs on one Redis and on a Redis Cluster ({@code redis-cluster://}, see {@link RedisTarget}):
 * the client is a {@link UnifiedJedis} either way, and the key layout puts every key of one extension in one
 * hash slot ({@link ServerKeys#hashTag}), so each script's keys, each listing's {@code SCAN} and each purge's
 * {@code UNLINK} stay on the one node that owns the extension.
 *
 * <p>Every call is bounded: connecting takes at most {@value #DEFAULT_CONNECT_TIMEOUT_MS} ms, a command at most
 * {@value #DEFAULT_SOCKET_TIMEOUT_MS} ms, waiting for a pooled connection at most
 * {@value #DEFAULT_POOL_WAIT_MS} ms. When Redis cannot be reached a call fails with
 * {@link ErrorCode#STORE_UNAVAILABLE} instead of hanging, and the pool reconnects by itself once Redis is back.
 * A command that fails on a connection broken by a Redis restart is retried once on a fresh connection. Every
 * command may safely run twice, also after an unknown outcome: {@code GET} and the two scripts, which derive the change of the counters from the entry Redis holds rather than adding
 * blindly (a write run twice replaces the value with itself and is counted once; a removal run twice finds
 * nothing the second time).
 */
public final class RedisEphemeralStore implements EphemeralStore {
    public static final int DEFAULT_POOL_SIZE = 32;
    public static final int DEFAULT_CONNECT_TIMEOUT_MS = 1000;
    public static final int DEFAULT_SOCKET_TIMEOUT_MS = 2000;
    public static final int DEFAULT_POOL_WAIT_MS = 2000;
    private static final Logger LOG = LoggerFactory.getLogger(RedisEphemeralStore.class);

    private final UnifiedJedis client;
    private final String prefix;
    private final String location;
    private final RedisLifecycle lifecycle;

    /** Same as {@link #RedisEphemeralStore(String, String, int)} with a pool of {@value #DEFAULT_POOL_SIZE}. */
    public RedisEphemeralStore(String redisUrl, String keyPrefix) {
        this(redisUrl, keyPrefix, DEFAULT_POOL_SIZE);
    }

    /**
     * Connects lazily: a Redis that is down now makes calls fail with {@code STORE_UNAVAILABLE} until it is up.
     *
     * @param redisUrl  one of {@link RedisTarget#FORMS}
     * @param keyPrefix the first segment of every key (see {@link ServerKeys#prefixProblem})
     * @param poolSize  the most connections open at once, at least 1
     * @throws IllegalArgumentException if the URL, prefix or pool size is not valid; the message does not
     *                                  repeat the URL, which may hold a password
     */
    public RedisEphemeralStore(String redisUrl, String keyPrefix, int poolSize) {
        this(redisUrl, keyPrefix, poolSize, DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_SOCKET_TIMEOUT_MS);
    }

    /** As {@link #RedisEphemeralStore(String, String, int)}, with the connect and command time-outs in ms. */
    public RedisEphemeralStore(String redisUrl, String keyPrefix, int poolSize, int connectTimeoutMs,
                               int socketTimeoutMs) {
        String prefixProblem = keyPrefix == null ? "prefix is required" : ServerKeys.prefixProblem(keyPrefix);
        if (prefixProblem != null) {
            throw new IllegalArgumentException("Invalid Redis key prefix: " + prefixProblem);
        }
        if (poolSize < 1) {
            throw new IllegalArgumentException("Redis pool size must be at least 1, was " + poolSize);
        }
        RedisTarget target = RedisClients.parse(redisUrl);
        this.client = RedisClients.open(target, "extension-storage", poolSize, connectTimeoutMs, socketTimeoutMs,
                DEFAULT_POOL_WAIT_MS);
        this.prefix = keyPrefix;
        this.location = target.location();
        this.lifecycle = new RedisLifecycle(this, client, keyPrefix);
    }

    @Override
    public StoredEntry getEntry(Namespace namespace, String key) {
        String k = redisKey(namespace, key);
        return RedisEntries.parse(call("read from", () -> client.get(k)));
    }

    @Override
    public String set(Namespace namespace, String key, String json, long ttlSeconds, Quota quota,
                      Precondition condition) {
        if (ttlSeconds < 1) {
            throw new IllegalArgumentException("ttlSeconds must be positive, was " + ttlSeconds);
        }
        List<String> keys = RedisQuotaScripts.keys(prefix, namespace, redisKey(namespace, key));
        long fixedCost = EntryCost.ofKey(key);
        // Drawn once, before the call: a retry after an unknown outcome writes the same version again.
        String version = Versions.next();
        Object outcome = call("write to",
                () -> RedisQuotaScripts.set(client, keys, json, ttlSeconds, fixedCost, quota, version, condition));
        if (outcome instanceof RedisQuotaScripts.Conflict conflict) {
            throw condition.failure(conflict.current());
        }
        requireAccepted(outcome, namespace, quota);
        return version;
    }

    /** @throws dev.extstorage.model.StorageException {@code QUOTA_EXCEEDED} if a script refused the write */
    private static void requireAccepted(Object outcome, Namespace namespace, Quota quota) {
        if (outcome instanceof RedisQuotaScripts.Refusal refusal && refusal.namespace()) {
            throw QuotaRefusal.namespace(Tier.EPHEMERAL, namespace.scope(), quota.ownerBytes(), refusal.wouldHold());
        }
        if (outcome instanceof RedisQuotaScripts.Refusal refusal) {
            throw QuotaRefusal.extension(Tier.EPHEMERAL, quota.extensionBytes(), refusal.wouldHold());
        }
    }

    @Override
    public boolean remove(Namespace namespace, String key, Precondition condition) {
        List<String> keys = RedisQuotaScripts.keys(prefix, namespace, redisKey(namespace, key));
        long fixedCost = EntryCost.ofKey(key);
        Object outcome = call("delete from", () -> RedisQuotaScripts.remove(client, keys, fixedCost, condition));
        if (outcome instanceof RedisQuotaScripts.Conflict conflict) {
            throw condition.failure(conflict.current());
        }
        return Boolean.TRUE.equals(outcome);
    }

    @Override
    public List<StoredEntry> getMany(Namespace namespace, List<String> keys) {
        if (keys.isEmpty()) {
            return List.of();
        }
        String[] redisKeys = redisKeys(namespace, keys).toArray(new String[0]);
        List<String> stored = call("read from", () -> client.mget(redisKeys));
        List<StoredEntry> found = new ArrayList<>(stored.size());
        for (String s : stored) {
            found.add(RedisEntries.parse(s));
        }
        return found;
    }

    @Override
    public List<String> setMany(Namespace namespace, List<BatchWrite> writes, Quota quota) {
        if (writes.isEmpty()) {
            return List.of();
        }
        List<String> versions = new ArrayList<>(writes.size());
        List<String> keys = new ArrayList<>(writes.size());
        for (var w : writes) {
            if (w.ttlSeconds() < 1) {
                throw new IllegalArgumentException("ttlSeconds must be positive, was " + w.ttlSeconds());
            }
            // drawn once, before the call: a retry after an unknown outcome writes the same versions again
            versions.add(Versions.next());
            keys.add(w.key());
        }
        List<String> entryKeys = redisKeys(namespace, keys);
        Object outcome = call("write to",
                () -> RedisBatchScripts.setMany(client, prefix, namespace, entryKeys, writes, versions, quota));
        if (outcome instanceof RedisBatchScripts.Conflict conflict) {
            throw writes.get(conflict.index()).condition().failure(conflict.current());
        }
        requireAccepted(outcome, namespace, quota);
        return versions;
    }

    @Override
    public List<Boolean> removeMany(Namespace namespace, List<String> keys) {
        if (keys.isEmpty()) {
            return List.of();
        }
        List<String> entryKeys = redisKeys(namespace, keys);
        return call("delete from", () -> RedisBatchScripts.removeMany(client, prefix, namespace, entryKeys, keys));
    }

    private List<String> redisKeys(Namespace namespace, List<String> keys) {
        List<String> out = new ArrayList<>(keys.size());
        for (String key : keys) {
            out.add(redisKey(namespace, key));
        }
        return out;
    }

    /**
     * The bytes the counter of the namespace's extension holds now (for tests and metrics): live entries, and
     * those that expired in the last second or so (see {@link EphemeralStore}).
     */
    long extensionBytes(Namespace namespace) {
        return counted(ServerKeys.Counter.USAGE.extensionKey(prefix, namespace.extension()));
    }

    /** The bytes the namespace's counter holds now, as {@link #extensionBytes}. */
    long namespaceBytes(Namespace namespace) {
        return counted(ServerKeys.Counter.USAGE.namespaceKey(prefix, namespace.extension(), namespace.scope(),
                namespace.userId()));
    }

    private long counted(String usageKey) {
        return call("read from", () -> {
            String total = client.hget(usageKey, "total");
            return total == null ? 0L : Long.parseLong(total);
        });
    }

    @Override
    public DataLifecycle lifecycle() {
        return lifecycle;
    }

    /** See {@link RedisClients#serves}: {@code PING}, or on a cluster {@code cluster_state:ok}. */
    @Override
    public boolean isAvailable() {
        return RedisClients.serves(client);
    }

    @Override
    public String engine() {
        return "redis";
    }

    /** The client, for tests that look at what the store wrote. */
    UnifiedJedis client() {
        return client;
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (RuntimeException e) {
            LOG.warn("Closing the Redis client failed: {}", e.toString());
        }
    }

    String redisKey(Namespace ns, String key) {
        return ServerKeys.entryKey(prefix, ns.extension(), ns.scope(), ns.userId(), key);
    }

    <T> T call(String what, Supplier<T> command) {
        try {
            try {
                return command.get();
            } catch (JedisConnectionException e) {
                // A pooled connection may have died with a Redis restart; one fresh attempt tells that apart
                // from a Redis that is really down.
                return command.get();
            }
        } catch (RuntimeException e) {
            LOG.warn("Redis at {}: cannot {} it: {}", location, what, e.toString());
            throw new StorageException(ErrorCode.STORE_UNAVAILABLE,
                    "The ephemeral store (Redis) is unavailable; retry later", e);
        }
    }
}
