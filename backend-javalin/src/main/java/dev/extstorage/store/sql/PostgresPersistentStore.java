package dev.extstorage.store.sql;

import com.zaxxer.hikari.HikariDataSource;
import dev.extstorage.model.Precondition;
import dev.extstorage.model.StorageException;
import dev.extstorage.store.BatchWrite;
import dev.extstorage.store.Namespace;
import dev.extstorage.store.Quota;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Statement;
import java.util.List;

/**
 * The scale-out persistent engine ({@code postgresql}), shared by several server instances: the schema of
 * {@link SqlPersistentStore} migrated from {@code db/migration/common} and {@code db/migration/postgresql}.
 *
 * <p>A write is one call of the server-side function {@code ext_storage_put} ({@link PostgresPut}) that runs the
 * steps of a write: one round trip, and no usage row is locked across a network round trip. Writes of one
 * namespace that arrive while another of its writes runs are committed together ({@link WriteGroups},
 * {@link PostgresGroupWrite}): writers of one user share a transaction instead of taking its usage rows one
 * transaction each. Removes run their statements on a pooled connection ({@link PooledSqlWriter}). Change
 * numbers come from a sequence. A listing reads from one {@code REPEATABLE READ} snapshot.
 *
 * <p>A HikariCP pool; getting a connection waits at most {@value #CONNECTION_TIMEOUT_MS} ms, so when the
 * database is down calls fail quickly with {@code STORE_UNAVAILABLE}, and the pool reconnects by itself when it
 * is back. If the database cannot be reached when the store opens, the schema migration is retried on later
 * calls instead of failing start-up.
 */
public final class PostgresPersistentStore extends SqlPersistentStore {
    static final int CONNECTION_TIMEOUT_MS = 2000;
    static final String[] MIGRATIONS = {"classpath:db/migration/common", "classpath:db/migration/postgresql"};
    private static final int CONNECT_TIMEOUT_S = 2;
    private static final int SOCKET_TIMEOUT_S = 30;
    private static final Logger LOG = LoggerFactory.getLogger(SqlPersistentStore.class);

    private final WriteGroups groups = new WriteGroups(new PostgresGroupWrite(this));

    private PostgresPersistentStore(SqlSchema schema, HikariDataSource pool) {
        super("postgresql", schema, pool, new PooledSqlWriter(pool), c -> {
            // Per transaction, so the pool has no session setting to reset; sent with the BEGIN.
            try (Statement s = c.createStatement()) {
                s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            }
        });
    }

    /**
     * Opens a PostgreSQL database. Unless the URL sets them, {@code connectTimeout} is
     * {@value #CONNECT_TIMEOUT_S} s and {@code socketTimeout} {@value #SOCKET_TIMEOUT_S} s. A database that
     * cannot be reached now is no error: calls fail with {@code STORE_UNAVAILABLE} until it can.
     *
     * @param jdbcUrl  {@code jdbc:postgresql://host[:port]/db[?user=..&password=..&currentSchema=..]}
     * @param poolSize the most connections open at once, at least 1
     * @throws IllegalArgumentException if the URL is not a PostgreSQL JDBC URL
     * @throws IllegalStateException    if the database answers but its schema cannot be migrated
     */
    public static PostgresPersistentStore open(String jdbcUrl, int poolSize) {
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
            source.setConnectTimeout(CONNECT_TIMEOUT_S);
        }
        if (!jdbcUrl.contains("socketTimeout=")) {
            source.setSocketTimeout(SOCKET_TIMEOUT_S);
        }
        if (!jdbcUrl.contains("ApplicationName=")) {
            source.setApplicationName("extension-storage");
        }
        HikariDataSource pool = SqlConnections.pool("postgresql", source, poolSize, CONNECTION_TIMEOUT_MS);
        PostgresPersistentStore store = new PostgresPersistentStore(
                new SqlSchema("postgresql", source, MIGRATIONS), pool);
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

    @Override
    void putMany(Namespace namespace, List<BatchWrite> writes, List<String> versions, Quota quota) {
        PostgresPutMany.putMany(this, namespace, writes, versions, quota, PostgresPutMany.UsageRule.NET);
    }

    @Override
    void put(Namespace namespace, String key, String json, long size, Quota quota, String version,
             Precondition condition) {
        groups.run(namespace, new WriteGroups.Write(BatchWrite.of(key, json, condition), size, quota, version));
    }

    /** Groups of two or more single writes committed together so far (for tests). */
    long writeGroupsRun() {
        return groups.groupsRun();
    }

    /** Single writes of {@code ns} queued behind a running one (for tests). */
    int writesWaiting(Namespace ns) {
        return groups.waiting(ns);
    }
}
