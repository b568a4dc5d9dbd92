package dev.extstorage.limits;

import dev.extstorage.model.Scope;
import dev.extstorage.model.ServerKeys;
import dev.extstorage.testing.TcpProxy;
import dev.extstorage.testing.TestServices;
import io.github.bucket4j.TimeMeter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import dev.extstorage.store.redis.RedisClients;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.ScanIteration;
import redis.clients.jedis.UnifiedJedis;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.extstorage.limits.LocalRateLimiterTest.NOTES;
import static dev.extstorage.limits.LocalRateLimiterTest.TODO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs against the Redis of {@code EXT_STORAGE_TEST_REDIS_URL} (shared with other tests: every test uses a key
 * prefix of its own, and only those keys are deleted). Most tests stop Bucket4j's clock, so counts are exact
 * however slow the machine; one refills in real time. {@link RedisClusterRateLimiterTest} runs the same on a
 * Redis Cluster.
 */
class RedisRateLimiterTest {
    static final String RUN_PREFIX = "ext-storage-rate-test-" + UUID.randomUUID().toString().substring(0, 8);
    private static int prefixes;

    private final ManualClock clock = new ManualClock();
    private final List<RequestRateLimiter> limiters = new ArrayList<>();
    private final String prefix = RUN_PREFIX + "-" + (++prefixes);

    /** The Redis the limiters share. */
    String redisUrl() {
        return TestServices.redisUrl();
    }

    /** The node a proxy stands in front of: the Redis, or a cluster's first seed. */
    HostAndPort proxied() {
        return RedisClients.parse(redisUrl()).nodes().get(0);
    }

    /** {@link #redisUrl} with the proxy on {@code port} in place of {@link #proxied}. */
    String throughProxy(int port) {
        return withPort(URI.create(redisUrl()), port);
    }

    private RedisRateLimiter limiter(long rate, long burst) {
        return limiter(redisUrl(), rate, burst, clock);
    }

    private RedisRateLimiter limiter(String url, long rate, long burst, TimeMeter meter) {
        RedisRateLimiter limiter = new RedisRateLimiter(new RatePolicy(rate, burst), url, prefix, meter,
                Duration.ofMillis(200));
        limiters.add(limiter);
        return limiter;
    }

    @AfterEach
    void closeLimiters() {
        limiters.forEach(RequestRateLimiter::close);
    }

    @AfterAll
    static void deleteTestKeys() {
        for (String env : List.of(TestServices.REDIS_URL, TestServices.REDIS_CLUSTER_URL)) {
            String url = System.getenv(env);
            if (url != null && !url.isBlank()) {
                try (UnifiedJedis client = RedisClients.open(RedisClients.parse(url.trim()), "test", 2, 2000, 2000,
                        2000)) {
                    ScanIteration walk = client.scanIteration(1000, RUN_PREFIX + "*");
                    while (!walk.isIterationCompleted()) {
                        walk.nextBatch().getResult().forEach(client::unlink);
                    }
                }
            }
        }
    }

    @Test
    void exactlyTheBurstPassesAtOnceAndTheNextIsRefused() throws Exception {
        RedisRateLimiter limiter = limiter(5, 20);
        assertEquals(20, Burst.allowed(limiter, NOTES, "alice", 50));
        assertTrue(limiter.tryConsume(NOTES, "alice") >= 1);
        assertFalse(limiter.failingOpen());
    }

    @Test
    void twoServerInstancesShareOneBudget() throws Exception {
        RedisRateLimiter first = limiter(5, 20);
        RedisRateLimiter second = limiter(5, 20);
        assertEquals(20, Burst.allowed(List.of(first, second), NOTES, "alice", 50));
        assertTrue(first.tryConsume(NOTES, "alice") >= 1);
        assertTrue(second.tryConsume(NOTES, "alice") >= 1);
        clock.advance(Duration.ofMillis(200));
        assertEquals(0, second.tryConsume(NOTES, "alice"));
        assertTrue(first.tryConsume(NOTES, "alice") >= 1);
    }

    @Test
    void refillsAtTheRate() {
        RedisRateLimiter limiter = limiter(5, 2);
        assertEquals(0, limiter.tryConsume(NOTES, "alice"));
        assertEquals(0, limiter.tryConsume(NOTES, "alice"));
        assertEquals(1, limiter.tryConsume(NOTES, "alice"));
        clock.advance(Duration.ofMillis(199));
        assertEquals(1, limiter.tryConsume(NOTES, "alice"));
        clock.advance(Duration.ofMillis(1));
        assertEquals(0, limiter.tryConsume(NOTES, "alice"));
        assertEquals(1, limiter.tryConsume(NOTES, "alice"));
    }

    @Test
    void refillsInRealTime() throws Exception {
        RedisRateLimiter limiter = limiter(redisUrl(), 5, 2, TimeMeter.SYSTEM_MILLISECONDS);
        // drain it; refill during the drain only makes it take a few more requests
        int requests = 0;
        long retryAfter;
        while ((retryAfter = limiter.tryConsume(NOTES, "alice")) == 0) {
            assertTrue(++requests < 1000, "never refused");
        }
        assertEquals(1, retryAfter);
        // one token takes 200 ms at 5/s: after 300 ms there is one whatever the scheduling
        Thread.sleep(300);
        assertEquals(0, limiter.tryConsume(NOTES, "alice"));
    }

