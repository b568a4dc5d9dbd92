package dev.extstorage.store.sql;

import dev.extstorage.store.PersistentStore;
import dev.extstorage.store.Namespace;
import dev.extstorage.store.Quota;
import dev.extstorage.store.PageSink;
import dev.extstorage.store.EntryCost;

import com.zaxxer.hikari.HikariDataSource;
import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.Limits;
import dev.extstorage.model.Paging;
import dev.extstorage.model.StorageException;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The persistent engines on SQL: {@code sqlite} (embedded, one file) and {@code postgresql} (shared by several
 * server instances). One schema, created or migrated by Flyway from {@code db/migration/common} (plus
 * {@code db/migration/postgresql} on PostgreSQL) when the store opens.
 *
 * <p>A write is one transaction of at most three statements. The first upserts the entry, which locks that row
 * (also a row being inserted: a concurrent insert of the same key waits and then takes the update path), takes
 * the next change number and returns the exact size change from the row it replaced. Only when the size
 * changes do the next two adjust the usage rows ({@link UsageRows}): first the namespace's
 * ({@code namespace_usage}: one user's user scope, or the shared scope; bytes and entries), then the
 * extension's ({@code extension_usage}), each growing change with its bound ({@link Quota}) checked in the
 * {@code UPDATE}'s {@code WHERE} (a growing write that would pass a bound changes no row, and the whole write is
 * rolled back). So writers of one extension only queue on its usage row for that one statement, and not at all
 * for the common overwrite of the same size; no bound is ever passed under concurrent writers, also in other
 * server instances, and each usage row always equals the sum over its entries. Every write locks the entry row
 * first, the namespace's usage row second and the extension's third, removes too, so writers cannot deadlock. A
 * write that does not grow its entry's bytes is always accepted, even above a bound (so data can shrink back
 * after a quota was lowered). A write that returns has been committed. On PostgreSQL a write is one call of the
 * server-side function {@code ext_storage_put} (migration V6) that runs these steps: one round trip, and no
 * usage row is locked across a network round trip. An entry's bytes ({@code size_bytes}) are
 * {@link Limits#entryCost}: key, value and the fixed per-entry overhead.
 *
 * <p>Listings ({@link SqlListing}) are bounded pages, streamed row by row from one snapshot.
 *
 * <p>Change numbers ({@code change_seq}, the "newest change first" order of listings) are strictly increasing
 * for successive writes of a namespace: PostgreSQL takes them from a sequence; SQLite, whose writes are
 * serialized, takes the namespace's highest one plus one inside the write transaction.
 *
 * <p><b>SQLite</b>: WAL journal; {@code synchronous=NORMAL} by default, which keeps every committed write through
 * a crash or {@code kill -9} of the process but not through a power loss or OS crash (the last commits may be
 * lost); {@code FULL} keeps them through those too at about a tenth of the write rate. SQLite allows one writer
 * at a time, so writes go through a single connection with its statements prepared once (writers queue
 * in-process for at most the busy time-out) while reads use a pool and run alongside. Concurrent writes are
 * group-committed ({@link SqliteWriter}): queued writes run in order in one transaction, each in its own
 * savepoint so a quota refusal fails only itself, and each returns only after that transaction's commit. A lock held by another
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

    private final String engine;
    /** SQLite: the pool of read connections; PostgreSQL: the one pool, for reads and writes. */
    private final HikariDataSource readPool;
    private final Jdbi reader;
    private final SqlWriter writer;
    private final SqlSchema schema;
    private final boolean postgres;

    private SqlPersistentStore(String engine, boolean postgres, DataSource migrationSource,
                               HikariDataSource readPool, SqlWriter writer) {
        this.engine = engine;
        this.postgres = postgres;
        this.schema = new SqlSchema(engine, postgres, migrationSource);
        this.readPool = readPool;
        this.reader = SqlConnections.jdbi(readPool);
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
        SqlConnections.requirePoolSize(readPoolSize);
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
        SQLiteDataSource migration = SqlConnections.sqliteSource(url, synchronousFull, busyTimeoutMs);
        HikariDataSource readPool = null;
        try {
            SqlSchema.migrate(migration, false);
            readPool = SqlConnections.pool("sqlite-read",
                    SqlConnections.sqliteSource(url, synchronousFull, busyTimeoutMs), readPoolSize, busyTimeoutMs);
            // One connection for all writes: SQLite has one writer at a time anyway, and queueing in-process is
            // fairer and cheaper than retrying on SQLITE_BUSY.
            SqlWriter writer = new SqliteWriter(SqlConnections.sqliteSource(url, synchronousFull, busyTimeoutMs),
                    busyTimeoutMs);
            SqlPersistentStore store = new SqlPersistentStore("sqlite", false, migration, readPool, writer);
            store.schema.markMigrated();
            return store;
        } catch (RuntimeException e) {
            SqlConnections.closeQuietly(readPool);
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
        SqlConnections.requirePoolSize(poolSize);
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
        HikariDataSource pool = SqlConnections.pool("postgresql", source, poolSize, PG_CONNECTION_TIMEOUT_MS);
        SqlPersistentStore store = new SqlPersistentStore("postgresql", true, source, pool,
                new PooledSqlWriter(pool));
        try {
            store.schema.ensureMigrated();
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
        schema.ensureMigrated();
        EntryDao.Ref ref = EntryRefs.ref(namespace, key);
        try (Connection c = readPool.getConnection(); PreparedStatement ps = c.prepareStatement(SELECT_VALUE)) {
            EntryRefs.bindEntry(ps, ref);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException | RuntimeException e) {
            throw SqlFailures.unavailable(engine, "read", e);
        }
    }

    @Override
    public void set(Namespace namespace, String key, String json, Quota quota) {
        schema.ensureMigrated();
        EntryDao.Ref ref = EntryRefs.ref(namespace, key);
        long size = EntryCost.of(key, json);
        if (postgres) {
            PostgresPut.put(readPool, engine, ref, json, size, quota);
            return;
        }
        write("write", tx -> EntryWrites.put(tx, ref, json, size, quota));
    }

    @Override
    public void remove(Namespace namespace, String key) {
        schema.ensureMigrated();
        EntryDao.Ref ref = EntryRefs.ref(namespace, key);
        write("delete", tx -> EntryWrites.remove(tx, ref));
    }

    /** A write transaction of the writer; rule violations pass through, every other failure is STORE_UNAVAILABLE. */
    private void write(String action, WriteBody body) {
        try {
            writer.inTransaction(tx -> {
                body.run(tx);
                return null;
            });
        } catch (StorageException e) {
            throw e;
        } catch (SQLException | RuntimeException e) {
            throw SqlFailures.unavailable(engine, action, e);
        }
    }

    /** The statements of one write, run inside {@link #write}. */
    private interface WriteBody {
        void run(SqlWriter.Tx tx) throws SQLException;
    }

    @Override
    public void list(Namespace namespace, Paging paging, long maxPageBytes, PageSink sink) {
        schema.ensureMigrated();
        EntryDao.Ref ref = EntryRefs.ref(namespace, null);
        try {
            SqlListing.list(readPool, postgres, ref, paging, maxPageBytes, sink);
        } catch (SqlListing.SinkFailure e) {
            throw e.sinkException();
        } catch (StorageException e) {
            throw e;
        } catch (SQLException | RuntimeException e) {
            throw SqlFailures.unavailable(engine, "list", e);
        }
    }

    @Override
    public long usedBytes(ExtensionId extension) {
        schema.ensureMigrated();
        try {
            return reader.withExtension(EntryDao.class, dao -> dao.usedBytes(extension.id())).orElse(0L);
        } catch (RuntimeException e) {
            throw SqlFailures.unavailable(engine, "read usage", e);
        }
    }

    @Override
    public Usage usage(Namespace namespace) {
        schema.ensureMigrated();
        EntryDao.Ref ref = EntryRefs.ref(namespace, null);
        try {
            return reader.withExtension(EntryDao.class, dao -> dao.usage(ref)).orElse(new Usage(0, 0));
        } catch (RuntimeException e) {
            throw SqlFailures.unavailable(engine, "read usage", e);
        }
    }

    @Override
    public boolean isAvailable() {
        try {
            schema.ensureMigrated();
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
        SqlConnections.closeQuietly(readPool);
    }
}
