package dev.extstorage.limits;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;

import java.time.Duration;

/**
 * One bucket's rule, shared by the in-process and the Redis-backed limiter so both count alike: capacity
 * {@code burst}, greedy refill of {@code ratePerSecond}.
 */
record RatePolicy(long ratePerSecond, long burst) {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    RatePolicy {
        if (ratePerSecond < 1 || ratePerSecond > RequestRateLimiter.MAX_RATE) {
            throw new IllegalArgumentException("Rate limit must be 0 (off) or 1-" + RequestRateLimiter.MAX_RATE
                    + " requests per second, was " + ratePerSecond);
        }
        if (burst < 1 || burst > RequestRateLimiter.MAX_RATE) {
            throw new IllegalArgumentException("Rate limit burst must be 1-" + RequestRateLimiter.MAX_RATE
                    + " requests, was " + burst);
        }
    }

    BucketConfiguration configuration() {
        return BucketConfiguration.builder().addLimit(bandwidth()).build();
    }

    Bandwidth bandwidth() {
        return Bandwidth.builder().capacity(burst).refillGreedy(ratePerSecond, Duration.ofSeconds(1)).build();
    }

    /**
     * How long an empty bucket takes to be full again, rounded up: after this long without a request a bucket
     * is full, the same as a new one, so forgetting it loses nothing.
     */
    Duration timeToFill() {
        // burst and rate are at most 10^9, so the product stays below Long.MAX_VALUE
        return Duration.ofNanos((burst * NANOS_PER_SECOND + ratePerSecond - 1) / ratePerSecond);
    }

    /** {@code 0} for a consumed probe, else the wait for the next token in whole seconds, at least 1. */
    static long retryAfterSeconds(ConsumptionProbe probe) {
        if (probe.isConsumed()) {
            return 0;
        }
        long nanos = probe.getNanosToWaitForRefill();
        // rounded up: a client that waits the answer's seconds finds the token there
        return Math.max(1, nanos / NANOS_PER_SECOND + (nanos % NANOS_PER_SECOND == 0 ? 0 : 1));
    }
}
