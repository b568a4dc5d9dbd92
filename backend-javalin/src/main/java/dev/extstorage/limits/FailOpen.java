package dev.extstorage.limits;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * When the Redis-backed limiter asks Redis, and what it says about failures. After a failure, callers are let
 * through without asking Redis for a cool-down, so an outage does not add a connect time-out to every request;
 * then one caller at a time probes Redis until one succeeds. Warnings are throttled, because during an outage
 * every probe fails and the log must stay readable.
 */
final class FailOpen {
    static final Duration DEFAULT_COOL_DOWN = Duration.ofSeconds(1);
    static final Duration WARNING_INTERVAL = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(RequestRateLimiter.class);
    /** {@link #retryAt} when Redis answered last time: everyone asks it. */
    private static final long HEALTHY = Long.MIN_VALUE;

    private final String location;
    private final long coolDownNanos;
    private final LongSupplier nanoTime;
    /** {@link #HEALTHY}, or the {@link System#nanoTime} from which the next probe may ask Redis. */
    private final AtomicLong retryAt = new AtomicLong(HEALTHY);
    private final AtomicLong nextWarningAt;
    private final AtomicLong failuresSinceWarning = new AtomicLong();

    FailOpen(String location, Duration coolDown, LongSupplier nanoTime) {
        this.location = location;
        this.coolDownNanos = coolDown.toNanos();
        this.nanoTime = nanoTime;
        this.nextWarningAt = new AtomicLong(nanoTime.getAsLong());
    }

    /** Whether this call should ask Redis; if not, the request goes ahead unlimited. */
    boolean shouldAsk() {
        long at = retryAt.get();
        if (at == HEALTHY) {
            return true;
        }
        long now = nanoTime.getAsLong();
        // the one caller that moves the deadline is the probe; the others keep failing open without waiting
        return now - at >= 0 && retryAt.compareAndSet(at, now + coolDownNanos);
    }

    void succeeded() {
        if (retryAt.get() != HEALTHY && retryAt.getAndSet(HEALTHY) != HEALTHY) {
            failuresSinceWarning.set(0);
            LOG.info("Redis at {} answers again: request rate limits apply again", location);
        }
    }

    void failed(RuntimeException e) {
        long now = nanoTime.getAsLong();
        retryAt.set(now + coolDownNanos);
        long failures = failuresSinceWarning.incrementAndGet();
        long warnAt = nextWarningAt.get();
        if (now - warnAt >= 0 && nextWarningAt.compareAndSet(warnAt, now + WARNING_INTERVAL.toNanos())) {
            failuresSinceWarning.addAndGet(-failures);
            // the exception's message, not its stack: Jedis says which host failed and why, and that is enough
            LOG.warn("Redis at {} failed for the request rate limiter ({} failure(s) since the last warning): {}: {}; "
                    + "requests go ahead without a rate limit until it answers", location, failures,
                    e.getClass().getName(), e.getMessage());
        }
    }

    /** Whether the last call to Redis failed: for tests and diagnostics. */
    boolean failing() {
        return retryAt.get() != HEALTHY;
    }
}
