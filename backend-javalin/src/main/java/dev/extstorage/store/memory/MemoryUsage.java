package dev.extstorage.store.memory;

import dev.extstorage.model.Scope;
import dev.extstorage.model.Tier;
import dev.extstorage.store.Namespace;
import dev.extstorage.store.Quota;
import dev.extstorage.store.QuotaRefusal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bytes each extension and each namespace holds in a {@link MemoryEphemeralStore}, as
 * {@link dev.extstorage.model.Limits#entryCost} counts them. The store calls it while it holds the lock of the
 * entry being changed, so the counts change atomically with the entries. Each count is changed only inside
 * {@link ConcurrentHashMap#compute}, which makes a check against a bound and the change one step: concurrent
 * writers can never pass a bound together. A count that falls to zero is removed, so the maps hold only the
 * extensions and namespaces that hold something, however many users come and go.
 *
 * <p>Lock order: an entry's lock, then one count's lock; this class never calls back into the cache.
 */
final class MemoryUsage {
    /** A namespace by its parts, as the cache's keys hold them (owner: {@link Namespace#ownerStorageForm}). */
    record Owner(String extensionId, Scope scope, String owner) {
        static Owner of(Namespace ns) {
            return new Owner(ns.extension().id(), ns.scope(), ns.ownerStorageForm());
        }
    }

    private final ConcurrentHashMap<String, Long> byExtension = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Owner, Long> byOwner = new ConcurrentHashMap<>();
    // entries, kept like the bytes (an entry always costs more than 0, so a cost of 0 means "none")
    private final ConcurrentHashMap<String, Long> entriesByExtension = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Owner, Long> entriesByOwner = new ConcurrentHashMap<>();

    /**
     * Counts an entry costing {@code newCost} in place of one costing {@code oldCost} (0: none), if the
     * growth, when positive, keeps the namespace within {@code quota.ownerBytes()} and the extension within
     * {@code quota.extensionBytes()}.
     *
     * @throws dev.extstorage.model.StorageException {@code QUOTA_EXCEEDED}; then nothing was counted
     */
    void replace(Owner owner, long oldCost, long newCost, Quota quota) {
        long grow = newCost - oldCost;
        if (grow <= 0) {
            add(byOwner, owner, grow);
            add(byExtension, owner.extensionId(), grow);
            countEntries(owner, oldCost, newCost);
            return;
        }
        long ownerAfter = reserve(byOwner, owner, grow, quota.ownerBytes());
        if (ownerAfter > quota.ownerBytes()) {
            throw QuotaRefusal.namespace(Tier.EPHEMERAL, owner.scope(), quota.ownerBytes(), ownerAfter);
        }
        long extensionAfter = reserve(byExtension, owner.extensionId(), grow, quota.extensionBytes());
        if (extensionAfter > quota.extensionBytes()) {
            // The namespace's reservation goes back: a refused write counts nothing. Meanwhile a writer of the
            // same namespace may have been refused for it, which errs on the safe side.
            add(byOwner, owner, -grow);
            throw QuotaRefusal.extension(Tier.EPHEMERAL, quota.extensionBytes(), extensionAfter);
        }
        countEntries(owner, oldCost, newCost);
    }

    private void countEntries(Owner owner, long oldCost, long newCost) {
        int delta = (newCost > 0 ? 1 : 0) - (oldCost > 0 ? 1 : 0);
        add(entriesByOwner, owner, delta);
        add(entriesByExtension, owner.extensionId(), delta);
    }

    /** Gives back what a removed, expired or evicted entry cost. */
    void release(Owner owner, long cost) {
        add(byOwner, owner, -cost);
        add(byExtension, owner.extensionId(), -cost);
        add(entriesByOwner, owner, -1);
        add(entriesByExtension, owner.extensionId(), -1);
    }

    /** The entries the extension holds now, all namespaces together. */
    long extensionEntries(String extensionId) {
        return entriesByExtension.getOrDefault(extensionId, 0L);
    }

    /** The entries the namespace holds now. */
    long ownerEntries(Owner owner) {
        return entriesByOwner.getOrDefault(owner, 0L);
    }

    /** The extensions holding something now. */
    Set<String> extensions() {
        return Set.copyOf(entriesByExtension.keySet());
    }

    /** What the extension holds now, all namespaces together. */
    long extensionBytes(String extensionId) {
        return byExtension.getOrDefault(extensionId, 0L);
    }

    /** What the namespace holds now. */
    long ownerBytes(Owner owner) {
        return byOwner.getOrDefault(owner, 0L);
    }

    /** How many extensions and namespaces hold something (the size of the counts' maps). */
    int countedNamespaces() {
        return byOwner.size();
    }

    int countedExtensions() {
        return byExtension.size();
    }

    void clear() {
        byOwner.clear();
        byExtension.clear();
        entriesByOwner.clear();
        entriesByExtension.clear();
    }

    /**
     * Adds {@code grow > 0} to the count of {@code key} if that keeps it within {@code bound}; returns the
     * count it would have after (above {@code bound}: nothing was added).
     */
    private static <K> long reserve(ConcurrentHashMap<K, Long> counts, K key, long grow, long bound) {
        long[] after = new long[1];
        counts.compute(key, (k, held) -> {
            long sum = saturatedAdd(held == null ? 0 : held, grow);
            after[0] = sum;
            return sum > bound ? held : Long.valueOf(sum);
        });
        return after[0];
    }

    /** Adds {@code delta} (any sign) to the count of {@code key}, removing the count once it is zero. */
    private static <K> void add(ConcurrentHashMap<K, Long> counts, K key, long delta) {
        if (delta == 0) {
            return;
        }
        counts.compute(key, (k, held) -> {
            long sum = (held == null ? 0 : held) + delta;
            return sum <= 0 ? null : Long.valueOf(sum);
        });
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
