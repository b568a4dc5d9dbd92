package dev.extstorage.events;

import dev.extstorage.testing.TestServices;

/**
 * The change feed's contract on the Redis Cluster of {@code EXT_STORAGE_TEST_REDIS_CLUSTER_URL}: the stream on
 * the node owning its key, the blocking reader on the cluster client.
 */
class RedisClusterChangeFeedTest extends RedisChangeFeedTest {
    @Override
    String redisUrl() {
        return TestServices.redisClusterUrl();
    }

    @org.junit.jupiter.api.Test
    void aClusterThatCannotBeReachedIsCountedNotThrown() {
        try (ChangeFeed down = new RedisChangeFeed("redis-cluster://127.0.0.1:1", RUN + "-down", 10)) {
            down.publish(write(user("alice"), "k", "1"));
            org.junit.jupiter.api.Assertions.assertEquals(1, down.publishFailures());
        }
    }
}
