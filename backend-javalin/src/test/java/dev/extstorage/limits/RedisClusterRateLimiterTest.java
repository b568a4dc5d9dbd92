package dev.extstorage.limits;

import dev.extstorage.testing.TestServices;

/**
 * The Redis-backed limiter's tests on the Redis Cluster of {@code EXT_STORAGE_TEST_REDIS_CLUSTER_URL}: Bucket4j
 * over the cluster client, each bucket on the node owning its key. The proxy in front of a seed stands for a
 * cluster that is down when the server starts (once a seed answers, the client talks to the nodes themselves).
 */
class RedisClusterRateLimiterTest extends RedisRateLimiterTest {
    @Override
    String redisUrl() {
        return TestServices.redisClusterUrl();
    }

    @Override
    String throughProxy(int port) {
        return "redis-cluster://127.0.0.1:" + port;
    }

    /**
     * Not on a cluster: the client learns the nodes' own addresses from the seed, so a proxy in front of the seed
     * cannot take the cluster away afterwards. {@link #aRedisThatIsDownAtStartFailsOpen} covers a cluster that
     * cannot be reached.
     */
    @Override
    void failsOpenWhileRedisIsDownAndRecovers() {
    }
}
