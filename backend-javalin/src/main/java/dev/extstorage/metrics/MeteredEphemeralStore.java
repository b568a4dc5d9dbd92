package dev.extstorage.metrics;

import dev.extstorage.metrics.StoreMeters.Op;
import dev.extstorage.store.EphemeralStore;
import dev.extstorage.store.Namespace;
import dev.extstorage.store.Quota;

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
        long start = System.nanoTime();
        try {
            String json = store.get(namespace, key);
            meters.ok(Op.GET, start);
            return json;
        } catch (RuntimeException e) {
            meters.failed(Op.GET, start, e);
            throw e;
        }
    }

    @Override
    public void set(Namespace namespace, String key, String json, long ttlSeconds, Quota quota) {
        long start = System.nanoTime();
        try {
            store.set(namespace, key, json, ttlSeconds, quota);
            meters.ok(Op.SET, start);
        } catch (RuntimeException e) {
            meters.failed(Op.SET, start, e);
            throw e;
        }
    }

    @Override
    public void remove(Namespace namespace, String key) {
        long start = System.nanoTime();
        try {
            store.remove(namespace, key);
            meters.ok(Op.REMOVE, start);
        } catch (RuntimeException e) {
            meters.failed(Op.REMOVE, start, e);
            throw e;
        }
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
