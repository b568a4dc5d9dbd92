package dev.extstorage.config;

import dev.extstorage.api.Quotas;
import dev.extstorage.crypto.KeyRing;
import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.Limits;
import dev.extstorage.model.ServerKeys;
import dev.extstorage.store.redis.RedisTarget;
import dev.extstorage.model.StorageException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's configuration, read once at start from {@link Settings}. Every problem is a
 * {@link ConfigException} naming the variable, so a bad deployment fails at start, not on the first request.
 *
 * @param jwtSecret        HS256 secret; {@code null} only with the development login, which then makes one up
 * @param extensions       installed extensions named by {@code EXT_STORAGE_EXTENSIONS}
 * @param extensionsDir    folder of extension manifests ({@code * /extension.json}), or {@code null}
 * @param webDir           folder served at {@code /} (the host page and extension bundles), or {@code null}
 * @param sharedWriteRole  role a user needs to write shared data, or {@code null} when every user may
 * @param adminRole        role (JWT {@code roles} claim) the administration routes need
 * @param extensionTokenTtlSeconds lifetime of a token bound to one extension (never past its session's)
 * @param requireExtensionTokens   whether storage routes refuse credentials not bound to an extension
 * @param eventRetention   change events kept for resumption ({@code Last-Event-ID})
 * @param metrics          whether {@code GET /metrics} is served and requests and stores are measured
 * @param accessLog        whether each request is logged (logger {@code access}, one line at INFO); off by default
 *                         because at load the line costs about a fifth of the server's CPU, and the metrics count
 *                         and time every request by route and status anyway
 * @param encryptionKeys   master keys of encryption at rest ({@code EXT_STORAGE_ENCRYPTION_KEYS}), or {@code null}
 *                         when unset: then {@code "encrypt": true} is refused and there are no secrets
 */
public record ServerConfig(
        String host,
        int port,
        String dbUrl,
        int dbPoolSize,
        String redisUrl,
        String redisKeyPrefix,
        int redisPoolSize,
        long cacheMaxBytes,
        String jwtSecret,
        boolean devLogin,
        long devTokenTtlSeconds,
        List<ExtensionId> extensions,
        Path extensionsDir,
        Path webDir,
        String sharedWriteRole,
        String adminRole,
        long extensionTokenTtlSeconds,
        boolean requireExtensionTokens,
        Limits limits,
        Quotas quotas,
        Protection protection,
        int eventRetention,
        boolean metrics,
        boolean accessLog,
        KeyRing encryptionKeys) {


    public static final String PORT = "EXT_STORAGE_PORT";
    public static final String HOST = "EXT_STORAGE_HOST";
    public static final String DB_URL = "EXT_STORAGE_DB_URL";
    public static final String DB_POOL_SIZE = "EXT_STORAGE_DB_POOL_SIZE";
    public static final String REDIS_URL = "EXT_STORAGE_REDIS_URL";
    public static final String REDIS_PREFIX = "EXT_STORAGE_REDIS_PREFIX";
    public static final String REDIS_POOL_SIZE = "EXT_STORAGE_REDIS_POOL_SIZE";
    public static final String CACHE_MAX_BYTES = "EXT_STORAGE_CACHE_MAX_BYTES";
    public static final String JWT_SECRET = "EXT_STORAGE_JWT_SECRET";
    public static final String DEV_LOGIN = "EXT_STORAGE_DEV_LOGIN";
    public static final String DEV_TOKEN_TTL = "EXT_STORAGE_DEV_TOKEN_TTL_SECONDS";
    public static final String EXTENSIONS = "EXT_STORAGE_EXTENSIONS";
    public static final String EXTENSIONS_DIR = "EXT_STORAGE_EXTENSIONS_DIR";
    public static final String WEB_DIR = "EXT_STORAGE_WEB_DIR";
    public static final String SHARED_WRITE_ROLE = "EXT_STORAGE_SHARED_WRITE_ROLE";
    public static final String ADMIN_ROLE = "EXT_STORAGE_ADMIN_ROLE";
    public static final String EXTENSION_TOKEN_TTL = "EXT_STORAGE_EXTENSION_TOKEN_TTL_SECONDS";
    public static final String REQUIRE_EXTENSION_TOKENS = "EXT_STORAGE_REQUIRE_EXTENSION_TOKENS";
    public static final String MAX_TTL = "EXT_STORAGE_MAX_TTL_SECONDS";
    public static final String MAX_VALUE_BYTES = "EXT_STORAGE_MAX_VALUE_BYTES";
    public static final String QUOTA_BYTES = "EXT_STORAGE_QUOTA_BYTES";
    public static final String USER_QUOTA_BYTES = "EXT_STORAGE_USER_QUOTA_BYTES";
    public static final String SHARED_QUOTA_BYTES = "EXT_STORAGE_SHARED_QUOTA_BYTES";
    public static final String EPHEMERAL_QUOTA_BYTES = "EXT_STORAGE_EPHEMERAL_QUOTA_BYTES";
    public static final String EPHEMERAL_USER_QUOTA_BYTES = "EXT_STORAGE_EPHEMERAL_USER_QUOTA_BYTES";
    public static final String EPHEMERAL_SHARED_QUOTA_BYTES = "EXT_STORAGE_EPHEMERAL_SHARED_QUOTA_BYTES";
    public static final String RATE_PER_SECOND = "EXT_STORAGE_RATE_PER_SECOND";
    public static final String RATE_BURST = "EXT_STORAGE_RATE_BURST";
    public static final String MAX_LIST_BYTES = "EXT_STORAGE_MAX_LIST_BYTES";
    public static final String IN_FLIGHT_BYTES = "EXT_STORAGE_IN_FLIGHT_BYTES";
    public static final String USER_IN_FLIGHT = "EXT_STORAGE_USER_IN_FLIGHT";
    public static final String MAX_THREADS = "EXT_STORAGE_MAX_THREADS";
    public static final String MAX_CONNECTIONS = "EXT_STORAGE_MAX_CONNECTIONS";
    public static final String IDLE_TIMEOUT_MS = "EXT_STORAGE_IDLE_TIMEOUT_MS";
    public static final String MIN_REQUEST_DATA_RATE = "EXT_STORAGE_MIN_REQUEST_DATA_RATE";
    public static final String JWT_ISSUER = "EXT_STORAGE_JWT_ISSUER";
    public static final String JWT_AUDIENCE = "EXT_STORAGE_JWT_AUDIENCE";
    public static final String METRICS = "EXT_STORAGE_METRICS";
    public static final String ACCESS_LOG = "EXT_STORAGE_ACCESS_LOG";
    public static final String EVENT_STREAMS = "EXT_STORAGE_EVENT_STREAMS";
    public static final String USER_EVENT_STREAMS = "EXT_STORAGE_USER_EVENT_STREAMS";
    public static final String EVENT_RETENTION = "EXT_STORAGE_EVENT_RETENTION";
    public static final String ENCRYPTION_KEYS = "EXT_STORAGE_ENCRYPTION_KEYS";
    public static final int DEFAULT_EVENT_RETENTION = 1000;

    public static final String DEFAULT_DB_URL = "jdbc:sqlite:./data/extension-storage.db";
    /** Where {@code scripts/run} and the Maven build put the host page and example extensions. */
    public static final Path DEFAULT_WEB_DIR = Path.of("web", "dist");

    public static ServerConfig from(Settings s) {
        String dbUrl = s.get(DB_URL, DEFAULT_DB_URL);
        if (!dbUrl.startsWith("jdbc:sqlite:") && !dbUrl.startsWith("jdbc:postgresql:")) {
            throw new ConfigException(DB_URL + " must be a jdbc:sqlite: or jdbc:postgresql: URL, got '" + dbUrl + "'");
        }
        String redisUrl = s.get(REDIS_URL);
        if (redisUrl != null) {
            try {
                RedisTarget.parse(redisUrl);
            } catch (IllegalArgumentException e) {
                // the message never repeats the URL: it may hold a password
                throw new ConfigException(REDIS_URL + ": " + e.getMessage());
            }
        }
        String prefix = s.get(REDIS_PREFIX, ServerKeys.DEFAULT_PREFIX);
        if (ServerKeys.prefixProblem(prefix) != null) {
            throw new ConfigException(REDIS_PREFIX + ": " + ServerKeys.prefixProblem(prefix));
        }
        boolean devLogin = s.getBoolean(DEV_LOGIN, false);
        String secret = s.get(JWT_SECRET);
        if (secret == null && !devLogin) {
            throw new ConfigException(JWT_SECRET + " is required: the HS256 secret that verifies users' tokens"
                    + " (only a development server, " + DEV_LOGIN + "=true, may run without one)");
        }
        Limits limits = new Limits(
                s.getLong(MAX_TTL, Limits.DEFAULT_MAX_TTL_SECONDS, 1, 10L * 365 * 24 * 3600),
                s.getLong(MAX_VALUE_BYTES, Limits.DEFAULT_MAX_VALUE_BYTES, 1, 256L * 1024 * 1024),
                s.getLong(QUOTA_BYTES, Limits.DEFAULT_QUOTA_BYTES, 1, Long.MAX_VALUE / 4));
        long big = Long.MAX_VALUE / 4;
        Quotas quotas = new Quotas(limits.quotaBytes(),
                s.getLong(USER_QUOTA_BYTES, Quotas.DEFAULT_PERSISTENT_USER_BYTES, 1, big),
                s.getLong(SHARED_QUOTA_BYTES, Quotas.DEFAULT_PERSISTENT_SHARED_BYTES, 1, big),
                s.getLong(EPHEMERAL_QUOTA_BYTES, Quotas.DEFAULT_EPHEMERAL_BYTES, 1, big),
                s.getLong(EPHEMERAL_USER_QUOTA_BYTES, Quotas.DEFAULT_EPHEMERAL_USER_BYTES, 1, big),
                s.getLong(EPHEMERAL_SHARED_QUOTA_BYTES, Quotas.DEFAULT_EPHEMERAL_SHARED_BYTES, 1, big));
        Protection protection = new Protection(
                s.getLong(RATE_PER_SECOND, Protection.DEFAULT_RATE_PER_SECOND, 0, 1_000_000_000),
                s.getLong(RATE_BURST, Protection.DEFAULT_RATE_BURST, 1, 1_000_000_000),
                s.getLong(MAX_LIST_BYTES, Protection.DEFAULT_MAX_LIST_BYTES, 1, big),
                s.getLong(IN_FLIGHT_BYTES, Protection.DEFAULT_IN_FLIGHT_BYTES, 1024 * 1024, big),
                (int) s.getLong(USER_IN_FLIGHT, Protection.DEFAULT_USER_IN_FLIGHT, 1, 100_000),
                (int) s.getLong(MAX_THREADS, Protection.DEFAULT_MAX_THREADS, 8, 10_000),
                (int) s.getLong(MAX_CONNECTIONS, Protection.DEFAULT_MAX_CONNECTIONS, 16, 1_000_000),
                s.getLong(IDLE_TIMEOUT_MS, Protection.DEFAULT_IDLE_TIMEOUT_MS, 100, 3_600_000),
                s.getLong(MIN_REQUEST_DATA_RATE, Protection.DEFAULT_MIN_REQUEST_DATA_RATE, 0, big),
                (int) s.getLong(EVENT_STREAMS, Protection.DEFAULT_EVENT_STREAMS, 0, 1_000_000),
                (int) s.getLong(USER_EVENT_STREAMS, Protection.DEFAULT_USER_EVENT_STREAMS, 1, 1_000_000),
                s.get(JWT_ISSUER),
                s.get(JWT_AUDIENCE));
        Path webDir = pathOrNull(s.get(WEB_DIR));
        if (webDir == null && Files.isDirectory(DEFAULT_WEB_DIR)) {
            webDir = DEFAULT_WEB_DIR;
        }
        if (webDir != null && !Files.isDirectory(webDir)) {
            throw new ConfigException(WEB_DIR + " must be a folder, got '" + webDir + "'");
        }
        Path extensionsDir = pathOrNull(s.get(EXTENSIONS_DIR));
        if (extensionsDir == null && webDir != null && Files.isDirectory(webDir.resolve("extensions"))) {
            extensionsDir = webDir.resolve("extensions");
        }
        if (extensionsDir != null && !Files.isDirectory(extensionsDir)) {
            throw new ConfigException(EXTENSIONS_DIR + " must be a folder, got '" + extensionsDir + "'");
        }
        return new ServerConfig(
                s.get(HOST, "127.0.0.1"),
                (int) s.getLong(PORT, 8080, 0, 65535),
                dbUrl,
                (int) s.getLong(DB_POOL_SIZE, 16, 1, 1000),
                redisUrl,
                prefix,
                (int) s.getLong(REDIS_POOL_SIZE, 32, 1, 1000),
                s.getLong(CACHE_MAX_BYTES, defaultCacheMaxBytes(), 1024, Long.MAX_VALUE / 4),
                secret,
                devLogin,
                s.getLong(DEV_TOKEN_TTL, 12 * 3600, 60, 30L * 24 * 3600),
                parseExtensions(s.get(EXTENSIONS)),
                extensionsDir,
                webDir,
                s.get(SHARED_WRITE_ROLE),
                s.get(ADMIN_ROLE, "admin"),
                s.getLong(EXTENSION_TOKEN_TTL, 300, 10, 24 * 3600),
                s.getBoolean(REQUIRE_EXTENSION_TOKENS, false),
                limits,
                quotas,
                protection,
                (int) s.getLong(EVENT_RETENTION, DEFAULT_EVENT_RETENTION, 1, 1_000_000),
                s.getBoolean(METRICS, true),
                s.getBoolean(ACCESS_LOG, false),
                keyRing(s.get(ENCRYPTION_KEYS)));
    }

    /** The ring, or {@code null} when unset; a malformed list fails start-up, naming the problem, not the keys. */
    private static KeyRing keyRing(String spec) {
        if (spec == null) {
            return null;
        }
        try {
            return KeyRing.parse(spec);
        } catch (IllegalArgumentException e) {
            // KeyRing's messages name ids and lengths only, never key material
            throw new ConfigException(ENCRYPTION_KEYS + " must be <id>:<base64 of 32 bytes>[,...]: " + e.getMessage());
        }
    }

    /**
     * A quarter of the heap, at most 256 MiB: with the shipped 512 MiB heap the cache, the in-flight body budget
     * and the request threads' working sets fit with room to spare (README, "Worst-case memory").
     */
    static long defaultCacheMaxBytes() {
        return Math.min(256L * 1024 * 1024, Runtime.getRuntime().maxMemory() / 4);
    }

    private static List<ExtensionId> parseExtensions(String list) {
        List<ExtensionId> ids = new ArrayList<>();
        if (list == null) {
            return ids;
        }
        for (String id : list.split(",")) {
            if (id.isBlank()) {
                continue;
            }
            try {
                ids.add(ExtensionId.parse(id.trim()));
            } catch (StorageException e) {
                throw new ConfigException(EXTENSIONS + " holds '" + id.trim() + "', which is not a publisher.name id"
                        + " (each part 1-64 of a-z 0-9 - _, starting with a letter or digit)");
            }
        }
        return List.copyOf(ids);
    }

    private static Path pathOrNull(String value) {
        return value == null ? null : Path.of(value);
    }
}
