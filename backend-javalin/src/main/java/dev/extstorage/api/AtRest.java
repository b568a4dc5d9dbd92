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
     * Whose value it is, bound into the key derivation and the associated data. A resource entry's key is
     * preceded by its resource and U+0000, which no key holds, so a row moved between resources, or between a
     * resource and the plain entries, does not open either.
     */
    static Owner owner(Namespace ns, String key) {
        String bound = ns.resource() == null ? key : ns.resource().storageForm() + "\u0000" + key;
        return new Owner(ns.extension().id(), ns.scope().wireName(), ns.ownerStorageForm(), bound);
    }
}
