package dev.extstorage.store;

import dev.extstorage.model.ExtensionId;

import java.util.List;
import java.util.Map;

/**
 * Where the persistent engine keeps server-only secrets (SPEC section 10): sealed texts under keys, per
 * namespace (the extension's shared scope, or one user's user scope; never a resource), in a table of their own
 * that no listing, usage figure, export or change event of the storage entries reads. The engine never sees a
 * plaintext: callers seal before {@link #put} and open after {@link #get}
 * ({@code dev.extstorage.api.SecretStorage}). A write that returns normally is durable; writes are atomic per
 * key, last writer wins. Secrets count in no quota: only an extension's own server code writes them.
 */
public interface SecretStore {
    /** The most keys {@link #keys} hands out per call. */
    int MAX_KEYS_PER_PAGE = 1000;

    /** The sealed text stored under {@code key} with its version, or {@code null}. */
    StoredEntry get(Namespace namespace, String key);

    /**
     * Inserts or replaces the secret of {@code key}.
     *
     * @param keyId  the id of the key-ring key that sealed it (what {@code reencrypt} looks for)
     * @param sealed the sealed text
     * @return the secret's new version
     * @throws dev.extstorage.model.StorageException {@code STORE_UNAVAILABLE}
     */
    String put(Namespace namespace, String key, String keyId, String sealed);

    /** Removes {@code key}; whether a secret was removed. */
    boolean remove(Namespace namespace, String key);

    /**
     * Up to {@code limit} (at most {@value #MAX_KEYS_PER_PAGE}) keys of the namespace's secrets that sort after
     * {@code afterKey} ({@code null}: from the first), in the order the engine sorts text: page on with the
     * last key of a page.
     */
    List<String> keys(Namespace namespace, String afterKey, int limit);

    /** How many secrets the extension has, all scopes and users. */
    long count(ExtensionId extension);

    /**
     * How many secrets each extension that has any holds, all scopes and users, by id ({@code publisher.name}):
     * one read for every extension, where {@link #count} reads one.
     */
    Map<String, Long> countsByExtension();

    /** Removes every secret of the extension, all scopes and users, in bounded batches; how many were removed. */
    long purge(ExtensionId extension);

    /** Removes every user-scoped secret of {@code userId}, all extensions, in bounded batches; how many. */
    long eraseUser(String userId);
}
