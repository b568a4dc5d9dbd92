package dev.extstorage.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Whose value a ciphertext is: bound into its key and its associated data, so a value copied to another
 * extension, scope, owner or key, or from one domain to another (a storage value into the secrets, or back),
 * does not decrypt there.
 *
 * @param domain    what the value is: {@link #VALUE} (a storage entry) or {@link #SECRET} (a server-only secret)
 * @param extension the extension id ({@code publisher.name})
 * @param scope     {@code user} or {@code shared}
 * @param owner     the user's storage form for the user scope, {@code ""} for shared
 * @param key       the entry's key
 */
public record Owner(String domain, String extension, String scope, String owner, String key) {
    /** The domain of storage entries' values (the labels of the first release, so their values still open). */
    public static final String VALUE = "value";
    /** The domain of server-only secrets: another derived key and other associated data than storage values'. */
    public static final String SECRET = "secret";

    public Owner {
        if (!VALUE.equals(domain) && !SECRET.equals(domain)) {
            throw new IllegalArgumentException("domain must be 'value' or 'secret'");
        }
    }

    /** The owner of a storage entry's value. */
    public Owner(String extension, String scope, String owner, String key) {
        this(VALUE, extension, scope, owner, key);
    }

    /** What a per-owner key is derived for: the domain, the extension, the scope and the user (not the key). */
    byte[] keyInfo() {
        return join(VALUE.equals(domain) ? "extension-storage/v1/key" : "extension-storage/v1/secret-key",
                extension, scope, owner);
    }

    /** Associated data of one value: the domain, the key id and everything the value belongs to. */
    byte[] associatedData(String keyId) {
        return join("extension-storage/v1/" + domain, keyId, extension, scope, owner, key);
    }

    /** Length-prefixed parts, so no two different tuples give the same bytes. */
    private static byte[] join(String... parts) {
        var out = new ByteArrayOutputStream();
        for (String part : parts) {
            byte[] b = part.getBytes(StandardCharsets.UTF_8);
            out.write(b.length >>> 24);
            out.write(b.length >>> 16);
            out.write(b.length >>> 8);
            out.write(b.length);
            out.writeBytes(b);
        }
        return out.toByteArray();
    }
}
