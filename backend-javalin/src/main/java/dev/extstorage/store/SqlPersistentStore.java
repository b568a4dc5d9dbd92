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
import org.postgresql.util.PSQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The persistent engines on SQL: {@code sqlite} (embedded, one file) and {@code postgresql} (shared by several
 * server instances). One schema, created or migrated by Flyway from {@code db/migration/common} (plus
 * {@code db/migration/postgresql} on PostgreSQL) when the store opens.
 *
 * <p>A write is one transaction of at most two statements. The first upserts the entry, which locks that row
 * (also a row being inserted: a concurrent insert of the same key waits and then takes the update path), takes
 * the next change number and returns the exact size change from the row it replaced. Only when the size
 * changes does the second statement adjust the extension's usage row, with the quota check in its
 * {@code WHERE} (a growing write that would pass the quota changes no row, and the whole write is rolled back).
 * So writers of one extension only queue on its usage row for that one statement, and not at all for the
 * common overwrite of the same size; the quota is never passed under concurrent writers, also in other server
 * instances, and usage always equals the sum of the entries. Every write locks the entry row first and the
 * usage row second, removes too, so writers cannot deadlock. A write that does not grow the extension's bytes
 * is always accepted, even above the quota (so an extension can shrink back after a quota was lowered). A write
 * that returns has been committed. On PostgreSQL a write is one call of the server-side function
 * {@code ext_storage_put} (migration V4) that runs these steps: one round trip, and the usage row is never
 * locked across a network round trip.
 *
 * <p>Change numbers ({@code change_seq}, the "newest change first" order of listings) are strictly increasing
 * for successive writes of a namespace: PostgreSQL takes them from a sequence; SQLite, whose writes are
 * serialized, takes the namespace's highest one plus one inside the write transaction.
 *
 * <p><b>SQLite</b>: WAL journal; {@code synchronous=NORMAL} by default, which keeps every committed write through
 * a crash or {@code kill -9} of the process but not through a power loss or OS crash (the last commits may be
 * lost); {@code FULL} keeps them through those too at about a tenth of the write rate. SQLite allows one writer
 * at a time, so writes go through a single connection with its statements prepared once (writers queue
 * in-process for at most the busy time-out) while reads use a pool and run alongside. A lock held by another
 * process for longer than the busy time-out fails the call with {@link ErrorCode#STORE_UNAVAILABLE}.
 *
 * <p><b>PostgreSQL</b>: a HikariCP pool; getting a connection waits at most
 * {@value #PG_CONNECTION_TIMEOUT_MS} ms, so when the database is down calls fail quickly with
 * {@code STORE_UNAVAILABLE}, and the pool reconnects by itself when it is back. If the database cannot be
 * reached when the store opens, the schema migration is retried on later calls instead of failing start-up.
 *
 * <p>Get, set and remove are plain JDBC rather than JDBI SqlObject: attaching a SqlObject per call cost more
 * than the database work itself. Any database failure surfaces as {@link StorageException}
 * {@code STORE_UNAVAILABLE}; no raw exception leaves this class.
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
    /** SQLite: the pool of read connections; PostgreSQL: the one pool, for reads and writes. */
    private final HikariDataSource readPool;
    private final Jdbi reader;
    private final Writer writer;
    private final DataSource migrationSource;
    private final boolean postgres;
    private final ReentrantLock migrationLock = new ReentrantLock();
    private volatile boolean migrated;

    private SqlPersistentStore(String engine, boolean postgres, DataSource migrationSource,
                               HikariDataSource readPool, Writer writer) {
        this.engine = engine;
        this.postgres = postgres;
        this.migrationSource = migrationSource;
        this.readPool = readPool;
        this.reader = jdbi(readPool);
        this.writer = writer;
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
        SQLiteDataSource migration = sqliteSource(url, synchronousFull, busyTimeoutMs);
        HikariDataSource readPool = null;
        try {
            migrate(migration, false);
            readPool = pool("sqlite-read", sqliteSource(url, synchronousFull, busyTimeoutMs),
                    readPoolSize, busyTimeoutMs);
            // One connection for all writes: SQLite has one writer at a time anyway, and queueing in-process is
            // fairer and cheaper than retrying on SQLITE_BUSY.
            Writer writer = new SqliteWriter(sqliteSource(url, synchronousFull, busyTimeoutMs), busyTimeoutMs);
            SqlPersistentStore store = new SqlPersistentStore("sqlite", false, migration, readPool, writer);
            store.migrated = true;
            return store;
        } catch (RuntimeException e) {
            closeQuietly(readPool);
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
        SqlPersistentStore store = new SqlPersistentStore("postgresql", true, source, pool, new PoolWriter(pool));
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

    private static final String SELECT_VALUE = "SELECT value_json FROM storage_entry WHERE extension_id = ?"
            + " AND scope = ? AND owner_hash = ? AND entry_key = ?";

    @Override
    public String get(Namespace namespace, String key) {
        ensureMigrated();
        EntryDao.Ref ref = ref(namespace, key);
        try (Connection c = readPool.getConnection(); PreparedStatement ps = c.prepareStatement(SELECT_VALUE)) {
            bindEntry(ps, ref);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException | RuntimeException e) {
            throw SqlFailures.unavailable(engine, "read", e);
        }
    }

    // SQLite's write (PostgreSQL runs the same in ext_storage_put). prev_size takes the size of the row being
    // replaced (SET expressions see the old row), so the RETURNING delta is exact (see migration V2). The
    // change number is the namespace's highest plus one: SQLite writes are serialized, and the listing index
    // answers it.
    private static final String SQLITE_UPSERT = "INSERT INTO storage_entry (extension_id, scope, owner, owner_hash,"
            + " entry_key, value_json, size_bytes, prev_size, created_at, updated_at, change_seq)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, (SELECT COALESCE(MAX(change_seq), 0) + 1 FROM storage_entry"
            + " WHERE extension_id = ? AND scope = ? AND owner_hash = ?))"
            + " ON CONFLICT (extension_id, scope, owner_hash, entry_key)"
            + " DO UPDATE SET prev_size = storage_entry.size_bytes, value_json = excluded.value_json,"
            + " size_bytes = excluded.size_bytes, updated_at = excluded.updated_at,"
            + " change_seq = excluded.change_seq"
            + " RETURNING size_bytes - prev_size";
    private static final String GROW_USAGE = "UPDATE extension_usage SET used_bytes = used_bytes + ?"
            + " WHERE extension_id = ? AND used_bytes + ? <= ?";
    private static final String SHRINK_USAGE = "UPDATE extension_usage SET used_bytes = used_bytes + ?"
            + " WHERE extension_id = ?";
    private static final String SELECT_USAGE = "SELECT used_bytes FROM extension_usage WHERE extension_id = ?";
    private static final String CREATE_USAGE = "INSERT INTO extension_usage (extension_id, used_bytes, last_seq)"
            + " VALUES (?, 0, 0) ON CONFLICT (extension_id) DO NOTHING";

    @Override
    public void set(Namespace namespace, String key, String json, long quotaBytes) {
        ensureMigrated();
        EntryDao.Ref ref = ref(namespace, key);
        long size = utf8Length(key) + utf8Length(json);
        if (postgres) {
            putOnPostgres(ref, json, size, quotaBytes);
            return;
        }
        try {
            writer.inTransaction(tx -> {
                long delta = upsert(tx, ref, json, size);
                if (delta > 0) {
                    grow(tx, ref.ext(), delta, quotaBytes);
                } else if (delta < 0) {
                    shrink(tx, ref.ext(), delta);
                }
                return null;
            });
        } catch (StorageException e) {
            throw e;
        } catch (SQLException | RuntimeException e) {
            throw SqlFailures.unavailable(engine, "write", e);
        }
    }

    // The steps of set() as one server-side call (migration V4): one round trip, and the usage row is never
    // locked across a network round trip.
    private static final String PG_PUT = "SELECT ext_storage_put(?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String PG_QUOTA_STATE = "EXTQ1";

    private void putOnPostgres(EntryDao.Ref ref, String json, long size, long quotaBytes) {
        try (Connection c = readPool.getConnection(); PreparedStatement ps = c.prepareStatement(PG_PUT)) {
            long now = System.currentTimeMillis();
            ps.setString(1, ref.ext());
            ps.setString(2, ref.scope());
            ps.setString(3, ref.owner());
            ps.setString(4, ref.ownerHash());
            ps.setString(5, ref.key());
            ps.setString(6, json);
            ps.setLong(7, size);
            ps.setLong(8, now);
            ps.setLong(9, quotaBytes);
            ps.executeQuery().close();
        } catch (SQLException e) {
            if (PG_QUOTA_STATE.equals(e.getSQLState()) && e instanceof PSQLException
                    && ((PSQLException) e).getServerErrorMessage() != null) {
                long after = Long.parseLong(((PSQLException) e).getServerErrorMessage().getMessage());
                throw new StorageException(ErrorCode.QUOTA_EXCEEDED, "Storage quota exceeded: the extension"
                        + " would hold " + after + " bytes, its quota is " + quotaBytes, quotaBytes, after);
            }
            throw SqlFailures.unavailable(engine, "write", e);
        } catch (RuntimeException e) {
            throw SqlFailures.unavailable(engine, "write", e);
        }
    }

    /** Inserts or replaces the entry, locking its row until commit; the change of its size in bytes. */
    private long upsert(Tx tx, EntryDao.Ref ref, String json, long size) throws SQLException {
        PreparedStatement ps = tx.prepare(SQLITE_UPSERT);
        long now = System.currentTimeMillis();
        ps.setString(1, ref.ext());
        ps.setString(2, ref.scope());
        ps.setString(3, ref.owner());
        ps.setString(4, ref.ownerHash());
        ps.setString(5, ref.key());
        ps.setString(6, json);
        ps.setLong(7, size);
        ps.setLong(8, now);
        ps.setLong(9, now);
        ps.setString(10, ref.ext());
        ps.setString(11, ref.scope());
        ps.setString(12, ref.ownerHash());
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("The upsert returned no row");
            }
            return rs.getLong(1);
        }
    }

    /**
     * Adds {@code delta > 0} to the extension's usage if that stays within the quota; the check is in the UPDATE
     * so it sees the newest committed usage. Creates the usage row on the extension's first write.
     */
    private static void grow(Tx tx, String ext, long delta, long quotaBytes) throws SQLException {
        for (int attempt = 0; ; attempt++) {
            PreparedStatement ps = tx.prepare(GROW_USAGE);
            ps.setLong(1, delta);
            ps.setString(2, ext);
            ps.setLong(3, delta);
            ps.setLong(4, quotaBytes);
            if (ps.executeUpdate() == 1) {
                return;
            }
            Long used = usage(tx, ext);
            if (used != null || attempt > 0) {
                long after = (used == null ? 0 : used) + delta;
                throw new StorageException(ErrorCode.QUOTA_EXCEEDED, "Storage quota exceeded: the extension"
                        + " would hold " + after + " bytes, its quota is " + quotaBytes, quotaBytes, after);
            }
            PreparedStatement create = tx.prepare(CREATE_USAGE);
            create.setString(1, ext);
            create.executeUpdate();
        }
    }

    private static void shrink(Tx tx, String ext, long delta) throws SQLException {
        PreparedStatement ps = tx.prepare(SHRINK_USAGE);
        ps.setLong(1, delta);
        ps.setString(2, ext);
        ps.executeUpdate();
    }

    private static Long usage(Tx tx, String ext) throws SQLException {
        PreparedStatement ps = tx.prepare(SELECT_USAGE);
        ps.setString(1, ext);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : null;
        }
    }

    private static final String DELETE_ENTRY = "DELETE FROM storage_entry WHERE extension_id = ? AND scope = ?"
            + " AND owner_hash = ? AND entry_key = ? RETURNING size_bytes";

    @Override
    public void remove(Namespace namespace, String key) {
        ensureMigrated();
        EntryDao.Ref ref = ref(namespace, key);
        try {
            writer.inTransaction(tx -> {
                // Entry row first, usage row second: the lock order of set().
                PreparedStatement ps = tx.prepare(DELETE_ENTRY);
                bindEntry(ps, ref);
                long size;
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    size = rs.getLong(1);
                }
                shrink(tx, ref.ext(), -size);
                return null;
            });
        } catch (SQLException | RuntimeException e) {
            throw SqlFailures.unavailable(engine, "delete", e);
        }
    }

    private static void bindEntry(PreparedStatement ps, EntryDao.Ref ref) throws SQLException {
        ps.setString(1, ref.ext());
        ps.setString(2, ref.scope());
        ps.setString(3, ref.ownerHash());
        ps.setString(4, ref.key());
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
        writer.close();
        closeQuietly(readPool);
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
                migrate(migrationSource, postgres);
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

    private static void migrate(DataSource source, boolean postgres) {
        Flyway.configure()
                .dataSource(source)
                .locations(postgres
                        ? new String[] {"classpath:db/migration/common", "classpath:db/migration/postgresql"}
                        : new String[] {"classpath:db/migration/common"})
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

    private static SQLiteDataSource sqliteSource(String url, boolean synchronousFull, int busyTimeoutMs) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(synchronousFull ? SQLiteConfig.SynchronousMode.FULL
                : SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(busyTimeoutMs);
        config.enforceForeignKeys(true);
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

    /** The statements of one write transaction. */
    private interface Tx {
        /** A statement of this transaction, ready to bind; the transaction closes it. */
        PreparedStatement prepare(String sql) throws SQLException;
    }

    @FunctionalInterface
    private interface TxBody<T> {
        T run(Tx tx) throws SQLException;
    }

    /** Runs write transactions: commits when the body returns, rolls back when it throws. */
    private interface Writer {
        <T> T inTransaction(TxBody<T> body) throws SQLException;

        void close();
    }

    /**
     * PostgreSQL (removes; writes use {@code ext_storage_put}): a pooled connection per transaction; statements
     * are prepared per call, which pgjdbc turns into server-side prepared statements cached per connection.
     */
    private static final class PoolWriter implements Writer {
        private final HikariDataSource pool;

        PoolWriter(HikariDataSource pool) {
            this.pool = pool;
        }

        @Override
        public <T> T inTransaction(TxBody<T> body) throws SQLException {
            List<PreparedStatement> opened = new ArrayList<>(3);
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                try {
                    T result = body.run(sql -> {
                        PreparedStatement ps = c.prepareStatement(sql);
                        opened.add(ps);
                        return ps;
                    });
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    try {
                        c.rollback();
                    } catch (SQLException r) {
                        e.addSuppressed(r);
                    }
                    throw e;
                } finally {
                    for (PreparedStatement ps : opened) {
                        ps.close();
                    }
                }
            }
        }

        @Override
        public void close() {
            // The pool is the store's, which closes it.
        }
    }

    /**
     * SQLite: the one writer connection, its statements prepared once and kept, guarded by a lock that waits at
     * most the busy time-out (so writers do not pile up behind a lock held by another process). Transactions
     * are {@code BEGIN IMMEDIATE}: the database write lock is taken at the start, never upgraded midway. After
     * a database error the connection is dropped and reopened by the next write.
     */
    private static final class SqliteWriter implements Writer {
        private final SQLiteDataSource source;
        private final long lockTimeoutMs;
        private final ReentrantLock lock = new ReentrantLock();
        private final Map<String, PreparedStatement> statements = new HashMap<>();
        private Connection connection;
        private boolean closed;

        SqliteWriter(SQLiteDataSource source, long lockTimeoutMs) {
            this.source = source;
            this.lockTimeoutMs = lockTimeoutMs;
        }

        @Override
        public <T> T inTransaction(TxBody<T> body) throws SQLException {
            acquire();
            try {
                if (closed) {
                    throw new SQLTransientConnectionException("The SQLite store is closed");
                }
                statement("BEGIN IMMEDIATE").execute();
                try {
                    T result = body.run(this::statement);
                    statement("COMMIT").execute();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    try {
                        statement("ROLLBACK").execute();
                    } catch (SQLException r) {
                        e.addSuppressed(r);
                        drop();
                    }
                    throw e;
                }
            } catch (SQLException e) {
                drop();
                throw e;
            } finally {
                lock.unlock();
            }
        }

        private void acquire() throws SQLException {
            try {
                if (!lock.tryLock(lockTimeoutMs, TimeUnit.MILLISECONDS)) {
                    throw new SQLTransientConnectionException("SQLite writer busy for " + lockTimeoutMs + " ms");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLTransientConnectionException("Interrupted waiting for the SQLite writer", e);
            }
        }

        private PreparedStatement statement(String sql) throws SQLException {
            PreparedStatement ps = statements.get(sql);
            if (ps == null) {
                if (connection == null) {
                    connection = source.getConnection();
                }
                ps = connection.prepareStatement(sql);
                statements.put(sql, ps);
            }
            return ps;
        }

        private void drop() {
            statements.clear();
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException e) {
                    LOG.warn("Closing the SQLite writer connection failed: {}", e.toString());
                }
                connection = null;
            }
        }

        @Override
        public void close() {
            lock.lock();
            try {
                closed = true;
                drop();
            } finally {
                lock.unlock();
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
