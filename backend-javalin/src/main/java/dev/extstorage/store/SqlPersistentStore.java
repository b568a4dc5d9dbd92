package dev.extstorage.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.Paging;
import dev.extstorage.model.StorageException;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The persistent engines on SQL through JDBI: {@code sqlite} (embedded, one file) and {@code postgresql}
 * (shared by several server instances). One schema, created or migrated by Flyway from
 * {@code db/migration/common} when the store opens.
 *
 * <p>Every write runs in one transaction that first locks the extension's usage row, then checks the quota,
 * then upserts the entry and adjusts the usage: concurrent writers of one extension, also in other server
 * instances, queue on that row, so the quota is never passed and usage always equals the sum of the entries.
 * A write that does not grow the extension's bytes is always accepted, even above the quota (so an extension
 * can shrink back after a quota was lowered). A write that returns has been committed.
 *
 * <p><b>SQLite</b>: WAL journal; {@code synchronous=NORMAL} by default, which keeps every committed write through
 * a crash or {@code kill -9} of the process but not through a power loss or OS crash (the last commits may be
 * lost); {@code FULL} keeps them through those too at about a tenth of the write rate. SQLite allows one writer
 * at a time, so writes go through a single connection (writers queue in-process) while reads use a pool and
 * run alongside. A lock held by another process for longer than the busy time-out fails the call with
 * {@link ErrorCode#STORE_UNAVAILABLE}.
 *
 * <p><b>PostgreSQL</b>: a HikariCP pool; getting a connection waits at most
 * {@value #PG_CONNECTION_TIMEOUT_MS} ms, so when the database is down calls fail quickly with
 * {@code STORE_UNAVAILABLE}, and the pool reconnects by itself when it is back. If the database cannot be
 * reached when the store opens, the schema migration is retried on later calls instead of failing start-up.
 *
 * <p>Any database failure surfaces as {@link StorageException} {@code STORE_UNAVAILABLE}; no raw exception
 * leaves this class.
 */
public final class SqlPersistentStore implements PersistentStore {
    public static final int DEFAULT_POOL_SIZE = 16;
    public static final int DEFAULT_SQLITE_BUSY_TIMEOUT_MS = 5000;
    static final int PG_CONNECTION_TIMEOUT_MS = 2000;
    private static final int PG_CONNECT_TIMEOUT_S = 2;
    private static final int PG_SOCKET_TIMEOUT_S = 30;
    private static final Logger LOG = LoggerFactory.getLogger(SqlPersistentStore.class);
    private static final String SHARED_OWNER_HASH = sha256Hex("");

    private final String engine;
    private final Jdbi reader;
    private final Jdbi writer;
    private final List<HikariDataSource> pools;
    private final DataSource migrationSource;
    private final boolean postgres;
    private final ReentrantLock migrationLock = new ReentrantLock();
    private volatile boolean migrated;

    private SqlPersistentStore(String engine, boolean postgres, DataSource migrationSource,
                               HikariDataSource readPool, HikariDataSource writePool) {
        this.engine = engine;
        this.postgres = postgres;
        this.migrationSource = migrationSource;
        this.pools = readPool == writePool ? List.of(readPool) : List.of(readPool, writePool);
        this.reader = jdbi(readPool);
        this.writer = readPool == writePool ? reader : jdbi(writePool);
    }

    /**
     * Opens (creating it and its parent directories if needed) a SQLite database file.
     *
     * @param file            the database file
     * @param readPoolSize    connections for concurrent reads, at least 1 (writes use one more)
     * @param synchronousFull {@code true} for {@code synchronous=FULL} (survives power loss, slower writes),
     *                        {@code false} for {@code NORMAL} (survives a process crash)
     * @param busyTimeoutMs   how long a call waits for a lock held by another connection or process
     * @throws IllegalStateException if the file cannot be created or its schema cannot be migrated
     */
    public static SqlPersistentStore sqlite(Path file, int readPoolSize, boolean synchronousFull,
                                            int busyTimeoutMs) {
        requirePoolSize(readPoolSize);
        Path absolute = file.toAbsolutePath();
        try {
            if (absolute.getParent() != null) {
                Files.createDirectories(absolute.getParent());
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create the directory of the SQLite database "
                    + absolute + ": " + e, e);
        }
        String url = "jdbc:sqlite:" + absolute;
        SQLiteDataSource migration = sqliteSource(url, synchronousFull, busyTimeoutMs, false);
        HikariDataSource readPool = null;
        HikariDataSource writePool = null;
        try {
            migrate(migration);
            readPool = pool("sqlite-read", sqliteSource(url, synchronousFull, busyTimeoutMs, false),
                    readPoolSize, busyTimeoutMs);
            // One connection for all writes: SQLite has one writer at a time anyway, and queueing in-process is
            // fairer and cheaper than retrying on SQLITE_BUSY. IMMEDIATE takes the write lock at BEGIN.
            writePool = pool("sqlite-write", sqliteSource(url, synchronousFull, busyTimeoutMs, true),
                    1, busyTimeoutMs);
            SqlPersistentStore store = new SqlPersistentStore("sqlite", false, migration, readPool, writePool);
            store.migrated = true;
            return store;
        } catch (RuntimeException e) {
            closeQuietly(readPool);
            closeQuietly(writePool);
            throw new IllegalStateException("Cannot open the SQLite database " + absolute + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Opens a PostgreSQL database. Unless the URL sets them, {@code connectTimeout} is
     * {@value #PG_CONNECT_TIMEOUT_S} s and {@code socketTimeout} {@value #PG_SOCKET_TIMEOUT_S} s. A database
     * that cannot be reached now is no error: calls fail with {@code STORE_UNAVAILABLE} until it can.
     *
     * @param jdbcUrl  {@code jdbc:postgresql://host[:port]/db[?user=..&password=..&currentSchema=..]}
     * @param poolSize the most connections open at once, at least 1
     * @throws IllegalArgumentException if the URL is not a PostgreSQL JDBC URL
     * @throws IllegalStateException    if the database answers but its schema cannot be migrated
     */
    public static SqlPersistentStore postgresql(String jdbcUrl, int poolSize) {
        requirePoolSize(poolSize);
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("A PostgreSQL database URL must start with jdbc:postgresql://");
        }
        PGSimpleDataSource source = new PGSimpleDataSource();
        try {
            source.setURL(jdbcUrl);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Invalid PostgreSQL database URL: " + e.getMessage());
        }
        if (!jdbcUrl.contains("connectTimeout=")) {
            source.setConnectTimeout(PG_CONNECT_TIMEOUT_S);
        }
        if (!jdbcUrl.contains("socketTimeout=")) {
            source.setSocketTimeout(PG_SOCKET_TIMEOUT_S);
        }
        if (!jdbcUrl.contains("ApplicationName=")) {
            source.setApplicationName("extension-storage");
        }
        HikariDataSource pool = pool("postgresql", source, poolSize, PG_CONNECTION_TIMEOUT_MS);
        SqlPersistentStore store = new SqlPersistentStore("postgresql", true, source, pool, pool);
        try {
            store.ensureMigrated();
        } catch (StorageException e) {
            if (!SqlFailures.isUnreachable(e.getCause())) {
                store.close();
                throw new IllegalStateException("Cannot migrate the PostgreSQL schema: "
                        + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()), e.getCause());
            }
            LOG.warn("PostgreSQL cannot be reached now; the persistent tier answers 503 until it can");
        }
        return store;
    }

    @Override
    public String get(Namespace namespace, String key) {
        ensureMigrated();
        EntryDao.Ref ref = ref(namespace, key);
        try {
            return reader.withExtension(EntryDao.class, dao -> dao.value(ref)).orElse(null);
        } catch (RuntimeException e) {
            throw SqlFailures.unavailable(engine, "read", e);
        }
    }

    @Override
    public void set(Namespace namespace, String key, String json, long quotaBytes) {
        ensureMigrated();
        EntryDao.Ref ref = ref(namespace, key);
        long size = utf8Length(key) + utf8Length(json);
        try {
            writer.useTransaction(handle -> {
                EntryDao dao = handle.attach(EntryDao.class);
                dao.bumpUsage(ref.ext());
                long seq = dao.lastSeq(ref.ext());
                long used = dao.usedBytes(ref.ext()).orElse(0L);
                long delta = size - dao.size(ref).orElse(0L);
                long after = used + delta;
                if (delta > 0 && after > quotaBytes) {
                    throw new StorageException(ErrorCode.QUOTA_EXCEEDED, "Storage quota exceeded: the extension"
                            + " would hold " + after + " bytes, its quota is " + quotaBytes, quotaBytes, after);
                }
                dao.upsert(ref, json, size, System.currentTimeMillis(), seq);
                dao.addUsage(ref.ext(), delta);
            });
        } catch (StorageException e) {
            throw e;
        } catch (RuntimeException e) {
            throw SqlFailures.unavailable(engine, "write", e);
        }
    }

    @Override
    public void remove(Namespace namespace, String key) {
        ensureMigrated();
        EntryDao.Ref ref = ref(namespace, key);
        try {
            writer.useTransaction(handle -> {
                EntryDao dao = handle.attach(EntryDao.class);
                if (dao.lockUsage(ref.ext()) == 0) {
                    return;
                }
                Long size = dao.size(ref).orElse(null);
                if (size != null) {
                    dao.delete(ref);
                    dao.addUsage(ref.ext(), -size);
                }
            });
        } catch (RuntimeException e) {
            throw SqlFailures.unavailable(engine, "delete", e);
        }
    }

    @Override
    public ListPage list(Namespace namespace, Paging paging) {
        ensureMigrated();
        EntryDao.Ref ref = ref(namespace, null);
        try {
            // One snapshot for the page and the count, so they agree.
            return postgres
                    ? reader.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, h -> page(h, ref, paging))
                    : reader.inTransaction(h -> page(h, ref, paging));
        } catch (RuntimeException e) {
            throw SqlFailures.unavailable(engine, "list", e);
        }
    }

    private static ListPage page(Handle handle, EntryDao.Ref ref, Paging paging) {
        EntryDao dao = handle.attach(EntryDao.class);
        List<Entry> entries = paging.pageSize() == 0 ? List.of()
                : dao.page(ref, paging.pageSize(), paging.offset());
        return new ListPage(entries, dao.count(ref));
    }

    @Override
    public long usedBytes(ExtensionId extension) {
        ensureMigrated();
        try {
            return reader.withExtension(EntryDao.class, dao -> dao.usedBytes(extension.id())).orElse(0L);
        } catch (RuntimeException e) {
            throw SqlFailures.unavailable(engine, "read usage", e);
        }
    }

    @Override
    public boolean isAvailable() {
        try {
            ensureMigrated();
            return reader.withExtension(EntryDao.class, EntryDao::ping) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public String engine() {
        return engine;
    }

    @Override
    public void close() {
        for (HikariDataSource pool : pools) {
            closeQuietly(pool);
        }
    }

    /**
     * Migrates the schema if that has not succeeded yet (PostgreSQL that was down at start). Only one thread
     * tries at a time; the others fail at once instead of piling up behind a slow connection attempt.
     */
    private void ensureMigrated() {
        if (migrated) {
            return;
        }
        boolean locked = false;
        try {
            locked = migrationLock.tryLock(PG_CONNECTION_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            if (!locked) {
                throw new StorageException(ErrorCode.STORE_UNAVAILABLE,
                        "The persistent store is starting; retry later");
            }
            if (!migrated) {
                migrate(migrationSource);
                migrated = true;
                LOG.info("{} schema is up to date", engine);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(ErrorCode.STORE_UNAVAILABLE, "Interrupted; retry later", e);
        } catch (StorageException e) {
            throw e;
        } catch (RuntimeException e) {
            throw SqlFailures.unavailable(engine, "migrate the schema", e);
        } finally {
            if (locked) {
                migrationLock.unlock();
            }
        }
    }

    private static void migrate(DataSource source) {
        Flyway.configure()
                .dataSource(source)
                .locations("classpath:db/migration/common")
                .failOnMissingLocations(true)
                .load()
                .migrate();
    }

    private static Jdbi jdbi(DataSource source) {
        Jdbi jdbi = Jdbi.create(source).installPlugin(new SqlObjectPlugin());
        // Ref binds all of its components; the namespace-wide queries leave the key unused.
        jdbi.getConfig(SqlStatements.class).setUnusedBindingAllowed(true);
        return jdbi;
    }

    private static SQLiteDataSource sqliteSource(String url, boolean synchronousFull, int busyTimeoutMs,
                                                 boolean immediate) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(synchronousFull ? SQLiteConfig.SynchronousMode.FULL
                : SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(busyTimeoutMs);
        config.enforceForeignKeys(true);
        if (immediate) {
            config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        }
        SQLiteDataSource source = new SQLiteDataSource(config);
        source.setUrl(url);
        return source;
    }

    private static HikariDataSource pool(String name, DataSource source, int size, long connectionTimeoutMs) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("ext-storage-" + name);
        config.setDataSource(source);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(Math.min(2, size));
        config.setConnectionTimeout(Math.max(250, connectionTimeoutMs));
        config.setValidationTimeout(1000);
        // Opening the pool must not fail when the database is down: calls report it instead, and the pool
        // keeps trying to connect.
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }

    private static void requirePoolSize(int poolSize) {
        if (poolSize < 1) {
            throw new IllegalArgumentException("Database pool size must be at least 1, was " + poolSize);
        }
    }

    private static void closeQuietly(HikariDataSource pool) {
        if (pool != null) {
            try {
                pool.close();
            } catch (RuntimeException e) {
                LOG.warn("Closing pool {} failed: {}", pool.getPoolName(), e.toString());
            }
        }
    }

    private static EntryDao.Ref ref(Namespace ns, String key) {
        String owner = ns.ownerStorageForm();
        return new EntryDao.Ref(ns.extension().id(), ns.scope().wireName(), owner,
                owner.isEmpty() ? SHARED_OWNER_HASH : sha256Hex(owner), key);
    }

    static String sha256Hex(String s) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            StringBuilder b = new StringBuilder(64);
            for (byte x : digest) {
                b.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
            }
            return b.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JVM has SHA-256", e);
        }
    }

    /** UTF-8 length of well-formed text (a lone surrogate counts 3, as its replacement would). */
    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
