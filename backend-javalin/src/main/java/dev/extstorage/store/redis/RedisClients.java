package dev.extstorage.store.redis;

import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.util.JedisURIHelper;

import java.net.URI;
import java.time.Duration;

/**
 * Opens the Jedis clients of the server (the ephemeral store's, the rate limiter's) from one Redis URL, with
 * the same rules for it and bounded time-outs everywhere. Messages never repeat the URL, which may hold a
 * password.
 */
public final class RedisClients {
    private RedisClients() {
    }

    /**
     * @param redisUrl {@code redis://[user:password@]host[:port][/db]}, or {@code rediss://} for TLS
     * @throws IllegalArgumentException if it is not such a URL
     */
    public static URI parse(String redisUrl) {
        URI uri;
        try {
            uri = URI.create(redisUrl);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Redis URL is not a valid URI (expected redis://host:port/db)");
        }
        if (!JedisURIHelper.isRedisScheme(uri) && !JedisURIHelper.isRedisSSLScheme(uri)) {
            throw new IllegalArgumentException("Redis URL must start with redis:// or rediss://");
        }
        if (!JedisURIHelper.isValid(uri)) {
            throw new IllegalArgumentException("Redis URL must name a host (redis://host:port/db)");
        }
        return uri;
    }

    /**
     * A pooled client that connects lazily: a Redis that is down now makes its calls fail until it is up.
     *
     * @param poolSize   the most connections open at once
     * @param poolWaitMs how long a call waits for a pooled connection
     */
    public static RedisClient open(URI uri, String clientName, int poolSize, int connectTimeoutMs,
                                   int socketTimeoutMs, int poolWaitMs) {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(connectTimeoutMs)
                .socketTimeoutMillis(socketTimeoutMs)
                .user(JedisURIHelper.getUser(uri))
                .password(JedisURIHelper.getPassword(uri))
                .ssl(JedisURIHelper.isRedisSSLScheme(uri))
                .clientName(clientName);
        if (JedisURIHelper.hasDbIndex(uri)) {
            config.database(JedisURIHelper.getDBIndex(uri));
        }
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(poolSize);
        pool.setMaxIdle(poolSize);
        pool.setMinIdle(0);
        pool.setMaxWait(Duration.ofMillis(poolWaitMs));
        pool.setBlockWhenExhausted(true);
        return RedisClient.builder()
                .hostAndPort(JedisURIHelper.getHostAndPort(uri))
                .clientConfig(config.build())
                .poolConfig(pool)
                .build();
    }
}
