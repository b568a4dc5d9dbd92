package dev.extstorage.metrics;

import dev.extstorage.metrics.StoreMeters.Op;
import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.Paging;
import dev.extstorage.model.Precondition;
import dev.extstorage.store.BatchWrite;
import dev.extstorage.store.DataLifecycle;
import dev.extstorage.store.Namespace;
import dev.extstorage.store.PageSink;
import dev.extstorage.store.PersistentStore;
import dev.extstorage.store.Quota;
import dev.extstorage.store.SealedRows;
import dev.extstorage.store.SecretStore;
import dev.extstorage.store.StoredEntry;

import java.util.List;

/**
 * A persistent store whose calls are timed and whose failures are counted ({@link StoreMeters}). A listing's
 * time includes handing its entries to the sink (the answer being written); what the sink throws (the client
 * went away) is not the store's failure and counts as {@code ok}.
 */
final class MeteredPersistentStore implements PersistentStore {
    private final PersistentStore store;
    private final StoreMeters meters;

    MeteredPersistentStore(PersistentStore store, StoreMeters meters) {
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
    public String set(Namespace namespace, String key, String json, Quota quota) {
        return meters.time(Op.SET, () -> store.set(namespace, key, json, quota));
    }

    @Override
    public String set(Namespace namespace, String key, String json, Quota quota, Precondition condition) {
        return meters.time(Op.SET, () -> store.set(namespace, key, json, quota, condition));
    }

    @Override
    public void remove(Namespace namespace, String key) {
        meters.time(Op.REMOVE, () -> store.remove(namespace, key));
    }

    @Override
    public boolean remove(Namespace namespace, String key, Precondition condition) {
        return meters.time(Op.REMOVE, () -> store.remove(namespace, key, condition));
    }

    @Override
    public void list(Namespace namespace, Paging paging, long maxPageBytes, PageSink sink) {
        long start = System.nanoTime();
        SinkWatch watched = new SinkWatch(sink);
        try {
            store.list(namespace, paging, maxPageBytes, watched);
            meters.ok(Op.LIST, start);
        } catch (RuntimeException e) {
            if (watched.threw) {
                meters.ok(Op.LIST, start);
            } else {
                meters.failed(Op.LIST, start, e);
            }
            throw e;
        }
    }

    @Override
    public long usedBytes(ExtensionId extension) {
        return meters.time(Op.USED_BYTES, () -> store.usedBytes(extension));
    }

    @Override
    public Usage usage(Namespace namespace) {
        return meters.time(Op.USAGE, () -> store.usage(namespace));
    }

    @Override
    public DataLifecycle lifecycle() {
        // not timed: administrative calls, rare, their time bounded by batches rather than by a request
        return store.lifecycle();
    }

    @Override
    public List<StoredEntry> getMany(Namespace namespace, List<String> keys, long maxBytes) {
        return meters.time(Op.GET_MANY, () -> store.getMany(namespace, keys, maxBytes));
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
    public SecretStore secrets() {
        // not timed: secrets are no storage request (no route reaches them)
        return store.secrets();
    }

    @Override
    public SealedRows sealedRows() {
        return store.sealedRows();
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

    /** The sink, noting whether it threw (then the failure is the answer's, not the store's). */
    private static final class SinkWatch implements PageSink {
        private final PageSink sink;
        boolean threw;

        SinkWatch(PageSink sink) {
            this.sink = sink;
        }

        @Override
        public void begin(long total, long pageBytes) {
            try {
                sink.begin(total, pageBytes);
            } catch (RuntimeException e) {
                threw = true;
                throw e;
            }
        }

        @Override
        public void entry(String key, String json) {
            try {
                sink.entry(key, json);
            } catch (RuntimeException e) {
                threw = true;
                throw e;
            }
        }

        @Override
        public void end() {
            try {
                sink.end();
            } catch (RuntimeException e) {
                threw = true;
                throw e;
            }
        }
    }
}
