package dev.extstorage.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.extstorage.model.ExtensionId;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;

import java.util.Objects;

/**
 * The in-process limiter (embedded configuration): one local Bucket4j bucket per (user, extension) in a Caffeine
 * cache. Entries expire {@link RatePolicy#timeToFill} after their last use, when the bucket is full again, and
 * the cache holds at most about {@link #DEFAULT_MAX_BYTES}; what happens at that bound is in
 * {@link RequestRateLimiter}.
 */
final class LocalRateLimiter implements RequestRateLimiter {
    /** The default bound of the cache: about 80,000 buckets of short user ids, 13,000 of the longest. */
    static final long DEFAULT_MAX_BYTES = 32L * 1024 * 1024;
    /**
     * What one bucket costs besides its user id's characters (measured: about 410 bytes on a 64-bit JVM with
     * compressed pointers): the Caffeine node, the key, the String, the bucket and its state. Each character is
     * counted as 2 bytes, its cost in a String that is not Latin-1. An estimate: the bound is about memory.
     */
    static final int ENTRY_BYTES = 420;

    private final Cache<BucketKey, Bucket> buckets;
    private final Bandwidth bandwidth;
    private final TimeMeter clock;
    private volatile boolean closed;

    /** The pair itself is the key: no string is built from it, so no two pairs can meet in one bucket. */
    record BucketKey(ExtensionId extension, String userId) {
    }

    LocalRateLimiter(RatePolicy policy) {
        this(policy, DEFAULT_MAX_BYTES, TimeMeter.SYSTEM_NANOTIME);
    }

    /** @param clock for both the buckets and the cache's expiry, so a test can move time for both */
    LocalRateLimiter(RatePolicy policy, long maxBytes, TimeMeter clock) {
        this.bandwidth = policy.bandwidth();
        this.clock = clock;
        this.buckets = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((BucketKey key, Bucket bucket) -> weight(key))
                .expireAfterAccess(policy.timeToFill())
                .ticker(clock::currentTimeNanos)
                // evict on the calling thread: the bound holds without relying on the shared ForkJoinPool
                .executor(Runnable::run)
                .build();
    }

    static int weight(BucketKey key) {
        // a user id is at most UserIds.MAX_LENGTH chars; the cap only keeps a caller bug from overflowing
        return ENTRY_BYTES + 2 * Math.min(key.userId().length(), 1 << 20);
    }

    @Override
    public long tryConsume(ExtensionId extension, String userId) {
        BucketKey key = new BucketKey(Objects.requireNonNull(extension, "extension"),
                Objects.requireNonNull(userId, "userId"));
        if (closed) {
            return 0;
        }
        Bucket bucket = buckets.get(key, k -> newBucket());
        return RatePolicy.retryAfterSeconds(bucket.tryConsumeAndReturnRemaining(1));
    }

    /**
     * Gives back the token a {@link #tryConsume} of the pair just took, as if that request had not been made
     * (never beyond the bucket's capacity; nothing if the bucket was dropped meanwhile, which starts it full).
     */
    void giveBack(ExtensionId extension, String userId) {
        Bucket bucket = buckets.getIfPresent(new BucketKey(extension, userId));
        if (bucket != null) {
            bucket.addTokens(1);
        }
    }

    private Bucket newBucket() {
        return Bucket.builder().addLimit(bandwidth).withCustomTimePrecision(clock).build();
    }

    /** How many buckets are held now, after pending evictions: for tests and diagnostics. */
    long bucketCount() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }

    @Override
    public void close() {
        closed = true;
        buckets.invalidateAll();
    }
}
