package dev.extstorage.store;

import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.Paging;
import dev.extstorage.model.Precondition;

import java.util.List;

/**
 * The persistent tier's engine: JSON texts under keys, kept until removed, across restarts and crashes. A
 * write that returns normally is durable. Writes are atomic per key.
 *
 * <p>Bytes are counted as {@link dev.extstorage.model.Limits#entryCost} does: UTF-8 bytes of the key and of the
 * value plus a fixed overhead per entry. Each write is bounded twice ({@link Quota}): its namespace (one user's
 * user scope of the extension, or the extension's shared scope) and its extension (all namespaces together).
 * The checks are race-free under concurrent writers, also across server instances sharing one database: the
 * bounds are never passed, and the usage figures always equal the sums over the stored entries.
 *
 * <p>Every entry has a version ({@link Versions}), kept with it through restarts: each write gives it a new
 * one, returned by the write, and an entry removed and written again never gets an earlier one back. A write or
 * removal may carry a {@link Precondition}, checked in the same transaction as the change, so concurrent
 * writers, also in other server instances sharing one database, cannot slip in between: when it does not hold,
 * nothing changes and the call throws {@code PRECONDITION_FAILED} with the entry's current version ({@code
 * null} when absent). The precondition is checked before the bounds. A version costs no bytes of the bounds.
 */
public interface PersistentStore extends AutoCloseable {
    /** The JSON text stored under {@code key}, or {@code null}. */
    default String get(Namespace namespace, String key) {
        StoredEntry e = getEntry(namespace, key);
        return e == null ? null : e.json();
    }

    /** The entry stored under {@code key} with its version, or {@code null}. */
    StoredEntry getEntry(Namespace namespace, String key);

    /** As {@link #set(Namespace, String, String, Quota, Precondition)} without a condition. */
    default String set(Namespace namespace, String key, String json, Quota quota) {
        return set(namespace, key, json, quota, Precondition.NONE);
    }

    /**
     * Inserts or replaces the value of {@code key}, if {@code condition} holds for the entry as it is now. A
     * write that does not grow the bytes of its entry (an overwrite with a value no larger) is always accepted,
     * also above a bound, so data can shrink back under a lowered quota.
     *
     * @param quota     the most bytes the namespace ({@link Quota#ownerBytes()}) and the extension
     *                  ({@link Quota#extensionBytes()}) may hold after this write
     * @param condition what the entry's current state must be; {@link Precondition#NONE}: last writer wins
     * @return the entry's new version, durable with the value
     * @throws dev.extstorage.model.StorageException {@code PRECONDITION_FAILED} if {@code condition} does not
     *         hold, with the current version ({@link dev.extstorage.model.StorageException#version()});
     *         {@code QUOTA_EXCEEDED} if the write would grow the namespace
     *         or the extension past its bound (the namespace's is checked first); its {@code limit} is that
     *         bound, its {@code actual} what the namespace or extension would then hold, its message says which
     *         bound it is. Nothing is changed in either case.
     */
    String set(Namespace namespace, String key, String json, Quota quota, Precondition condition);

    /** Removes {@code key}, giving its bytes back to its namespace and extension; nothing happens if it is absent. */
    default void remove(Namespace namespace, String key) {
        remove(namespace, key, Precondition.NONE);
    }

    /**
     * Removes {@code key}, giving its bytes back, if {@code condition} holds for the entry as it is now; nothing
     * happens if it is absent (and the condition allows that).
     *
     * @return whether an entry was removed
     * @throws dev.extstorage.model.StorageException {@code PRECONDITION_FAILED} if {@code condition} does not
     *         hold, with the current version, and nothing is removed; {@code STORE_UNAVAILABLE}
     */
    boolean remove(Namespace namespace, String key, Precondition condition);

    /**
     * The entries stored under {@code keys}, in their order: one element per key, {@code null} for a key without
     * one. One statement. Keys are distinct and at most {@link dev.extstorage.model.Batches#MAX_KEYS} (the API
     * layer checks them).
     *
     * @param maxBytes the most bytes (as quotas count them) the entries found may take together
     * @throws dev.extstorage.model.StorageException {@code PAGE_TOO_LARGE} (limit {@code maxBytes}, actual their
     *         bytes) before any value is read, if they take more; {@code STORE_UNAVAILABLE}
     */
    List<StoredEntry> getMany(Namespace namespace, List<String> keys, long maxBytes);

    /**
     * Stores every write of the batch in {@code namespace} in one transaction, all or nothing: if a write's
     * precondition does not hold, or the batch would pass a bound, nothing is changed and the call throws as
     * {@link #set} would. The bounds are checked for the batch as a whole: a batch whose entries together do not
     * grow (the sum of new costs minus the costs of the entries replaced) is always accepted; any other is refused
     * when the namespace or the extension would hold more than its bound after the whole batch. Readers see all
     * of the batch or none of it. Each write gets a new version; all are durable when the call returns.
     *
     * @param writes distinct valid keys, at most {@link dev.extstorage.model.Batches#MAX_KEYS} (TTLs are ignored)
     * @return the new versions, in the order of {@code writes}
     * @throws dev.extstorage.model.StorageException {@code PRECONDITION_FAILED} (a write whose condition does not
     *         hold, with its current version), {@code QUOTA_EXCEEDED} (namespace first), {@code STORE_UNAVAILABLE}
     */
    List<String> setMany(Namespace namespace, List<BatchWrite> writes, Quota quota);

    /**
     * Removes every key of the batch (absent ones are no error) in one transaction, giving back their bytes.
     *
     * @return for each key, in order, whether an entry was removed
     * @throws dev.extstorage.model.StorageException {@code STORE_UNAVAILABLE}
     */
    List<Boolean> removeMany(Namespace namespace, List<String> keys);

    /**
     * Streams one page of the namespace's entries, the most recently changed first, to {@code sink}: {@link
     * PageSink#begin} with the namespace's total number of entries, {@link PageSink#entry} for each entry of the
     * page, {@link PageSink#end}. The total and the page come from one snapshot, so they agree. Entries are read
     * and handed over one at a time, never collected.
     *
     * @param maxPageBytes the most bytes (as quotas count them) the page's entries may take together
     * @throws dev.extstorage.model.StorageException {@code PAGE_TOO_LARGE} (limit {@code maxPageBytes}, actual
     *         the page's bytes) before the sink is called at all, if the page's entries take more than
     *         {@code maxPageBytes}; {@code STORE_UNAVAILABLE} if the store fails, possibly after {@code begin}
     *         and some entries (then without {@code end}). What the sink throws passes through unchanged.
     */
    void list(Namespace namespace, Paging paging, long maxPageBytes, PageSink sink);

    /** Bytes the extension holds now, all namespaces together. */
    long usedBytes(ExtensionId extension);

    /** What the namespace holds now: bytes and entries. */
    Usage usage(Namespace namespace);

    /** Listing by prefix, usage, purge, a user's export and erasure on this engine (SPEC section 9). */
    DataLifecycle lifecycle();

    /** The server-only secrets this engine keeps, apart from every entry (SPEC section 10). */
    SecretStore secrets();

    /** The encrypted rows (entries and secrets), for {@code reencrypt}. */
    SealedRows sealedRows();

        /** Whether the engine answers now (for {@code /health}); never throws. */
    boolean isAvailable();

    /** A short name for logs and {@code /health}: {@code sqlite}, {@code postgresql}. */
    String engine();

    @Override
    void close();

    /** What one namespace holds, as its bound counts it: bytes of its entries, and how many there are. */
    record Usage(long bytes, long entries) {
    }
}
