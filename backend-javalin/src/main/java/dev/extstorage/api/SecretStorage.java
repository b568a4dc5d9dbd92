package dev.extstorage.api;

import dev.extstorage.model.Scope;
import dev.extstorage.store.Namespace;
import dev.extstorage.store.SecretStore;
import dev.extstorage.store.StoredEntry;

import java.util.List;
import java.util.Set;

/**
 * Server-only secrets of one extension (SPEC section 10): the extension's own ({@link #shared()}) or one user's
 * ({@link #forUser}), for values its server code needs and no browser may ever see (an API token of a third
 * party, a user's refresh token). No REST route and no browser call reads, lists or changes them; they are in no
 * listing, usage figure, export or change event of the storage tiers, and count in no quota. Removing the
 * extension's data (purge) removes its secrets; erasing a user's data removes that user's.
 *
 * <p>Values are encrypted at rest as {@code encrypt: true} values are (AES-256-GCM with a key derived per
 * extension and owner from the key ring), in another domain: a secret's row copied into the storage table, or a
 * storage row into the secrets, or a secret moved to another owner or key, does not decrypt
 * ({@code FORBIDDEN}). Keys follow the storage key rule, values the value limit; a {@code byte[]} is a binary
 * value (read back with {@link #getBytes}), a {@code String} a JSON string ({@link #getString}), any other object
 * its JSON. Writes are durable when they return, last writer wins. The extension's server code is trusted: any
 * view reaches the extension's own secrets and any of its users' ({@link #forUser}), never another extension's.
 * Without a key ring there are no secrets: {@link ExtensionStorage#secrets()} throws
 * {@code IllegalStateException}.
 *
 * <pre>{@code
 * SecretStorage secrets = service.forExtension(ExtensionId.of("acme", "notes")).secrets();
 * secrets.set("crm-api-token", "tok_live_123");
 * String token = secrets.getString("crm-api-token");
 * secrets.forUser("alice").set("oauth-refresh", refreshTokenBytes);
 * }</pre>
 */
public final class SecretStorage extends JsonReads {
    SecretStorage(TierAccess access) {
        super(access);
    }

    /** The extension's own secrets (not any user's), whichever caller this view was made for. */
    public SecretStorage shared() {
        return new SecretStorage(access.shared());
    }

    /**
     * The secrets of user {@code userId} of this extension: apart from every other user's and from the
     * extension's own.
     *
     * @throws dev.extstorage.model.StorageException NOT_AUTHENTICATED if the id breaks the user id rule
     */
    public SecretStorage forUser(String userId) {
        return new SecretStorage(new TierAccess(access.service, access.extension, Caller.user(userId, Set.of()),
                Scope.USER));
    }

    @Override
    StoredEntry stored(String key) {
        Namespace ns = access.readable();
        String k = TierAccess.key(key);
        StoredEntry e = store().get(ns, k);
        return e == null ? null : new StoredEntry(access.service.atRest().openSecret(ns, k, e.json()), e.version());
    }

    /** The value of {@code key} if it is a string, or {@code null} when absent. */
    public String getString(String key) {
        return get(key, String.class);
    }

    /**
     * Stores {@code value} under {@code key}, sealed.
     *
     * @return the secret's new version
     * @throws dev.extstorage.model.StorageException INVALID_KEY, INVALID_VALUE, VALUE_TOO_LARGE, NOT_AUTHENTICATED
     *         (a user's view without a user), STORE_UNAVAILABLE
     */
    public String set(String key, Object value) {
        // no shared-write role: that rule is for users over REST; only the extension's server code comes here
        Namespace ns = access.readable();
        String k = TierAccess.key(key);
        String text = access.encode(value).toString();
        AtRest atRest = access.service.atRest();
        return store().put(ns, k, atRest.currentKeyId(), atRest.sealSecret(ns, k, text));
    }

    /** Removes {@code key}; whether a secret was removed. */
    public boolean remove(String key) {
        return store().remove(access.readable(), TierAccess.key(key));
    }

    /**
     * Up to {@code limit} keys (1 to {@value SecretStore#MAX_KEYS_PER_PAGE}) of this view's secrets after
     * {@code afterKey} ({@code null}: from the first), sorted: page on with the last key of a page.
     */
    public List<String> keys(String afterKey, int limit) {
        if (limit < 1 || limit > SecretStore.MAX_KEYS_PER_PAGE) {
            throw new IllegalArgumentException("limit must be 1-" + SecretStore.MAX_KEYS_PER_PAGE);
        }
        return store().keys(access.readable(), afterKey, limit);
    }

    private SecretStore store() {
        return access.service.persistentStore().secrets();
    }
}
