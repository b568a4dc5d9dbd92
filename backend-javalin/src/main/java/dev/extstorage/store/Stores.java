package dev.extstorage.store;

import dev.extstorage.events.ChangeFeed;
import dev.extstorage.events.InProcessChangeFeed;
import dev.extstorage.events.PostgresChangeFeed;
import dev.extstorage.events.RedisChangeFeed;
import dev.extstorage.model.ServerKeys;
import dev.extstorage.store.memory.MemoryEphemeralStore;
import dev.extstorage.store.redis.RedisEphemeralStore;
import dev.extstorage.store.sql.PostgresPersistentStore;
import dev.extstorage.store.sql.SqlitePersistentStore;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Opens the store engine a configured URL names. Error messages name the kind of URL, never the URL itself
 * (it may hold a password). */
public final class Stores {
    private Stores() {
    }

    /**
     * The ephemeral engine: {@link RedisEphemeralStore} for a Redis or Redis Cluster URL
     * ({@link dev.extstorage.store.redis.RedisTarget#FORMS}), the
     * in-process {@link MemoryEphemeralStore} when the URL is {@code null} or blank.
     *
     * @param redisUrlOrNull the Redis URL, or {@code null} for the in-process cache
     * @param redisKeyPrefix the Redis key prefix ({@code null}: {@link dev.extstorage.model.ServerKeys#DEFAULT_PREFIX})
     * @param memoryMaxBytes the in-process cache's bound in bytes
     * @param redisPoolSize  the most Redis connections at once
     * @throws IllegalArgumentException for another kind of URL or an invalid setting
     */
    public static EphemeralStore openEphemeral(String redisUrlOrNull, String redisKeyPrefix, long memoryMaxBytes,
                                               int redisPoolSize) {
        if (redisUrlOrNull == null || redisUrlOrNull.isBlank()) {
            return new MemoryEphemeralStore(memoryMaxBytes);
        }
        String url = redisUrlOrNull.trim();
        return new RedisEphemeralStore(url,
                redisKeyPrefix == null ? ServerKeys.DEFAULT_PREFIX : redisKeyPrefix,
                redisPoolSize);
    }

    /**
     * The change feed of the deployment (SPEC section 8): through Redis when Redis is configured (every instance
     * then shares it), else through PostgreSQL when the persistent tier is there, else in-process (embedded:
     * one process, SQLite).
     *
     * @param retention events kept for resumption
     */
    public static ChangeFeed openChangeFeed(String redisUrlOrNull, String redisKeyPrefix, String jdbcUrl,
                                            int retention) {
        if (redisUrlOrNull != null && !redisUrlOrNull.isBlank()) {
            return new RedisChangeFeed(redisUrlOrNull.trim(),
                    redisKeyPrefix == null ? ServerKeys.DEFAULT_PREFIX : redisKeyPrefix, retention);
        }
        if (jdbcUrl != null && jdbcUrl.trim().startsWith("jdbc:postgresql:")) {
            return new PostgresChangeFeed(jdbcUrl.trim(), retention);
        }
        return new InProcessChangeFeed(retention);
    }

    /**
     * The persistent engine the URL names:
     * <ul>
     *   <li>{@code jdbc:sqlite:<file>[?synchronous=NORMAL|FULL][&busy_timeout=<ms>]}: {@link SqlitePersistentStore#open}
     *       (the file and its directories are created; {@code :memory:} is refused, it would not persist);</li>
     *   <li>{@code jdbc:postgresql://host[:port]/db[?user=..&password=..]}: {@link PostgresPersistentStore#open}.</li>
     * </ul>
     *
     * @param poolSize connections at most (for SQLite: read connections; writes use one more)
     * @throws IllegalArgumentException for another kind of URL or invalid parameters
     * @throws IllegalStateException    if the database exists but cannot be opened or migrated
     */
    public static PersistentStore openPersistent(String jdbcUrl, int poolSize) {
        if (jdbcUrl == null || jdbcUrl.isBlank()) {
            throw new IllegalArgumentException("A database URL is required (jdbc:sqlite:<file> or"
                    + " jdbc:postgresql://host/db)");
        }
        String url = jdbcUrl.trim();
        if (url.startsWith("jdbc:sqlite:")) {
            return openSqlite(url.substring("jdbc:sqlite:".length()), poolSize);
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return PostgresPersistentStore.open(url, poolSize);
        }
        throw new IllegalArgumentException("Unsupported database URL kind '" + scheme(url)
                + "': expected jdbc:sqlite:<file> or jdbc:postgresql://host[:port]/db");
    }

    private static PersistentStore openSqlite(String rest, int poolSize) {
        int q = rest.indexOf('?');
        String file = q < 0 ? rest : rest.substring(0, q);
        Map<String, String> params = q < 0 ? Map.of() : query(rest.substring(q + 1));
        if (file.startsWith("file:")) {
            file = file.substring("file:".length());
        }
        if (file.isEmpty() || file.equals(":memory:") || file.startsWith(":resource:")) {
            throw new IllegalArgumentException("A SQLite database URL must name a file (jdbc:sqlite:./data/x.db):"
                    + " an in-memory database would not persist");
        }
        boolean full = false;
        int busyTimeout = SqlitePersistentStore.DEFAULT_BUSY_TIMEOUT_MS;
        for (Map.Entry<String, String> p : params.entrySet()) {
            switch (p.getKey()) {
                case "synchronous":
                    if (p.getValue().equalsIgnoreCase("FULL")) {
                        full = true;
                    } else if (!p.getValue().equalsIgnoreCase("NORMAL")) {
                        throw new IllegalArgumentException("SQLite synchronous must be NORMAL or FULL");
                    }
                    break;
                case "busy_timeout":
                    try {
                        busyTimeout = Integer.parseInt(p.getValue());
                    } catch (NumberFormatException e) {
                        busyTimeout = -1;
                    }
                    if (busyTimeout < 0) {
                        throw new IllegalArgumentException("SQLite busy_timeout must be milliseconds >= 0");
                    }
                    break;
                default:
                    throw new IllegalArgumentException("Unknown SQLite URL parameter '" + p.getKey()
                            + "' (known: synchronous, busy_timeout)");
            }
        }
        return SqlitePersistentStore.open(Path.of(file), poolSize, full, busyTimeout);
    }

    private static Map<String, String> query(String query) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String part : query.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(name, value);
        }
        return params;
    }

    private static String scheme(String url) {
        String s = url.startsWith("jdbc:") ? url.substring(5) : url;
        int colon = s.indexOf(':');
        String kind = colon < 0 ? "(none)" : (url.startsWith("jdbc:") ? "jdbc:" : "") + s.substring(0, colon);
        return kind.length() > 40 ? kind.substring(0, 40) : kind;
    }
}
