package dev.extstorage.limits;

import io.github.bucket4j.TimeMeter;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A wall clock that stands still until a test moves it: refill is then exact however slow the machine, and a
 * Redis-backed bucket may use it too (Bucket4j wants a wall clock there, so it starts at the real time).
 */
final class ManualClock implements TimeMeter {
    private final AtomicLong nanos = new AtomicLong(System.currentTimeMillis() * 1_000_000L);

    void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }

    @Override
    public long currentTimeNanos() {
        return nanos.get();
    }

    @Override
    public boolean isWallClockBased() {
        return true;
    }
}
