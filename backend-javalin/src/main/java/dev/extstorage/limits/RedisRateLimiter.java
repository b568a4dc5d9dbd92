package dev.extstorage.limits;

import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.ServerKeys;
import dev.extstorage.model.UserIds;
import dev.extstorage.store.redis.RedisClients;
import dev.extstorage.store.redis.RedisTarget;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.serialization.Mapper;
import io.github.bucket4j.redis.jedis.Bucket4jJedis;
import redis.clients.jedis.UnifiedJedis;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The scale-out limiter: Bucket4j's compare-and-swap proxy manager over a Jedis client of its own (one Redis or
 * a Redis Cluster: Bucket4j takes either as a {@link UnifiedJedis}), so every server instance on the same Redis
 * and prefix takes tokens from the same buckets. A bucket is one key, and each Bucket4j command or script
 * touches that key alone, so on a cluster the buckets spread over the nodes by their keys. The key layout, the
 * expiry and the fail-open behaviour are documented in {@link RequestRateLimiter}.
 */
final class RedisRateLimiter implements RequestRateLimiter {
    static final int POOL_SIZE = 16;
    static final int CONNECT_TIMEOUT_MS = 1000;
    static final int SOCKET_TIMEOUT_MS = 2000;
    /** Shorter than a command: with every pooled connection busy, letting the request through beats queueing. */
    static final int POOL_WAIT_MS = 500;
    /** Bounds Bucket4j's retries when concurrent requests of one pair keep changing the bucket under it. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(1);
    /** A key outlives the moment its bucket is full by this much, to cover clock skew between instances. */
    static final Duration KEEP_AFTER_FULL = Duration.ofSeconds(1);

    private final UnifiedJedis client;
    private final ProxyManager<String> buckets;
    private final Supplier<BucketConfiguration> configuration;
    private final String prefix;
    private final FailOpen failOpen;
    private volatile boolean closed;

    RedisRateLimiter(RatePolicy policy, String redisUrl, String prefix) {
        this(policy, redisUrl, prefix, TimeMeter.SYSTEM_MILLISECONDS, FailOpen.DEFAULT_COOL_DOWN);
    }

    /**
     * @param clock    Bucket4j's client-side clock; it must be a wall clock, since the bucket state in Redis is
     *                 read and written by every instance with its own clock
     * @param coolDown how long requests go ahead without asking Redis after a failure
     */
    RedisRateLimiter(RatePolicy policy, String redisUrl, String prefix, TimeMeter clock, Duration coolDown) {
        String prefixProblem = prefix == null ? "prefix is required" : ServerKeys.prefixProblem(prefix);
        if (prefixProblem != null) {
            throw new IllegalArgumentException("Invalid Redis key prefix: " + prefixProblem);
        }
        RedisTarget target = RedisClients.parse(Objects.requireNonNull(redisUrl, "redisUrl"));
        this.client = RedisClients.open(target, "extension-storage-rate-limits", POOL_SIZE, CONNECT_TIMEOUT_MS,
                SOCKET_TIMEOUT_MS, POOL_WAIT_MS);
        this.buckets = Bucket4jJedis.casBasedBuilder(client)
                .keyMapper(Mapper.STRING)
                .clientClock(clock)
                .requestTimeout(REQUEST_TIMEOUT)
                .expirationAfterWrite(
                        ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_AFTER_FULL))
                .build();
        BucketConfiguration config = policy.configuration();
        this.configuration = () -> config;
        this.prefix = prefix;
        this.failOpen = new FailOpen(target.location(), coolDown, System::nanoTime);
    }

    /**
     * {@code <prefix>:rate:<publisher>.<name>:<storage form of userId>}. The extension id holds no {@code :}, so
     * it ends at the first {@code :} after {@code rate:}; the storage form is injective and well-formed Unicode,
     * so its UTF-8 bytes (what Redis stores) are injective too. A raw user id would not be: Java encodes every
     * lone surrogate as {@code ?}, so the ids U+D800, U+DC00 and {@code ?} would share one bucket.
     */
    static String redisKey(String prefix, ExtensionId extension, String userId) {
        return prefix + ":rate:" + extension.id() + ":" + UserIds.storageForm(userId);
    }

    @Override
    public long tryConsume(ExtensionId extension, String userId) {
        Objects.requireNonNull(extension, "extension");
        Objects.requireNonNull(userId, "userId");
        if (closed || !failOpen.shouldAsk()) {
            return 0;
        }
        String key = redisKey(prefix, extension, userId);
        long retryAfter;
        try {
            retryAfter = RatePolicy.retryAfterSeconds(
                    buckets.getProxy(key, configuration).tryConsumeAndReturnRemaining(1));
        } catch (RuntimeException e) {
            // Jedis connection and data errors, Bucket4j's time-out: whatever it is, the request goes ahead
            if (!closed) {
                failOpen.failed(e);
            }
            return 0;
        }
        failOpen.succeeded();
        return retryAfter;
    }

    /** Whether the last call to Redis failed, so requests are going ahead unlimited. */
    boolean failingOpen() {
        return failOpen.failing();
    }

    @Override
    public void close() {
        closed = true;
        client.close();
    }
}
