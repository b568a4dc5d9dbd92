package dev.extstorage.limits;

import dev.extstorage.testing.TestServices;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static dev.extstorage.limits.LocalRateLimiterTest.NOTES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The factory and the argument contract. */
class RequestRateLimiterTest {
    @Test
    void rateZeroDisablesItAndIgnoresTheRest() {
        RequestRateLimiter limiter = RequestRateLimiter.create(0, 0, "not a url", "not:a:prefix");
        assertSame(RequestRateLimiter.disabled(), limiter);
        for (int i = 0; i < 10_000; i++) {
            assertEquals(0, limiter.tryConsume(NOTES, "alice"));
        }
        limiter.close();
        assertEquals(0, limiter.tryConsume(NOTES, "alice"));
    }

    @Test
    void withoutRedisTheBucketsAreInProcess() {
        try (RequestRateLimiter limiter = RequestRateLimiter.create(1, 2, null, null)) {
            assertInstanceOf(LocalRateLimiter.class, limiter);
            assertEquals(0, limiter.tryConsume(NOTES, "alice"));
            assertEquals(0, limiter.tryConsume(NOTES, "alice"));
            assertTrue(limiter.tryConsume(NOTES, "alice") >= 1);
        }
    }

    @Test
    void withRedisTheBucketsAreInRedis() {
        String prefix = "ext-storage-rate-factory-" + UUID.randomUUID().toString().substring(0, 8);
        try (RequestRateLimiter first = RequestRateLimiter.create(1, 2, TestServices.redisUrl(), prefix);
             RequestRateLimiter second = RequestRateLimiter.create(1, 2, TestServices.redisUrl(), prefix)) {
            assertInstanceOf(LocalFirstRateLimiter.class, first);
            assertEquals(0, first.tryConsume(NOTES, "alice"));
            assertEquals(0, second.tryConsume(NOTES, "alice"));
            // first's own bucket still holds a token: the refusal comes from the budget in Redis
            assertTrue(first.tryConsume(NOTES, "alice") >= 1);
        } finally {
            try (redis.clients.jedis.RedisClient client =
                         redis.clients.jedis.RedisClient.create(TestServices.redisUrl())) {
                client.del(RedisRateLimiter.redisKey(prefix, NOTES, "alice"));
            }
        }
    }

    @Test
    void refusesFiguresOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> RequestRateLimiter.create(-1, 10, null, null));
        assertThrows(IllegalArgumentException.class, () -> RequestRateLimiter.create(1, 0, null, null));
        assertThrows(IllegalArgumentException.class, () -> RequestRateLimiter.create(1, -5, null, null));
        assertThrows(IllegalArgumentException.class,
                () -> RequestRateLimiter.create(RequestRateLimiter.MAX_RATE + 1, 10, null, null));
        assertThrows(IllegalArgumentException.class,
                () -> RequestRateLimiter.create(10, RequestRateLimiter.MAX_RATE + 1, null, null));
        RequestRateLimiter.create(RequestRateLimiter.MAX_RATE, RequestRateLimiter.MAX_RATE, null, null).close();
    }

    @Test
    void refusesABadRedisUrlOrPrefixWithoutRepeatingTheUrl() {
        String secret = "s3cret";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RequestRateLimiter.create(1, 1, "http://user:" + secret + "@host:6379", "p"));
        assertFalse(e.getMessage().contains(secret), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> RequestRateLimiter.create(1, 1, "redis://user:" + secret + "@ho st:6379", "p"));
        assertFalse(e.getMessage().contains(secret), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> RequestRateLimiter.create(1, 1, "redis://127.0.0.1:6390", "a:b"));
        assertThrows(IllegalArgumentException.class,
                () -> RequestRateLimiter.create(1, 1, "redis://127.0.0.1:6390", null));
        assertThrows(IllegalArgumentException.class,
                () -> RequestRateLimiter.create(1, 1, "redis://127.0.0.1:6390", ""));
    }

    @Test
    void nullArgumentsAreACallerBugEverywhere() {
        try (RequestRateLimiter local = RequestRateLimiter.create(1, 1, null, null)) {
            for (RequestRateLimiter limiter : new RequestRateLimiter[] {RequestRateLimiter.disabled(), local}) {
                assertThrows(NullPointerException.class, () -> limiter.tryConsume(null, "alice"));
                assertThrows(NullPointerException.class, () -> limiter.tryConsume(NOTES, null));
            }
        }
    }
}
