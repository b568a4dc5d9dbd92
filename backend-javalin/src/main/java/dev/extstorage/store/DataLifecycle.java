package dev.extstorage.store;

import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.Paging;
import dev.extstorage.model.ResourceRef;

import java.util.List;

/**
 * What one tier's engine does with data as a whole rather than key by key (SPEC section 9): listing by prefix,
 * usage figures, the purge of an extension, a user's export and erasure, the extensions holding data. Each
 * engine has one, reached through {@link EphemeralStore#lifecycle()} or {@link PersistentStore#lifecycle()}.
 *
 * <p>Work is bounded per call where the engine allows: SQL engines delete in transactions of at most
 * {@link #BATCH} rows, each committed before the next, so no lock is held for long and other writes interleave;
 * Redis is walked with {@code SCAN} (never {@code KEYS}) and cleared with {@code UNLINK}, {@value #BATCH} keys
 * at a time, so no single command blocks it. Purge and erasure keep the usage figures equal to what is left.
 * A write that races a purge of the same extension may survive it (it is then counted as usual): a purge
 * empties what was there when it started, it does not bar new writes (uninstall the extension for that).
 */
public interface DataLifecycle {
    /** Rows deleted per transaction, keys per {@code SCAN} step and per {@code UNLINK}. */
    int BATCH = 1000;

    /**
     * Streams one page of the namespace's entries whose keys start with {@code prefix} (literally: see
     * {@link dev.extstorage.model.KeyPrefixes}), as {@link PersistentStore#list} does: {@code begin} with the
     * number of such entries, the page's entries (persistent: newest change first; ephemeral: by key), {@code end}.
     *
     * @throws dev.extstorage.model.StorageException {@code PAGE_TOO_LARGE} before the sink is called if the page
     *         costs more than {@code maxPageBytes}; {@code STORE_UNAVAILABLE}
     */
    void list(Namespace namespace, String prefix, Paging paging, long maxPageBytes, PageSink sink);

    /**
     * What the extension holds on this tier: all of it, its shared scope and, if {@code userIdOrNull} is given,
     * that user's user scope (else zeros). Bytes as quotas count them; entries as stored (the ephemeral engines
     * count live entries).
     */
    ExtensionUsage usage(ExtensionId extension, String userIdOrNull);

    /** The ids ({@code publisher.name}) of every extension holding data on this tier, installed or not, sorted. */
    List<String> extensionsWithData();

    /** Removes every entry of the extension, all scopes and users; returns how many were removed. */
    long purge(ExtensionId extension);

    /** Hands every user-scoped entry of {@code userId}, all extensions, to {@code sink}, one at a time. */
    void exportUser(String userId, UserEntrySink sink);

    /** Removes every user-scoped entry of {@code userId}, all extensions; returns how many were removed. */
    long eraseUser(String userId);

    /**
     * Removes every entry of {@code resource} (SPEC section 10), all extensions, scopes and users, giving their
     * bytes back; returns how many were removed. Only the persistent tier has resource entries: the ephemeral
     * engines have none to remove.
     */
    default long purgeResource(ResourceRef resource) {
        return 0;
    }
}
