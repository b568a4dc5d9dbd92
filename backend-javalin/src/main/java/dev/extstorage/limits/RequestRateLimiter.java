package dev.extstorage.limits;

import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.ServerKeys;

/**
 * The request rate limit of each (user, extension) pair (SPEC section 11, error {@code RATE_LIMITED}): a token
 * bucket per pair that holds at most {@code burst} tokens, starts full and is refilled greedily (a fraction of a
 * token at a time, not in steps) at {@code ratePerSecond}. Each request takes one token; a request that finds
 * the bucket empty is refused and takes nothing. So after a quiet spell a pair may make {@code burst} requests at
 * once, and in the long run {@code ratePerSecond} on average.
 *
 * <p>Pairs are counted apart: two pairs never share a bucket, whatever characters the user id holds (the
 * buckets are keyed by the extension id and the injective {@link dev.extstorage.model.UserIds#storageForm} of
 * the user id, or by the pair itself). A user's requests to one extension do not use up their budget for
 * another, and one user's requests never use up another user's.
 *
 * <p>Implementations are thread-safe. They come from {@link #create}:
 * <ul>
 *   <li><b>disabled</b> ({@code ratePerSecond == 0}): allows every request and holds nothing.</li>
 *   <li><b>in-process</b> ({@code redisUrl == null}, the embedded configuration): buckets live in a bounded
 *   in-memory cache of this process only. A bucket is dropped once it would be full again, which loses nothing
 *   (a new bucket starts full). The cache also holds at most an approximate number of bytes (32 MiB); beyond
 *   that it drops the buckets it judges least likely to be used again. A pair whose bucket was dropped starts
 *   again with a full bucket, so at the bound the limiter lets more requests through, never fewer: a flood of
 *   distinct users costs bounded memory and cannot get other users refused.</li>
 *   <li><b>Redis-backed</b> (scale-out): buckets live in Redis, so every server instance that uses the same
 *   Redis and key prefix counts against one budget per pair. A bucket is one Redis string under
 *   {@code <prefix>:rate:<publisher>.<name>:<storage form of the user id>}. The second segment of an entry key
 *   of {@link ServerKeys#entryKey} is an extension id, which always holds a {@code .}; {@code rate} holds none,
 *   so a rate key never equals an entry key, and a {@code SCAN} of an extension's entries
 * ({@link ServerKeys#matchAllUnder} of a {@link ServerKeys#scopePrefix}) never finds one. Each key
 *   expires by itself one second after its bucket would be full again. Refill is computed with each server's
 *   wall clock, so clock skew between instances loosens or tightens the limit by about the skew.</li>
 * </ul>
 *
 * Each instance also keeps an in-process bucket per pair that is asked first ({@link LocalFirstRateLimiter}):
 * it never refuses what the shared bucket would admit, and it refuses a flood at one instance without a Redis
 * round trip.
 *
 * <p><b>Failure: fail open.</b> If Redis cannot be reached, answers an error, or does not answer in time, the
 * shared bucket allows the request ({@code 0}): the rate limit protects the service, it must not make the
 * persistent tier unavailable when only Redis is down. Each instance's own bucket still applies, so during an
 * outage a pair may make up to the limit at each instance. A warning is logged at most once every 30 seconds while this lasts, and
 * for one second after a failure requests are allowed without asking Redis at all, so an outage adds no
 * latency to most requests; after that one request at a time probes Redis, and limiting resumes by itself as
 * soon as Redis answers (bucket state kept in Redis is used again, so budgets are not reset by the outage
 * unless their keys expired meanwhile).
 *
 * <p><b>Bounded time.</b> An in-process or disabled call never blocks. A Redis-backed call does at most a
 * few round trips: it waits at most 0.5 s for a pooled connection, 1 s to connect, 2 s per command and gives up
 * retrying concurrent updates of the same bucket after 1 s; then it fails open as above.
 */
public interface RequestRateLimiter extends AutoCloseable {
    /**
     * The largest {@code ratePerSecond} and {@code burst} accepted: far beyond any sensible limit, and small
     * enough that time computations in nanoseconds ({@code burst * 10^9 / rate}) cannot overflow.
     */
    long MAX_RATE = 1_000_000_000L;

    /**
     * Takes one token from the bucket of ({@code userId}, {@code extension}) if it holds one.
     *
     * @param extension the extension the request is addressed to
     * @param userId    the authenticated user's id, any non-empty string (see
     *                  {@link dev.extstorage.model.UserIds})
     * @return {@code 0} if the request may go ahead (a token was taken, or the limiter is disabled, closed, or
     *         failing open); otherwise the whole number of seconds, at least {@code 1}, after which a retry can
     *         succeed: the {@code Retry-After} value of the {@code 429 RATE_LIMITED} answer. A retry that soon
     *         succeeds unless other requests of the same pair (to any server instance) take the token first.
     * @throws NullPointerException if {@code extension} or {@code userId} is null
     */
    long tryConsume(ExtensionId extension, String userId);

    /**
     * Releases what the limiter holds (the Redis connection pool, the in-process buckets). Afterwards
     * {@link #tryConsume} allows every request. Idempotent; never throws.
     */
    @Override
    void close();

    /**
     * Makes the limiter the configuration asks for (see the class comment). Never connects to Redis itself, so a
     * Redis that is down now does not stop the server from starting: the limiter fails open until Redis is up.
     *
     * @param ratePerSecond  tokens added to each bucket per second, {@code 0..}{@link #MAX_RATE}; {@code 0}
     *                       disables rate limiting (the other arguments are then ignored)
     * @param burst          a bucket's capacity, {@code 1..}{@link #MAX_RATE}
     * @param redisUrl       one of {@link dev.extstorage.store.redis.RedisTarget#FORMS} (one Redis or a Redis
     *                       Cluster) for buckets shared by every server instance, or {@code null} for in-process
     *                       buckets
     * @param redisKeyPrefix the first segment of every Redis key (see {@link ServerKeys#prefixProblem}); the
     *                       same as the ephemeral store's, so one prefix names one deployment. Ignored without a
     *                       {@code redisUrl}.
     * @throws IllegalArgumentException if a figure is out of range, or the URL or prefix is not valid; the message
     *                                  does not repeat the URL, which may hold a password
     */
    static RequestRateLimiter create(long ratePerSecond, long burst, String redisUrl, String redisKeyPrefix) {
        if (ratePerSecond == 0) {
            return disabled();
        }
        RatePolicy policy = new RatePolicy(ratePerSecond, burst);
        return redisUrl == null ? new LocalRateLimiter(policy) : new LocalFirstRateLimiter(
                new LocalRateLimiter(policy), new RedisRateLimiter(policy, redisUrl, redisKeyPrefix));
    }

    /** A limiter that allows every request. */
    static RequestRateLimiter disabled() {
        return DisabledRateLimiter.INSTANCE;
    }
}
