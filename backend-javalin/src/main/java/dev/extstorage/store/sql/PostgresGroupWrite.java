package dev.extstorage.store.sql;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.StorageException;
import dev.extstorage.store.BatchWrite;
import dev.extstorage.store.Namespace;

import java.util.ArrayList;
import java.util.List;

/**
 * How {@link PostgresPersistentStore} runs the single writes {@link WriteGroups} hands it: one alone as
 * {@link PostgresPut} (one call of {@code ext_storage_put}); a group in one transaction ({@link PostgresPutMany},
 * its usage checked by {@link PostgresPutMany.UsageRule#EVERY_GROWTH}, so a group commits only if every one of
 * its writes would have been accepted in any order). If the group is refused (a condition that does not hold, a
 * bound it would pass), it is rolled back and each write runs again alone, so each gets exactly the outcome it
 * would have had alone; any other failure (the database unreachable, say) fails every write of the group, as it
 * would have failed each.
 */
final class PostgresGroupWrite implements WriteGroups.Runner {
    private final PostgresPersistentStore store;

    PostgresGroupWrite(PostgresPersistentStore store) {
        this.store = store;
    }

    @Override
    public void one(Namespace ns, WriteGroups.Write w) {
        try {
            PostgresPut.put(store.readPool, store.engine, EntryRefs.ref(ns, w.batchWrite.key()), w.batchWrite.json(),
                    w.size, w.quota, w.version, w.batchWrite.condition());
            w.succeeded();
        } catch (RuntimeException e) {
            w.failed(e);
        }
    }

    @Override
    public void many(Namespace ns, List<WriteGroups.Write> group) {
        List<BatchWrite> writes = new ArrayList<>(group.size());
        List<String> versions = new ArrayList<>(group.size());
        for (WriteGroups.Write w : group) {
            writes.add(w.batchWrite);
            versions.add(w.version);
        }
        try {
            PostgresPutMany.putMany(store, ns, writes, versions, group.get(0).quota,
                    PostgresPutMany.UsageRule.EVERY_GROWTH);
        } catch (StorageException e) {
            if (e.code() == ErrorCode.QUOTA_EXCEEDED || e.code() == ErrorCode.PRECONDITION_FAILED) {
                for (WriteGroups.Write w : group) {
                    one(ns, w);
                }
                return;
            }
            // Each caller throws its own exception, in its own thread.
            for (WriteGroups.Write w : group) {
                w.failed(new StorageException(e.code(), e.getMessage(), e.getCause() == null ? e : e.getCause()));
            }
            return;
        }
        for (WriteGroups.Write w : group) {
            w.succeeded();
        }
    }
}
