package dev.extstorage.limits;

import dev.extstorage.model.ExtensionId;
import dev.extstorage.testing.TcpProxy;
import dev.extstorage.testing.TestServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.extstorage.limits.LocalRateLimiterTest.NOTES;
import static dev.extstorage.limits.LocalRateLimiterTest.TODO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Against the Redis of {@code EXT_STORAGE_TEST_REDIS_URL}, with Bucket4j's clock stopped so counts are exact.
 * Keys use a prefix of this run's own and expire by themselves.
 */
class LocalFirstRateLimiterTest {
    private static final String RUN_PREFIX = "ext-storage-rate-first-" + UUID.randomUUID().toString().substring(0, 8);

    private final ManualClock clock = new ManualClock();
    private final List<RequestRateLimiter> limiters = new ArrayList<>();

    @AfterEach
    void closeLimiters() {
        limiters.forEach(RequestRateLimiter::close);
    }

    private <T extends RequestRateLimiter> T kept(T limiter) {
        limiters.add(limiter);
        return limiter;
    }

    private RedisRateLimiter shared(String url, String prefix, RatePolicy policy) {
        return kept(new RedisRateLimiter(policy, url, prefix, clock, Duration.ofMillis(200)));
    }

    private LocalFirstRateLimiter instance(String url, String prefix, RatePolicy policy) {
        return kept(new LocalFirstRateLimiter(new LocalRateLimiter(policy, LocalRateLimiter.DEFAULT_MAX_BYTES, clock),
                shared(url, prefix, policy)));
    }

    @Test
    void decidesExactlyAsTheSharedBucketAloneOverTwoInstances() {
        RatePolicy policy = new RatePolicy(2, 4);
        String url = TestServices.redisUrl();
        List<RequestRateLimiter> layered = List.of(instance(url, RUN_PREFIX + "-a", policy),
                instance(url, RUN_PREFIX + "-a", policy));
        RequestRateLimiter alone = shared(url, RUN_PREFIX + "-b", policy);
        List<ExtensionId> extensions = List.of(NOTES, TODO);
        Random random = new Random(42);
        int refused = 0;
        for (int i = 0; i < 400; i++) {
            if (random.nextInt(4) == 0) {
                clock.advance(Duration.ofMillis(random.nextInt(700)));
            }
            ExtensionId extension = extensions.get(random.nextInt(2));
            String user = random.nextBoolean() ? "alice" : "bob";
            boolean expected = alone.tryConsume(extension, user) == 0;
            boolean got = layered.get(random.nextInt(2)).tryConsume(extension, user) == 0;
            assertEquals(expected, got, "request " + i + " of " + user + " to " + extension);
            refused += expected ? 0 : 1;
        }
        assertTrue(refused > 50, "the sequence must drain the buckets often to show anything: " + refused);
    }

    @Test
    void aFloodRefusedLocallyCostsNoRedisRoundTrip() {
        RatePolicy policy = new RatePolicy(1, 2);
        RedisRateLimiter redis = shared(TestServices.redisUrl(), RUN_PREFIX + "-c", policy);
        AtomicInteger asked = new AtomicInteger();
        RequestRateLimiter counting = new RequestRateLimiter() {
            @Override
            public long tryConsume(ExtensionId extension, String userId) {
                asked.incrementAndGet();
                return redis.tryConsume(extension, userId);
            }

            @Override
            public void close() {
            }
        };
        RequestRateLimiter limiter = kept(new LocalFirstRateLimiter(
                new LocalRateLimiter(policy, LocalRateLimiter.DEFAULT_MAX_BYTES, clock), counting));
        int allowed = 0;
        for (int i = 0; i < 100; i++) {
            allowed += limiter.tryConsume(NOTES, "mallory") == 0 ? 1 : 0;
        }
        assertEquals(2, allowed);
        assertEquals(2, asked.get());
    }

    @Test
    void whileRedisIsDownEachInstanceStillHoldsThePairToTheLimit() throws Exception {
        URI redis = URI.create(TestServices.redisUrl());
        try (TcpProxy proxy = new TcpProxy(redis.getHost(), redis.getPort())) {
            RatePolicy policy = new RatePolicy(1, 3);
            LocalFirstRateLimiter limiter = instance(RedisRateLimiterTest.withPort(redis, proxy.port()),
                    RUN_PREFIX + "-d", policy);
            assertEquals(3, Burst.allowed(limiter, NOTES, "alice", 20));
            clock.advance(Duration.ofSeconds(1));
            assertEquals(1, Burst.allowed(limiter, NOTES, "alice", 20));
        }
    }
}