    @Test
    void everyUserAndExtensionHasItsOwnBucket() {
        RedisRateLimiter limiter = limiter(1, 1);
        for (LocalRateLimiterTest.Pair pair : LocalRateLimiterTest.Pair.TRICKY) {
            assertEquals(0, limiter.tryConsume(pair.extension(), pair.userId()), pair.toString());
        }
        for (LocalRateLimiterTest.Pair pair : LocalRateLimiterTest.Pair.TRICKY) {
            assertEquals(1, limiter.tryConsume(pair.extension(), pair.userId()), pair.toString());
        }
    }

    @Test
    void usesTheDocumentedKeyWhichExpiresOnceTheBucketIsFullAgain() {
        RedisRateLimiter limiter = limiter(5, 10);
        limiter.tryConsume(NOTES, "a:b");
        String key = prefix + ":rate:acme.notes:a%3Ab";
        assertEquals(key, RedisRateLimiter.redisKey(prefix, NOTES, "a:b"));
        try (UnifiedJedis client = RedisClients.open(RedisClients.parse(redisUrl()), "test", 1, 2000, 2000, 2000)) {
            assertTrue(client.exists(key));
            long ttl = client.pttl(key);
            // one token taken: full again in 200 ms, plus a second of margin
            assertTrue(ttl > 0 && ttl <= 200 + RedisRateLimiter.KEEP_AFTER_FULL.toMillis(), "ttl " + ttl);
        }
    }

    @Test
    void rateKeysNeverMeetEntryKeys() {
        // every entry key starts with a scope prefix, whose second segment is an extension id: it always holds
        // a dot, "rate" holds none
        for (LocalRateLimiterTest.Pair pair : LocalRateLimiterTest.Pair.TRICKY) {
            String rateKey = RedisRateLimiter.redisKey(prefix, pair.extension(), pair.userId());
            assertEquals("rate", rateKey.split(":")[1]);
            for (Scope scope : Scope.values()) {
                for (LocalRateLimiterTest.Pair other : LocalRateLimiterTest.Pair.TRICKY) {
                    String scopePrefix = ServerKeys.scopePrefix(prefix, other.extension(), scope, other.userId());
                    assertFalse(rateKey.startsWith(scopePrefix), rateKey + " under " + scopePrefix);
                }
            }
        }
    }

    @Test
    void failsOpenWhileRedisIsDownAndRecovers() throws Exception {
        URI redis = URI.create(TestServices.redisUrl());
        try (TcpProxy proxy = new TcpProxy(redis.getHost(), redis.getPort())) {
            proxy.up();
            RedisRateLimiter limiter = limiter(withPort(redis, proxy.port()), 1, 3, clock);
            assertEquals(3, Burst.allowed(limiter, NOTES, "alice", 10));
            assertTrue(limiter.tryConsume(NOTES, "alice") >= 1);

            proxy.down();
            for (int i = 0; i < 20; i++) {
                assertEquals(0, limiter.tryConsume(NOTES, "alice"), "request " + i + " while Redis is down");
            }
            assertTrue(limiter.failingOpen());

            proxy.up();
            // the cool-down passes, one probe reaches Redis, and the drained bucket (still there) refuses again
            assertTrue(refusedWithin(limiter, Duration.ofSeconds(20)), "limiting never resumed");
            assertFalse(limiter.failingOpen());
        }
    }

    @Test
    void aRedisThatIsDownAtStartFailsOpen() throws Exception {
        try (TcpProxy proxy = new TcpProxy(proxied().getHost(), proxied().getPort())) {
            RedisRateLimiter limiter = limiter(throughProxy(proxy.port()), 1, 1, clock);
            for (int i = 0; i < 5; i++) {
                assertEquals(0, limiter.tryConsume(NOTES, "alice"));
            }
            assertTrue(limiter.failingOpen());
            proxy.up();
            assertTrue(refusedWithin(limiter, Duration.ofSeconds(20)), "limiting never started");
        }
    }

    @Test
    void afterCloseEveryRequestGoesAhead() {
        RedisRateLimiter limiter = limiter(1, 1);
        limiter.tryConsume(NOTES, "alice");
        limiter.close();
        limiter.close();
        assertEquals(0, limiter.tryConsume(NOTES, "alice"));
        assertFalse(limiter.failingOpen());
    }

    /** Whether the limiter refuses a request within {@code limit}, calling it a bounded number of times. */
    private static boolean refusedWithin(RequestRateLimiter limiter, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (limiter.tryConsume(NOTES, "alice") >= 1) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    static String withPort(URI redis, int port) {
        return redis.getScheme() + "://" + (redis.getRawUserInfo() == null ? "" : redis.getRawUserInfo() + "@")
                + redis.getHost() + ":" + port + (redis.getRawPath() == null ? "" : redis.getRawPath());
    }
}
