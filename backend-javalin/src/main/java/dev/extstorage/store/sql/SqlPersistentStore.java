package dev.extstorage.store.sql;

import com.zaxxer.hikari.HikariDataSource;
import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.Limits;
import dev.extstorage.model.Paging;
import dev.extstorage.model.Precondition;
import dev.extstorage.model.StorageException;
import dev.extstorage.store.BatchWrite;
import dev.extstorage.store.DataLifecycle;
import dev.extstorage.store.EntryCost;
import dev.extstorage.store.Namespace;
import dev.extstorage.store.PageSink;
import dev.extstorage.store.PersistentStore;
import dev.extstorage.store.Quota;
import dev.extstorage.store.SealedRows;
import dev.extstorage.store.SecretStore;
import dev.extstorage.store.StoredEntry;
import dev.extstorage.store.Versions;
import org.jdbi.v3.core.Jdbi;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the persistent engines on SQL share: {@link SqlitePersistentStore} (embedded, one file) and
 * {@link PostgresPersistentStore} (shared by several server instances). One schema, created or migrated by
 * Flyway ({@link SqlSchema}) when the store opens; one read path (get, the listing, usage, health) on a pool of
 * connections; the remove through the engine's {@link SqlWriter}. Each engine brings its own write path
 * ({@link #set}).
 *
 * <p>A write is one transaction of at most three statements. The first upserts the entry, which locks that row
 * (also a row being inserted: a concurrent insert of the same key waits and then takes the update path), takes
 * the next change number and returns the exact size change from the row it replaced. Only when the size
 * changes do the next two adjust the usage rows ({@link UsageRows}): first the namespace's
 * ({@code namespace_usage}: one user's user scope, or the shared scope; bytes and entries), then the
 * extension's ({@code extension_usage}), each growing change with its bound ({@link Quota}) checked before
 * the write commits (a growing write that would pass a bound is rolled back whole). Each figure is the sum over
 * its rows ({@code shard}, migration V15): SQLite keeps one row (shard 0, its bound checked in the
 * {@code UPDATE}'s {@code WHERE}); PostgreSQL spreads concurrent writers over 16 rows, so writers of one user or
 * one extension commit in parallel, with the exact rule of {@link UsageRows}. Nothing waits on usage for the
 * common overwrite of the same size; no bound is ever passed under concurrent writers, also in other server
 * instances, and each figure always equals the sum over its entries. Every write locks the entry row first, the
 * namespace's usage row(s) second and the extension's third, removes too, so writers cannot deadlock. A
 * write that does not grow its entry's bytes is always accepted, even above a bound (so data can shrink back
 * after a quota was lowered). A write that returns has been committed. An entry's bytes ({@code size_bytes})
 * are {@link Limits#entryCost}: key, value and the fixed per-entry overhead.
 *
 * <p>Each entry's version ({@code entry_version}, migration V9) is written by the same statement as its value,
 * and a write's precondition is checked in the write's transaction, before anything changes ({@link EntryWrites},
 * {@code ext_storage_put}).
 *
 * <p>Listings ({@link SqlListing}) are bounded pages, streamed row by row from one snapshot.
 *
 * <p>Change numbers ({@code change_seq}, the "newest change first" order of listings) are strictly increasing
 * for successive writes of a namespace; each engine says where it takes them from.
 *
 * <p>Get, set and remove are plain JDBC rather than JDBI SqlObject: attaching a SqlObject per call cost more
 * than the database work itself. Any database failure surfaces as {@link StorageException}
 * {@code STORE_UNAVAILABLE}; no raw exception leaves this class.
 */
abstract class SqlPersistentStore implements PersistentStore {
    private static final String SELECT_VALUE = "SELECT value_json, entry_version FROM storage_entry"
            + EntryRefs.WHERE_ENTRY;

    final String engine;
    /** The pool of read connections (PostgreSQL: the one pool, for reads and writes). */
    final HikariDataSource readPool;
    final SqlSchema schema;
    private final Jdbi reader;
    private final SqlWriter writer;
    private final SqlListing.Snapshot snapshot;
    private final SqlLifecycle lifecycle;
    private final SqlSecrets secrets;
    private final SqlSealedRows sealedRows;
    private final ReadStatements readStatements = new ReadStatements();

    SqlPersistentStore(String engine, SqlSchema schema, HikariDataSource readPool, SqlWriter writer,
                       SqlListing.Snapshot snapshot) {
        this.engine = engine;
        this.schema = schema;
        this.readPool = readPool;
        this.reader = SqlConnections.jdbi(readPool);
        this.writer = writer;
        this.snapshot = snapshot;
        this.lifecycle = new SqlLifecycle(engine, schema, readPool, writer, snapshot);
        this.secrets = new SqlSecrets(engine, schema, readPool, writer);
        this.sealedRows = new SqlSealedRows(engine, schema, readPool, writer);
    }

    /**
     * The engine's write of one entry with {@code version}, if {@code condition} holds, in its own transaction;
     * {@code size} is {@link EntryCost#of}.
     */
    abstract void put(Namespace namespace, String key, String json, long size, Quota quota, String version,
                      Precondition condition);

    @Override
    public StoredEntry getEntry(Namespace namespace, String key) {
        schema.ensureMigrated();
        EntryDao.Ref ref = EntryRefs.ref(namespace, key);
        try (Connection c = readPool.getConnection()) {
            try {
                PreparedStatement ps = readStatements.prepare(c, SELECT_VALUE);
                EntryRefs.bindEntry(ps, ref);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? new StoredEntry(rs.getString(1), rs.getString(2)) : null;
                }
            } catch (SQLException | RuntimeException e) {
                readStatements.discard(c, SELECT_VALUE);
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            throw SqlFailures.unavailable(engine, "read", e);
        }
    }

    @Override
    public final String set(Namespace namespace, String key, String json, Quota quota, Precondition condition) {
        schema.ensureMigrated();
        String version = Versions.next();
        put(namespace, key, json, EntryCost.of(key, json), quota, version, condition);
        return version;
    }

    @Override
    public boolean remove(Namespace namespace, String key, Precondition condition) {
        schema.ensureMigrated();
        EntryDao.Ref ref = EntryRefs.ref(namespace, key);
        boolean postgres = "postgresql".equals(engine);
        return write("delete", tx -> EntryWrites.remove(tx, ref, condition, postgres));
    }

    /** The engine's batch write with {@code versions}, in one transaction ({@link PersistentStore#setMany}). */
    abstract void putMany(Namespace namespace, List<BatchWrite> writes, List<String> versions, Quota quota);

    @Override
    public List<StoredEntry> getMany(Namespace namespace, List<String> keys, long maxBytes) {
        schema.ensureMigrated();
        try {
            return SqlBatches.getMany(readPool, namespace, keys, maxBytes);
        } catch (StorageException e) {
            throw e;
        } catch (SQLException | RuntimeException e) {
            throw SqlFailures.unavailable(engine, "read", e);
        }
    }

    @Override
    public final List<String> setMany(Namespace namespace, List<BatchWrite> writes, Quota quota) {
        if (writes.isEmpty()) {
            return List.of();
        }
        schema.ensureMigrated();
        List<String> versions = new ArrayList<>(writes.size());
        for (int i = 0; i < writes.size(); i++) {
            versions.add(Versions.next());
        }
        putMany(namespace, writes, versions, quota);
        return versions;
    }

    @Override
    public List<Boolean> removeMany(Namespace namespace, List<String> keys) {
        schema.ensureMigrated();
        return keys.isEmpty() ? List.of() : write("delete", tx -> SqlBatches.removeMany(tx, namespace, keys));
    }

    /** A write transaction of the writer; rule violations pass through, every other failure is STORE_UNAVAILABLE. */
    final <T> T write(String action, WriteBody<T> body) {
        return SqlFailures.inRerunnableTransaction(writer, engine, action, body::run);
    }

    /**
     * The statements of one write, run inside {@link #write}; what they return, or {@code null}. They may run more
     * than once ({@link SqlWriter#inRerunnableTransaction}): no effect outside the transaction but the result.
     */
    interface WriteBody<T> {
        T run(SqlWriter.Tx tx) throws SQLException;
    }

    @Override
    public void list(Namespace namespace, Paging paging, long maxPageBytes, PageSink sink) {
        schema.ensureMigrated();
        EntryDao.Ref ref = EntryRefs.ref(namespace, null);
        try {
            SqlListing.list(readPool, snapshot, ref, paging, maxPageBytes, sink);
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
    public DataLifecycle lifecycle() {
        return lifecycle;
    }

    @Override
    public SecretStore secrets() {
        return secrets;
    }

    @Override
    public SealedRows sealedRows() {
        return sealedRows;
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
