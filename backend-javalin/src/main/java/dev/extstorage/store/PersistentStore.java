package dev.extstorage.store;

import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.Paging;

import java.util.List;

/**
 * The persistent tier's engine: JSON texts under keys, kept until removed, across restarts and crashes. A
 * write that returns normally is durable. Writes are atomic per key. Each extension's entries (all scopes and
 * users together) may take at most a quota of bytes, counted as the UTF-8 bytes of the key plus the value;
 * the check is race-free under concurrent writers, also across server instances sharing one database.
 */
public interface PersistentStore extends AutoCloseable {
    /** The JSON text stored under {@code key}, or {@code null}. */
    String get(Namespace namespace, String key);

    /**
     * Inserts or replaces the value of {@code key}.
     *
     * @param quotaBytes the most bytes the extension may hold after this write
     * @throws dev.extstorage.model.StorageException {@code QUOTA_EXCEEDED} (with limit and actual) if the
     *         extension would then hold more than {@code quotaBytes}; nothing is changed in that case
     */
    void set(Namespace namespace, String key, String json, long quotaBytes);

    /** Removes {@code key}; nothing happens if it is absent. */
    void remove(Namespace namespace, String key);

    /** One page of the namespace's entries, the most recently changed first, and how many there are in all. */
    ListPage list(Namespace namespace, Paging paging);

    /** Bytes the extension holds now, all namespaces together. */
    long usedBytes(ExtensionId extension);

    /** Whether the engine answers now (for {@code /health}); never throws. */
    boolean isAvailable();

    /** A short name for logs and {@code /health}: {@code sqlite}, {@code postgresql}. */
    String engine();

    @Override
    void close();

    /** An entry of a listing. */
    record Entry(String key, String json) {
    }

    /** A page of a listing and the total number of entries of the namespace. */
    record ListPage(List<Entry> entries, long total) {
    }
}
