package dev.extstorage.store.sql;

import com.zaxxer.hikari.HikariDataSource;
import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.Precondition;
import dev.extstorage.store.BatchWrite;
import dev.extstorage.store.Namespace;
import dev.extstorage.store.Quota;
import org.sqlite.SQLiteDataSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The embedded persistent engine ({@code sqlite}): one database file, the schema of {@link SqlPersistentStore}
 * migrated from {@code db/migration/common}.
 *
 * <p>WAL journal; {@code synchronous=NORMAL} by default, which keeps every committed write through a crash or
 * {@code kill -9} of the process but not through a power loss or OS crash (the last commits may be lost);
 * {@code FULL} keeps them through those too at about a tenth of the write rate. SQLite allows one writer at a
 * time, so writes go through a single connection with its statements prepared once (writers queue in-process
 * for at most the busy time-out) while reads use a pool and run alongside. Concurrent writes are
 * group-committed ({@link SqliteWriter}): queued writes run in order in one transaction, each in its own
 * savepoint so a quota refusal fails only itself, and each returns only after that transaction's commit. A
 * lock held by another process for longer than the busy time-out fails the call with
 * {@link ErrorCode#STORE_UNAVAILABLE}. Change numbers are the namespace's highest one plus one, taken inside
 * the (serialized) write transaction ({@link EntryWrites#put}).
 */
public final class SqlitePersistentStore extends SqlPersistentStore {
    public static final int DEFAULT_BUSY_TIMEOUT_MS = 5000;
    static final String[] MIGRATIONS = {"classpath:db/migration/common", "classpath:db/migration/sqlite"};

    private SqlitePersistentStore(SqlSchema schema, HikariDataSource readPool, SqlWriter writer) {
        super("sqlite", schema, readPool, writer, c -> {
            // A deferred transaction in WAL mode reads from one snapshot.
        });
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
    public static SqlitePersistentStore open(Path file, int readPoolSize, boolean synchronousFull,
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
            SqlSchema.migrate(migration, MIGRATIONS);
            readPool = SqlConnections.pool("sqlite-read",
                    SqlConnections.sqliteSource(url, synchronousFull, busyTimeoutMs), readPoolSize, busyTimeoutMs);
            // One connection for all writes: SQLite has one writer at a time anyway, and queueing in-process is
            // fairer and cheaper than retrying on SQLITE_BUSY.
            SqlWriter writer = new SqliteWriter(SqlConnections.sqliteSource(url, synchronousFull, busyTimeoutMs),
                    busyTimeoutMs);
            SqlSchema schema = new SqlSchema("sqlite", migration, MIGRATIONS);
            schema.markMigrated();
            return new SqlitePersistentStore(schema, readPool, writer);
        } catch (RuntimeException e) {
            SqlConnections.closeQuietly(readPool);
            throw new IllegalStateException("Cannot open the SQLite database " + absolute + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    void putMany(Namespace namespace, List<BatchWrite> writes, List<String> versions, Quota quota) {
        write("write", tx -> {
            SqlBatches.putMany(tx, namespace, writes, versions, quota);
            return null;
        });
    }

    @Override
    void put(Namespace namespace, String key, String json, long size, Quota quota, String version,
             Precondition condition) {
        EntryDao.Ref ref = EntryRefs.ref(namespace, key);
        write("write", tx -> {
            EntryWrites.put(tx, ref, json, size, quota, version, condition);
            return null;
        });
    }
}
