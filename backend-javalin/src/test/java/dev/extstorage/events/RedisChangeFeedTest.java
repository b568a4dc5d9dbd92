package dev.extstorage.events;

import dev.extstorage.testing.TestServices;

import java.util.UUID;

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

    @org.junit.jupiter.api.Test
    void aPublishThatCannotBeRecordedIsCountedNotThrown() {
        try (ChangeFeed down = new RedisChangeFeed("redis://127.0.0.1:1/0", RUN + "-down", 10)) {
            down.publish(write(user("alice"), "k", "1"));
            down.publish(write(user("alice"), "k", "2"));   // within the pause after a failure: not even tried
            org.junit.jupiter.api.Assertions.assertEquals(2, down.publishFailures());
        }
    }

    @org.junit.jupiter.api.AfterEach
    void deleteStreams() {
        try (var c = dev.extstorage.store.redis.RedisClients.open(
                dev.extstorage.store.redis.RedisClients.parse(redisUrl()), "test", 1, 2000, 2000, 2000)) {
            for (int i = 1; i <= feeds; i++) {
                c.del(RUN + "-" + i + ":events");
            }
        }
    }
}
