package dev.extstorage.events;

import dev.extstorage.store.redis.RedisClients;
import dev.extstorage.testing.TestServices;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Against the Redis of {@code EXT_STORAGE_TEST_REDIS_URL}, a key prefix of its own per feed;
 * {@link RedisClusterChangeFeedTest} runs the same on a Redis Cluster.
 */
class RedisChangeFeedTest extends ChangeFeedContract {
    static final String RUN = "ext-storage-test-events-" + UUID.randomUUID().toString().substring(0, 8);
    private static int feeds;
    private String prefix;

    /** The Redis the feeds share. */
    String redisUrl() {
        return TestServices.redisUrl();
    }

    @Override
    protected ChangeFeed newFeed(int retention) {
        prefix = RUN + "-" + (++feeds);
        return new RedisChangeFeed(redisUrl(), prefix, retention);
    }

    @Override
    protected ChangeFeed peerFeed(int retention) {
        return new RedisChangeFeed(redisUrl(), prefix, retention);
    }

    @Test
    void aPublishThatCannotBeRecordedIsCountedNotThrown() throws Exception {
        try (ChangeFeed down = new RedisChangeFeed("redis://127.0.0.1:1/0", RUN + "-down", 10)) {
            down.publish(write(user("alice"), "k", "1"));
            down.publish(write(user("alice"), "k", "2"));
            awaitFailures(down, 2);
        }
    }

    @Test
    @Timeout(120)
    void aRedisThatHangsHoldsNoWriteTheQueueIsBoundedAndCloseIsBounded() throws Exception {
        Assumptions.assumeFalse(isCluster(), "one run is enough: no Redis is involved");
        // accepts connections (into its backlog) and never answers: every command waits for its time-out
        try (ServerSocket hangs = new ServerSocket(0, 1000, InetAddress.getLoopbackAddress())) {
            RedisChangeFeed feed = new RedisChangeFeed("redis://127.0.0.1:" + hangs.getLocalPort() + "/0",
                    RUN + "-hangs", 10);
            int n = AsyncPublisher.MAX_EVENTS * 3;
            for (int i = 0; i < n; i++) {
                feed.publish(write(user("alice"), "k" + i, "1"));
                assertTrue(feed.queued() <= AsyncPublisher.MAX_EVENTS);
            }
            feed.close();
            feed.publish(write(user("alice"), "closed", "1"));
            awaitFailures(feed, n + 1);   // every one of them counted, none twice
        }
    }

    @Override
    protected InetSocketAddress engineAddress() {
        URI redis = URI.create(redisUrl());
        return isCluster() ? null : new InetSocketAddress(redis.getHost(), redis.getPort());
    }

    @Override
    protected ChangeFeed peerThrough(int port) {
        return new RedisChangeFeed("redis://127.0.0.1:" + port + URI.create(redisUrl()).getPath(), prefix, 100);
    }

    boolean isCluster() {
        return redisUrl().startsWith("redis-cluster") || redisUrl().startsWith("rediss-cluster");
    }

    @org.junit.jupiter.api.AfterEach
    void deleteStreams() {
        try (var c = RedisClients.open(
                RedisClients.parse(redisUrl()), "test", 1, 2000, 2000, 2000)) {
            for (int i = 1; i <= feeds; i++) {
                c.del(RUN + "-" + i + ":events");
            }
        }
    }
}
