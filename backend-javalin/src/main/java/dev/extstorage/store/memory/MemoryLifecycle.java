package dev.extstorage.store.memory;

import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.KeyPrefixes;
import dev.extstorage.model.Paging;
import dev.extstorage.model.Scope;
import dev.extstorage.model.UserIds;
import dev.extstorage.store.DataLifecycle;
import dev.extstorage.store.ExtensionUsage;
import dev.extstorage.store.KeyedPage;
import dev.extstorage.store.Namespace;
import dev.extstorage.store.PageSink;
import dev.extstorage.store.UsageFigures;
import dev.extstorage.store.UserEntrySink;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * {@link DataLifecycle} of the in-process cache, through the cache's own view of its entries (its map, weakly
 * consistent: entries written while a walk runs may or may not be seen). Usage figures come from
 * {@link MemoryUsage}, exact; walks compare every part of a cache key, never a joined string, so no key or user
 * id of one namespace can pass for another's.
 */
final class MemoryLifecycle implements DataLifecycle {
    private final MemoryEphemeralStore store;

    MemoryLifecycle(MemoryEphemeralStore store) {
        this.store = store;
    }

    @Override
    public void list(Namespace namespace, String prefix, Paging paging, long maxPageBytes, PageSink sink) {
        EntryKey base = EntryKey.of(namespace, "");
        // references to the cache's own entries: no value is copied; bounded by the namespace's quota
        Map<String, Cached> found = new HashMap<>();
        for (Map.Entry<EntryKey, Cached> e : store.entries().entrySet()) {
            EntryKey k = e.getKey();
            if (k.scope() == base.scope() && k.owner().equals(base.owner()) && k.extensionId().equals(base.extensionId())
                    && KeyPrefixes.isUnder(prefix, k.key()) && !store.expired(e.getValue())) {
                found.put(k.key(), e.getValue());
            }
        }
        List<String> keys = new ArrayList<>(found.keySet());
        keys.sort(null);
        KeyedPage.stream(keys, paging, maxPageBytes, key -> found.get(key).cost, key -> found.get(key).json, sink);
    }

    @Override
    public ExtensionUsage usage(ExtensionId extension, String userIdOrNull) {
        MemoryUsage usage = store.usage();
        String id = extension.id();
        UsageFigures all = new UsageFigures(usage.extensionBytes(id), usage.extensionEntries(id));
        UsageFigures shared = figures(usage, MemoryUsage.Owner.of(Namespace.shared(extension)));
        UsageFigures user = userIdOrNull == null ? UsageFigures.NONE
                : figures(usage, MemoryUsage.Owner.of(Namespace.user(extension, userIdOrNull)));
        return new ExtensionUsage(all, shared, user);
    }

    private static UsageFigures figures(MemoryUsage usage, MemoryUsage.Owner owner) {
        return new UsageFigures(usage.ownerBytes(owner), usage.ownerEntries(owner));
    }

    @Override
    public List<String> extensionsWithData() {
        List<String> ids = new ArrayList<>(store.usage().extensions());
        ids.sort(null);
        return ids;
    }

    @Override
    public long purge(ExtensionId extension) {
        String id = extension.id();
        return removeAll(k -> k.extensionId().equals(id));
    }

    @Override
    public void exportUser(String userId, UserEntrySink sink) {
        Predicate<EntryKey> mine = ofUser(userId);
        for (Map.Entry<EntryKey, Cached> e : store.entries().entrySet()) {
            Cached entry = e.getValue();
            if (mine.test(e.getKey()) && !store.expired(entry)) {
                sink.entry(e.getKey().extensionId(), null, e.getKey().key(), entry.json, null, store.expiresAtMillis(entry));
            }
        }
    }

    @Override
    public long eraseUser(String userId) {
        return removeAll(ofUser(userId));
    }

    private static Predicate<EntryKey> ofUser(String userId) {
        String owner = UserIds.storageForm(userId);
        return k -> k.scope() == Scope.USER && k.owner().equals(owner);
    }

    private long removeAll(Predicate<EntryKey> which) {
        long removed = 0;
        for (EntryKey k : store.entries().keySet()) {
            if (which.test(k) && store.remove(k)) {
                removed++;
            }
        }
        return removed;
    }
}
