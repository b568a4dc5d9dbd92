package dev.extstorage.store.sql;

import dev.extstorage.store.PersistentStore;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

import java.util.List;
import java.util.Optional;

/** The usage reads of {@link SqlLifecycle}, off every hot path, written so SQLite and PostgreSQL run them unchanged. */
@RegisterRowMapper(EntryDao.UsageMapper.class)
interface LifecycleDao {
    @SqlQuery(EntryDao.EXTENSION_BYTES)
    Optional<Long> extensionBytes(@Bind("ext") String ext);

    @SqlQuery("SELECT COALESCE(SUM(entry_count), 0) FROM namespace_usage WHERE extension_id = :ext")
    long extensionEntries(@Bind("ext") String ext);

    @SqlQuery(EntryDao.NAMESPACE_USAGE)
    Optional<PersistentStore.Usage> usage(@BindMethods EntryDao.Ref namespace);

    @SqlQuery("SELECT extension_id FROM extension_usage GROUP BY extension_id HAVING SUM(used_bytes) > 0"
            + " ORDER BY extension_id")
    List<String> extensionsWithData();
}
