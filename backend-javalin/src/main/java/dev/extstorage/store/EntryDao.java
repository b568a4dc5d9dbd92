package dev.extstorage.store;

import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The statements of {@link SqlPersistentStore}, written so SQLite and PostgreSQL both run them unchanged.
 * Methods that change data must run inside one transaction together with {@link #bumpUsage} or
 * {@link #lockUsage} first: that lock is what makes the quota check race-free (see the migration).
 */
@RegisterRowMapper(EntryDao.EntryMapper.class)
public interface EntryDao {
    /** Where one entry lives; {@link BindMethods} binds each component by its name. */
    record Ref(String ext, String scope, String owner, String ownerHash, String key) {
    }

    String WHERE_ENTRY = " WHERE extension_id = :ext AND scope = :scope AND owner_hash = :ownerHash"
            + " AND entry_key = :key";
    String WHERE_NAMESPACE = " WHERE extension_id = :ext AND scope = :scope AND owner_hash = :ownerHash";

    @SqlQuery("SELECT value_json FROM storage_entry" + WHERE_ENTRY)
    Optional<String> value(@BindMethods Ref ref);

    @SqlQuery("SELECT size_bytes FROM storage_entry" + WHERE_ENTRY)
    Optional<Long> size(@BindMethods Ref ref);

    /** Creates the usage row if needed and takes the next change number, locking the row until commit. */
    @SqlUpdate("INSERT INTO extension_usage (extension_id, used_bytes, last_seq) VALUES (:ext, 0, 1)"
            + " ON CONFLICT (extension_id) DO UPDATE SET last_seq = extension_usage.last_seq + 1")
    void bumpUsage(@Bind("ext") String ext);

    /** Locks the usage row until commit (a no-op UPDATE); 0 if the extension has none. */
    @SqlUpdate("UPDATE extension_usage SET last_seq = last_seq WHERE extension_id = :ext")
    int lockUsage(@Bind("ext") String ext);

    @SqlQuery("SELECT used_bytes FROM extension_usage WHERE extension_id = :ext")
    Optional<Long> usedBytes(@Bind("ext") String ext);

    @SqlQuery("SELECT last_seq FROM extension_usage WHERE extension_id = :ext")
    long lastSeq(@Bind("ext") String ext);

    @SqlUpdate("UPDATE extension_usage SET used_bytes = used_bytes + :delta WHERE extension_id = :ext")
    void addUsage(@Bind("ext") String ext, @Bind("delta") long delta);

    @SqlUpdate("INSERT INTO storage_entry (extension_id, scope, owner, owner_hash, entry_key, value_json,"
            + " size_bytes, created_at, updated_at, change_seq)"
            + " VALUES (:ext, :scope, :owner, :ownerHash, :key, :json, :size, :now, :now, :seq)"
            + " ON CONFLICT (extension_id, scope, owner_hash, entry_key) DO UPDATE SET"
            + " value_json = excluded.value_json, size_bytes = excluded.size_bytes,"
            + " updated_at = excluded.updated_at, change_seq = excluded.change_seq")
    void upsert(@BindMethods Ref ref, @Bind("json") String json, @Bind("size") long size,
                @Bind("now") long now, @Bind("seq") long seq);

    @SqlUpdate("DELETE FROM storage_entry" + WHERE_ENTRY)
    int delete(@BindMethods Ref ref);

    @SqlQuery("SELECT entry_key, value_json FROM storage_entry" + WHERE_NAMESPACE
            + " ORDER BY change_seq DESC LIMIT :limit OFFSET :offset")
    List<PersistentStore.Entry> page(@BindMethods Ref namespace, @Bind("limit") long limit,
                                     @Bind("offset") long offset);

    @SqlQuery("SELECT COUNT(*) FROM storage_entry" + WHERE_NAMESPACE)
    long count(@BindMethods Ref namespace);

    @SqlQuery("SELECT 1")
    int ping();

    final class EntryMapper implements RowMapper<PersistentStore.Entry> {
        @Override
        public PersistentStore.Entry map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new PersistentStore.Entry(rs.getString("entry_key"), rs.getString("value_json"));
        }
    }
}
