package dev.extstorage.store.sql;

import com.zaxxer.hikari.HikariDataSource;
import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.Paging;
import dev.extstorage.model.StorageException;
import dev.extstorage.model.ResourceRef;
import dev.extstorage.model.UserIds;
import dev.extstorage.store.DataLifecycle;
import dev.extstorage.store.ExtensionUsage;
import dev.extstorage.store.Namespace;
import dev.extstorage.store.PageSink;
import dev.extstorage.store.PersistentStore;
import dev.extstorage.store.UsageFigures;
import dev.extstorage.store.UserEntrySink;
import org.jdbi.v3.core.Jdbi;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * {@link DataLifecycle} of the SQL engines. Usage comes from the usage rows ({@link LifecycleDao}); a prefix
 * listing is {@link SqlListing}'s with the prefix compared as text. Purge and erasure delete in transactions of
 * at most {@value DataLifecycle#BATCH} rows through the engine's {@link SqlWriter} (SQLite: each batch one
 * queued write of the writer thread, so other writes run between batches), each batch giving its rows' bytes
 * and entries back to their usage rows in the same transaction ({@link BatchDelete}); usage rows left at zero
 * are removed at the end. A user's entries are found by the owner's hash (the index of migration V11) and,
 * for the export, also by the owner column itself, which every row has held since V1 as the user id's
 * {@link UserIds#storageForm}: rows of every schema version are exported and erased alike.
 */
final class SqlLifecycle implements DataLifecycle {
    private static final String EXPORT = "SELECT extension_id, entry_key, value_json, updated_at, resource"
            + " FROM storage_entry WHERE owner_hash = ? AND scope = 'user' AND owner = ?"
            + " ORDER BY extension_id, resource, entry_key";
    private static final int EXPORT_FETCH_ROWS = 16;

    private final String engine;
    private final SqlSchema schema;
    private final HikariDataSource readPool;
    private final Jdbi reader;
    private final SqlWriter writer;
    private final SqlListing.Snapshot snapshot;

    SqlLifecycle(String engine, SqlSchema schema, HikariDataSource readPool, SqlWriter writer,
                 SqlListing.Snapshot snapshot) {
        this.engine = engine;
        this.schema = schema;
        this.readPool = readPool;
        this.reader = SqlConnections.jdbi(readPool);
        this.writer = writer;
        this.snapshot = snapshot;
    }

    @Override
    public void list(Namespace namespace, String prefix, Paging paging, long maxPageBytes, PageSink sink) {
        schema.ensureMigrated();
        try {
            SqlListing.list(readPool, snapshot, EntryRefs.ref(namespace, null), prefix, paging, maxPageBytes, sink);
        } catch (SqlListing.SinkFailure e) {
            throw e.sinkException();
        } catch (StorageException e) {
            throw e;
        } catch (SQLException | RuntimeException e) {
            throw SqlFailures.unavailable(engine, "list", e);
        }
    }

    @Override
    public ExtensionUsage usage(ExtensionId extension, String userIdOrNull) {
        schema.ensureMigrated();
        try {
            return reader.withExtension(LifecycleDao.class, dao -> {
                UsageFigures all = new UsageFigures(dao.extensionBytes(extension.id()).orElse(0L),
                        dao.extensionEntries(extension.id()));
                UsageFigures shared = figures(dao, Namespace.shared(extension));
                UsageFigures user = userIdOrNull == null ? UsageFigures.NONE
                        : figures(dao, Namespace.user(extension, userIdOrNull));
                return new ExtensionUsage(all, shared, user);
            });
        } catch (RuntimeException e) {
            throw SqlFailures.unavailable(engine, "read usage", e);
        }
    }

    private static UsageFigures figures(LifecycleDao dao, Namespace ns) {
        PersistentStore.Usage u = dao.usage(EntryRefs.ref(ns, null)).orElse(new PersistentStore.Usage(0, 0));
        return new UsageFigures(u.bytes(), u.entries());
    }

    @Override
    public List<String> extensionsWithData() {
        schema.ensureMigrated();
        try {
            return reader.withExtension(LifecycleDao.class, LifecycleDao::extensionsWithData);
        } catch (RuntimeException e) {
            throw SqlFailures.unavailable(engine, "read usage", e);
        }
    }

    @Override
    public long purge(ExtensionId extension) {
        schema.ensureMigrated();
        return deleteAll("purge", BatchDelete.ofExtension(engine, extension.id()));
    }

    @Override
    public long eraseUser(String userId) {
        schema.ensureMigrated();
        return deleteAll("erase", BatchDelete.ofUser(engine, EntryRefs.sha256Hex(UserIds.storageForm(userId))));
    }

    @Override
    public long purgeResource(ResourceRef resource) {
        schema.ensureMigrated();
        return deleteAll("purge a resource", BatchDelete.ofResource(engine, resource.storageForm()));
    }

    private long deleteAll(String action, BatchDelete delete) {
        long removed = 0;
        try {
            int batch;
            do {
                batch = writer.inTransaction(delete::deleteBatch);
                removed += batch;
            } while (batch > 0);
            writer.inTransaction(tx -> {
                delete.dropEmptyUsageRows(tx);
                return null;
            });
        } catch (StorageException e) {
            throw e;
        } catch (SQLException | RuntimeException e) {
            throw SqlFailures.unavailable(engine, action, e);
        }
        return removed;
    }

    @Override
    public void exportUser(String userId, UserEntrySink sink) {
        schema.ensureMigrated();
        String owner = UserIds.storageForm(userId);
        try (Connection c = readPool.getConnection()) {
            // a cursor on PostgreSQL (auto-commit off and a fetch size): rows come a few at a time
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(EXPORT, ResultSet.TYPE_FORWARD_ONLY,
                    ResultSet.CONCUR_READ_ONLY)) {
                ps.setFetchSize(EXPORT_FETCH_ROWS);
                ps.setString(1, EntryRefs.sha256Hex(owner));
                ps.setString(2, owner);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String ext = rs.getString(1);
                        String key = rs.getString(2);
                        String json = rs.getString(3);
                        long updatedAt = rs.getLong(4);
                        String resource = rs.getString(5);
                        try {
                            sink.entry(ext, resource.isEmpty() ? null : resource, key, json, updatedAt, null);
                        } catch (RuntimeException e) {
                            throw new SqlListing.SinkFailure(e);
                        }
                    }
                }
            } finally {
                c.rollback();
            }
        } catch (SqlListing.SinkFailure e) {
            throw e.sinkException();
        } catch (SQLException | RuntimeException e) {
            throw SqlFailures.unavailable(engine, "export", e);
        }
    }
}
