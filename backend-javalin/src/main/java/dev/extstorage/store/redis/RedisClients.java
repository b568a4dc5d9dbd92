package dev.extstorage.store.redis;

import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;

/**
 * Opens the Jedis clients of the server (the ephemeral store's, the rate limiter's, the change feed's) from one
 * {@link RedisTarget}, with the same rules for it and bounded time-outs everywhere. Every client is a
 * {@link UnifiedJedis}: a {@link RedisClient} for one Redis, a {@link RedisClusterClient} for a cluster, so the
 * code that uses them has no engine flag (the key layout, {@link dev.extstorage.model.ServerKeys}, keeps what one
 * command or script touches in one hash slot).
 */
public final class RedisClients {
    /**
     * How many times a cluster command is tried (a {@code MOVED}/{@code ASK} redirection after a resharding, a
     * node's connection failing) before the caller hears of it.
     */
    static final int CLUSTER_MAX_ATTEMPTS = 3;

    private RedisClients() {
    }

    /** Same as {@link RedisTarget#parse}. */
    public static RedisTarget parse(String redisUrl) {
        return RedisTarget.parse(redisUrl);
    }

    /**
     * A pooled client that connects lazily: a Redis (or cluster) that is down now makes its calls fail until it
     * is up.
     *
     * @param poolSize   the most connections open at once (per node, for a cluster)
     * @param poolWaitMs how long a call waits for a pooled connection
     */
    public static UnifiedJedis open(RedisTarget target, String clientName, int poolSize, int connectTimeoutMs,
                                    int socketTimeoutMs, int poolWaitMs) {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(connectTimeoutMs)
                .socketTimeoutMillis(socketTimeoutMs)
                .user(target.user())
                .password(target.password())
                .ssl(target.ssl())
                .clientName(clientName);
        if (target.database() != null) {
            config.database(target.database());
        }
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(poolSize);
        pool.setMaxIdle(poolSize);
        pool.setMinIdle(0);
        pool.setMaxWait(Duration.ofMillis(poolWaitMs));
        pool.setBlockWhenExhausted(true);
        if (target.cluster()) {
            return openCluster(target, config.build(), pool, connectTimeoutMs + socketTimeoutMs);
        }
        return RedisClient.builder()
                .hostAndPort(target.nodes().get(0))
                .clientConfig(config.build())
                .poolConfig(pool)
                .build();
    }

    /**
     * Makes sure a cluster client knows the cluster's nodes, for the calls that name no key ({@code PING}, a
     * {@code SCAN} of every master), which Jedis sends to the nodes it knows without asking the seeds again: a
     * client made while no seed answered learns them on its first call with a key. No-op for a single Redis.
     *
     * @throws JedisConnectionException if no node of the cluster can be reached
     */
    public static void knowNodes(UnifiedJedis client) {
        if (client instanceof RedisClusterClient cluster && cluster.getClusterNodes().isEmpty()) {
            cluster.refreshClusterTopology();
            if (cluster.getClusterNodes().isEmpty()) {
                throw new JedisConnectionException("No node of the Redis Cluster can be reached");
            }
        }
    }

    /**
     * Whether the Redis serves requests now: one Redis answers {@code PING}; a cluster's nodes agree that every
     * slot is served ({@code CLUSTER INFO} says {@code cluster_state:ok}, asked of the first node that answers),
     * so a master that is down and not replaced makes the store unavailable, not only the node asked.
     * Bounded by the client's connect and command time-outs per node asked.
     */
    public static boolean serves(UnifiedJedis client) {
        try {
            if (!(client instanceof RedisClusterClient cluster)) {
                return "PONG".equalsIgnoreCase(client.ping());
            }
            knowNodes(client);
            for (ConnectionPool node : cluster.getClusterNodes().values()) {
                try (Connection c = node.getResource()) {
                    Object info = c.executeCommand(new CommandArguments(Protocol.Command.CLUSTER).add("INFO"));
                    String text = info instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(info);
                    return text.contains("cluster_state:ok");
                } catch (RuntimeException e) {
                    // this node does not answer: ask the next one
                }
            }
            return false;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static UnifiedJedis openCluster(RedisTarget target, JedisClientConfig config, ConnectionPoolConfig pool,
                                            int oneTryMs) {
        // Jedis' documented switch for a cluster client that starts while no seed answers: it then learns the
        // slots on its first call that reaches a node instead of failing here, so a server starts (and reports
        // STORE_UNAVAILABLE) while the cluster is down, as it does with a single Redis. Read only when a cluster
        // client is made; every cluster client of the server wants it.
        System.setProperty(RedisClusterClient.INIT_NO_ERROR_PROPERTY, "true");
        return RedisClusterClient.builder()
                .nodes(new LinkedHashSet<>(target.nodes()))
                .clientConfig(config)
                .poolConfig(pool)
                .maxAttempts(CLUSTER_MAX_ATTEMPTS)
                // bounds a call in all, whatever the redirections and failures, by what one try on a single Redis
                // may take (a connect and a command), so callers' own bounds hold alike on both
                .maxTotalRetriesDuration(Duration.ofMillis(oneTryMs))
                .build();
    }
}
