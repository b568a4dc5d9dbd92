package dev.extstorage.limits;

import dev.extstorage.model.ExtensionId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The in-process limiter, on a clock the test moves: exact, however busy the machine is. */
class LocalRateLimiterTest {
    static final ExtensionId NOTES = ExtensionId.of("acme", "notes");
    static final ExtensionId TODO = ExtensionId.of("acme", "todo");

    private final ManualClock clock = new ManualClock();

    private LocalRateLimiter limiter(long rate, long burst) {
        return new LocalRateLimiter(new RatePolicy(rate, burst), LocalRateLimiter.DEFAULT_MAX_BYTES, clock);
    }

    @Test
    void exactlyTheBurstPassesAtOnceAndTheNextIsRefused() throws Exception {
        try (LocalRateLimiter limiter = limiter(5, 40)) {
            assertEquals(40, Burst.allowed(limiter, NOTES, "alice", 100));
            assertTrue(limiter.tryConsume(NOTES, "alice") >= 1);
        }
    }

    @Test
    void refillsAtTheRateAndAnswersTheWaitInWholeSeconds() {
        try (LocalRateLimiter limiter = limiter(5, 2)) {
            assertEquals(0, limiter.tryConsume(NOTES, "alice"));
            assertEquals(0, limiter.tryConsume(NOTES, "alice"));
            // the next token is 200 ms away: Retry-After rounds up to one second
            assertEquals(1, limiter.tryConsume(NOTES, "alice"));
            clock.advance(Duration.ofMillis(199));
            assertEquals(1, limiter.tryConsume(NOTES, "alice"));
            clock.advance(Duration.ofMillis(1));
            assertEquals(0, limiter.tryConsume(NOTES, "alice"));
            assertEquals(1, limiter.tryConsume(NOTES, "alice"));
            // a long pause refills up to the burst, not beyond
            clock.advance(Duration.ofHours(1));
            assertEquals(2, Burst.allowed(limiter, NOTES, "alice", 3));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void retryAfterCoversTheWholeWait() {
        try (LocalRateLimiter limiter = limiter(1, 1)) {
            assertEquals(0, limiter.tryConsume(NOTES, "alice"));
            assertEquals(1, limiter.tryConsume(NOTES, "alice"));
            clock.advance(Duration.ofMillis(999));
            assertEquals(1, limiter.tryConsume(NOTES, "alice"));
            clock.advance(Duration.ofMillis(1));
            assertEquals(0, limiter.tryConsume(NOTES, "alice"));
        }
    }

    @Test
    void everyUserAndExtensionHasItsOwnBucket() {
        try (LocalRateLimiter limiter = limiter(1, 1)) {
            for (Pair pair : Pair.TRICKY) {
                assertEquals(0, limiter.tryConsume(pair.extension(), pair.userId()), pair.toString());
            }
            for (Pair pair : Pair.TRICKY) {
                assertEquals(1, limiter.tryConsume(pair.extension(), pair.userId()), pair.toString());
            }
        }
    }

    @Test
    void aBucketIsForgottenOnceItWouldBeFullAgain() {
        try (LocalRateLimiter limiter = limiter(5, 10)) {
            limiter.tryConsume(NOTES, "alice");
            limiter.tryConsume(TODO, "bob");
            assertEquals(2, limiter.bucketCount());
            // from empty, 10 tokens at 5/s take 2 s
            clock.advance(Duration.ofMillis(1999));
            assertEquals(2, limiter.bucketCount());
            clock.advance(Duration.ofMillis(1));
            assertEquals(0, limiter.bucketCount());
        }
    }

    @Test
    void holdsABoundedNumberOfBucketsUnderAFloodOfDistinctUsers() {
        long maxBytes = 1024 * 1024;
        try (LocalRateLimiter limiter = new LocalRateLimiter(new RatePolicy(1, 10), maxBytes, clock)) {
            // a regular user, active throughout the flood: its frequency keeps its bucket in the cache
            for (int i = 0; i < 100_000; i++) {
                limiter.tryConsume(NOTES, "flood-" + i + "-" + "x".repeat(i % 200));
                if (i % 100 == 0) {
                    limiter.tryConsume(TODO, "regular");
                }
                if (i % 10_000 == 0) {
                    assertTrue(limiter.bucketCount() <= maxBytes / LocalRateLimiter.ENTRY_BYTES);
                }
            }
            long count = limiter.bucketCount();
            assertTrue(count > 0 && count <= maxBytes / LocalRateLimiter.ENTRY_BYTES, "buckets: " + count);
            // the flood never refuses anyone: a new user still gets the full burst
            assertEquals(0, limiter.tryConsume(NOTES, "newcomer"));
        }
    }

    @Test
    void theDefaultBoundHoldsTooAndErrsTowardsAllowing() {
        try (LocalRateLimiter limiter = limiter(1, 1)) {
            long bound = LocalRateLimiter.DEFAULT_MAX_BYTES / LocalRateLimiter.ENTRY_BYTES;
            for (int i = 0; i < 100_000; i++) {
                assertEquals(0, limiter.tryConsume(NOTES, "user-" + i + "-" + "y".repeat(300)));
            }
            assertTrue(limiter.bucketCount() <= bound, "buckets: " + limiter.bucketCount());
        }
    }

    @Test
    void afterCloseEveryRequestGoesAhead() {
        LocalRateLimiter limiter = limiter(1, 1);
        limiter.tryConsume(NOTES, "alice");
        limiter.close();
        limiter.close();
        assertEquals(0, limiter.tryConsume(NOTES, "alice"));
        assertEquals(0, limiter.bucketCount());
    }

    /** A (user, extension) pair of the independence tests. */
    record Pair(ExtensionId extension, String userId) {
        /**
         * Pairs that naive keys would merge: joined with {@code :} either way round, the storage form written
         * literally, lone surrogates (UTF-8 turns each into {@code ?}), a prefix of another id.
         */
        static final List<Pair> TRICKY = List.of(
                new Pair(NOTES, "a"),
                new Pair(NOTES, "a:b"),
                new Pair(NOTES, "a%3Ab"),
                new Pair(NOTES, "a%253Ab"),
                new Pair(TODO, "a:b"),
                new Pair(ExtensionId.of("a", "b"), "acme.notes"),
                new Pair(NOTES, "a:acme.todo"),
                new Pair(TODO, "a:acme.notes"),
                new Pair(ExtensionId.of("acme", "notes-pro"), "a"),
                new Pair(ExtensionId.of("acme-notes", "pro"), "a"),
                new Pair(NOTES, "\uD800"),
                new Pair(NOTES, "\uDC00"),
                new Pair(NOTES, "?"),
                new Pair(NOTES, "%uD800"),
                new Pair(NOTES, "\u0000"),
                new Pair(NOTES, "%00"),
                new Pair(NOTES, "A"),
                new Pair(NOTES, "a "),
                new Pair(NOTES, "\uD83D\uDE00"));
    }
}
