package dev.extstorage.api;

import dev.extstorage.crypto.KeyRing;
import dev.extstorage.crypto.Owner;
import dev.extstorage.crypto.ValueCipher;
import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.StorageException;
import dev.extstorage.model.StoredValues;
import dev.extstorage.store.Namespace;
import dev.extstorage.store.PageSink;
import dev.extstorage.store.StoredEntry;

/**
 * Encryption at rest of persistent values (SPEC section 10), in the one place every persistent path goes
 * through, so all database engines share it and no engine sees a plaintext it was asked to protect. A sealed
 * value is stored as {@link StoredValues#encrypted} text; reads open it for the entry's {@link Owner}, so a row
 * copied to another extension, scope, user or key fails with {@code FORBIDDEN} ({@link ValueCipher#open}).
 */
final class AtRest {
    private final ValueCipher cipher;

    /** @param ring the server's keys, or {@code null}: then nothing may be sealed */
    AtRest(KeyRing ring) {
        this.cipher = ring == null ? null : new ValueCipher(ring);
    }

    /** Whether the server has keys. */
    boolean enabled() {
        return cipher != null;
    }

    /**
     * The text to store for {@code json} under {@code key} in {@code ns}.
     *
     * @throws StorageException INVALID_BODY without a key ring
     */
    String seal(Namespace ns, String key, String json) {
        if (cipher == null) {
            throw new StorageException(ErrorCode.INVALID_BODY,
                    "This server has no encryption keys (EXT_STORAGE_ENCRYPTION_KEYS); 'encrypt' cannot be honoured");
        }
        return StoredValues.encrypted(cipher.seal(json, owner(ns, key)));
    }

    /**
     * The value of stored text as it was written: plain text unchanged, an encrypted one opened.
     *
     * @throws StorageException FORBIDDEN (does not decrypt for this owner), STORE_UNAVAILABLE (its key is gone,
     *                          or the server has no keys at all)
     */
    String open(Namespace ns, String key, String stored) {
        if (stored == null || !StoredValues.isEncrypted(stored)) {
            return stored;
        }
        if (cipher == null) {
            throw new StorageException(ErrorCode.STORE_UNAVAILABLE,
                    "A stored value is encrypted, and this server has no EXT_STORAGE_ENCRYPTION_KEYS");
        }
        return cipher.open(StoredValues.envelopeOf(stored), owner(ns, key));
    }

    StoredEntry open(Namespace ns, String key, StoredEntry e) {
        return e == null || !StoredValues.isEncrypted(e.json()) ? e : new StoredEntry(open(ns, key, e.json()), e.version());
    }

    /**
     * {@code sink} given opened values. An entry that does not open ends the listing with its error (as any
     * store failure does): a listing never shows a page that silently leaves an entry out.
     */
    PageSink opening(Namespace ns, PageSink sink) {
        return new PageSink() {
            @Override
            public void begin(long total, long pageBytes) {
                sink.begin(total, pageBytes);
            }

            @Override
            public void entry(String key, String json) {
                sink.entry(key, open(ns, key, json));
            }

            @Override
            public void end() {
                sink.end();
            }
        };
    }

    /**
     * The envelope of a server-only secret's text {@code text} under {@code key} in {@code ns}: sealed for the
     * {@link Owner#SECRET} domain, so it opens as no storage value (nor a storage value as a secret).
     *
     * @throws IllegalStateException without a key ring: secrets are never stored in the clear
     */
    String sealSecret(Namespace ns, String key, String text) {
        return requireCipher().seal(text, secretOwner(ns, key));
    }

    /**
     * The text of a secret's envelope.
     *
     * @throws StorageException FORBIDDEN (it does not decrypt for this owner: moved from another owner, key or
     *                          table), STORE_UNAVAILABLE (its key is gone)
     */
    String openSecret(Namespace ns, String key, String envelope) {
        return requireCipher().open(envelope, secretOwner(ns, key));
    }

    /** The id of the key that seals new values; only with {@link #enabled()}. */
    String currentKeyId() {
        return requireCipher().currentKeyId();
    }

    /** @throws IllegalStateException without a key ring (secrets need one) */
    void requireKeys() {
        requireCipher();
    }

    private ValueCipher requireCipher() {
        if (cipher == null) {
            throw new IllegalStateException("Secrets need encryption keys: this server has no "
                    + "EXT_STORAGE_ENCRYPTION_KEYS, and secrets are never stored in the clear");
        }
        return cipher;
    }

    private static Owner secretOwner(Namespace ns, String key) {
        return secretOwner(ns.extension().id(), ns.scope().wireName(), ns.ownerStorageForm(), key);
    }

    /** The owner of a secret from its row's columns ({@code owner}: {@link Namespace#ownerStorageForm()}). */
    static Owner secretOwner(String extension, String scope, String owner, String key) {
        return new Owner(Owner.SECRET, extension, scope, owner, key);
    }

    /**
     * Whose value it is, bound into the key derivation and the associated data. A resource entry's key is
     * preceded by its resource and U+0000, which no key holds, so a row moved between resources, or between a
     * resource and the plain entries, does not open either.
     */
    static Owner owner(Namespace ns, String key) {
        return owner(ns.extension().id(), ns.scope().wireName(), ns.ownerStorageForm(), ns.resourceStorageForm(), key);
    }

    /**
     * As {@link #owner(Namespace, String)}, from a row's columns ({@code reencrypt}, which reads rows of every
     * namespace): {@code owner} is the namespace's {@link Namespace#ownerStorageForm()}, {@code resource}
     * {@code ""} for plain entries.
     */
    static Owner owner(String extension, String scope, String owner, String resource, String key) {
        String bound = resource.isEmpty() ? key : resource + "\u0000" + key;
        return new Owner(extension, scope, owner, bound);
    }
}
