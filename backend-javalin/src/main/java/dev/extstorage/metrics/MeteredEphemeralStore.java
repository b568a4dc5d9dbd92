package dev.extstorage.metrics;

import dev.extstorage.metrics.StoreMeters.Op;
import dev.extstorage.model.Precondition;
import dev.extstorage.store.BatchWrite;
import dev.extstorage.store.DataLifecycle;
import dev.extstorage.store.EphemeralStore;
import dev.extstorage.store.Namespace;
import dev.extstorage.store.Quota;
import dev.extstorage.store.StoredEntry;

import java.util.List;

/** An ephemeral store whose calls are timed and whose failures are counted ({@link StoreMeters}). */
final class MeteredEphemeralStore implements EphemeralStore {
    private final EphemeralStore store;
    private final StoreMeters meters;

    MeteredEphemeralStore(EphemeralStore store, StoreMeters meters) {
        this.store = store;
        this.meters = meters;
    }

    @Override
    public String get(Namespace namespace, String key) {
        return meters.time(Op.GET, () -> store.get(namespace, key));
    }

    @Override
    public StoredEntry getEntry(Namespace namespace, String key) {
        return meters.time(Op.GET, () -> store.getEntry(namespace, key));
    }

    @Override
    public String set(Namespace namespace, String key, String json, long ttlSeconds, Quota quota) {
        return meters.time(Op.SET, () -> store.set(namespace, key, json, ttlSeconds, quota));
    }

    @Override
    public String set(Namespace namespace, String key, String json, long ttlSeconds, Quota quota, Precondition condition) {
        return meters.time(Op.SET, () -> store.set(namespace, key, json, ttlSeconds, quota, condition));
    }

    @Override
    public void remove(Namespace namespace, String key) {
        meters.time(Op.REMOVE, () -> store.remove(namespace, key));
    }

    @Override
    public DataLifecycle lifecycle() {
        // not timed: administrative calls, rare, their time bounded by batches rather than by a request
        return store.lifecycle();
    }

    @Override
    public boolean remove(Namespace namespace, String key, Precondition condition) {
        return meters.time(Op.REMOVE, () -> store.remove(namespace, key, condition));
    }

    @Override
    public List<StoredEntry> getMany(Namespace namespace, List<String> keys) {
        return meters.time(Op.GET_MANY, () -> store.getMany(namespace, keys));
    }

    @Override
    public List<String> setMany(Namespace namespace, List<BatchWrite> writes, Quota quota) {
        return meters.time(Op.SET_MANY, () -> store.setMany(namespace, writes, quota));
    }

    @Override
    public List<Boolean> removeMany(Namespace namespace, List<String> keys) {
        return meters.time(Op.REMOVE_MANY, () -> store.removeMany(namespace, keys));
    }

    @Override
    public boolean isAvailable() {
        return store.isAvailable();
    }

    @Override
    public String engine() {
        return store.engine();
    }

    @Override
    public void close() {
        store.close();
    }
}
