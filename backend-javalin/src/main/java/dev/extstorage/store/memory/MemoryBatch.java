package dev.extstorage.store.memory;

import dev.extstorage.model.Tier;
import dev.extstorage.store.BatchWrite;
import dev.extstorage.store.Namespace;
import dev.extstorage.store.Quota;
import dev.extstorage.store.QuotaRefusal;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link MemoryEphemeralStore#setMany}: the batch is written entry by entry, each in the cache's
 * {@code compute} as a single write is (its precondition checked under the entry's lock), counted without a
 * bound; then the bounds are checked once for the whole batch. A failed precondition or a refusal puts back, in
 * reverse order, every entry the batch replaced and its count, unless another writer replaced it meanwhile.
 * A cache has no transactions: a concurrent reader may see part of a batch that is then undone.
 */
final class MemoryBatch {
    /** Counts a batch's writes as they go; the batch's bounds are checked once all are in. */
    private static final Quota UNBOUNDED = Quota.ofExtension(Long.MAX_VALUE);

    private MemoryBatch() {
    }

    private record Applied(EntryKey key, Cached old, Cached entry) {
    }

    static List<String> setMany(MemoryEphemeralStore store, Namespace ns, List<BatchWrite> writes, Quota quota) {
        List<Applied> applied = new ArrayList<>(writes.size());
        List<String> versions = new ArrayList<>(writes.size());
        long grow = 0;
        try {
            for (BatchWrite w : writes) {
                EntryKey k = EntryKey.of(ns, w.key());
                Cached entry = store.newEntry(k, w.json(), w.ttlSeconds());
                Cached[] old = new Cached[1];
                // an expired old entry reaches the eviction listener and arrives here as null
                store.entries().compute(k, (key, cur) -> {
                    store.requireHolds(w.condition(), cur);
                    store.usage().replace(key.usageOwner(), cur == null ? 0 : cur.cost, entry.cost, UNBOUNDED);
                    old[0] = cur;
                    return entry;
                });
                applied.add(new Applied(k, old[0], entry));
                grow += entry.cost - (old[0] == null ? 0 : old[0].cost);
                versions.add(entry.version);
            }
            if (grow > 0 && over(store, ns, quota)) {
                // entries past their TTL count until the cache removes them: have it do so, then look again
                store.cleanUp();
                requireWithin(store, ns, quota);
            }
        } catch (RuntimeException e) {
            undo(store, applied);
            throw e;
        }
        return versions;
    }

    private static boolean over(MemoryEphemeralStore store, Namespace ns, Quota quota) {
        return store.namespaceBytes(ns) > quota.ownerBytes() || store.extensionBytes(ns) > quota.extensionBytes();
    }

    private static void requireWithin(MemoryEphemeralStore store, Namespace ns, Quota quota) {
        long namespace = store.namespaceBytes(ns);
        if (namespace > quota.ownerBytes()) {
            throw QuotaRefusal.namespace(Tier.EPHEMERAL, ns.scope(), quota.ownerBytes(), namespace);
        }
        long extension = store.extensionBytes(ns);
        if (extension > quota.extensionBytes()) {
            throw QuotaRefusal.extension(Tier.EPHEMERAL, quota.extensionBytes(), extension);
        }
    }

    /** Puts back what each applied write replaced, latest first, where the batch's entry is still there. */
    private static void undo(MemoryEphemeralStore store, List<Applied> applied) {
        for (int i = applied.size() - 1; i >= 0; i--) {
            Applied a = applied.get(i);
            store.entries().computeIfPresent(a.key(), (key, cur) -> {
                if (cur != a.entry()) {
                    return cur;
                }
                store.usage().replace(key.usageOwner(), cur.cost, a.old() == null ? 0 : a.old().cost, UNBOUNDED);
                return a.old();
            });
        }
    }
}
