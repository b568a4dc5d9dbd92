package dev.extstorage.store.sql;

import dev.extstorage.store.PersistentStore;

import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The reads of {@link SqlPersistentStore} off its hot paths (usage, health), written so SQLite and PostgreSQL
 * both run them unchanged. The per-key get, set and remove are plain JDBC, prepared once ({@link EntryWrites},
 * {@link PostgresPut}), and so is the streamed listing ({@link SqlListing}).
 */
@RegisterRowMapper(EntryDao.UsageMapper.class)
public interface EntryDao {
    /**
     * Where one entry lives; {@link BindMethods} binds each component by its name. {@code resource} is
     * {@link dev.extstorage.store.Namespace#resourceStorageForm()} ({@code ""}: plain); the usage rows are the
     * namespace's without it.
     */
    record Ref(String ext, String scope, String owner, String ownerHash, String resource, String key) {
    }

    String WHERE_NAMESPACE = " WHERE extension_id = :ext AND scope = :scope AND owner_hash = :ownerHash";

    // A figure is the SUM over the rows of its namespace or extension (shards, migration V15); grouped, so no row
    // reads as none (Optional.empty) as before.
    /** The extension's bytes: no row if it never wrote. */
    String EXTENSION_BYTES = "SELECT SUM(used_bytes) FROM extension_usage WHERE extension_id = :ext"
            + " GROUP BY extension_id";
    /** The namespace's bytes and entries: no row if it never wrote. */
    String NAMESPACE_USAGE = "SELECT SUM(used_bytes) AS used_bytes, SUM(entry_count) AS entry_count"
            + " FROM namespace_usage" + WHERE_NAMESPACE + " GROUP BY extension_id, scope, owner_hash";

    @SqlQuery(EXTENSION_BYTES)
    Optional<Long> usedBytes(@Bind("ext") String ext);

    @SqlQuery(NAMESPACE_USAGE)
    Optional<PersistentStore.Usage> usage(@BindMethods Ref namespace);

    @SqlQuery("SELECT 1")
    int ping();

    final class UsageMapper implements RowMapper<PersistentStore.Usage> {
        @Override
        public PersistentStore.Usage map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new PersistentStore.Usage(rs.getLong("used_bytes"), rs.getLong("entry_count"));
        }
    }
}
