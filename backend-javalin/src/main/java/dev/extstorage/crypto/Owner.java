package dev.extstorage.crypto;

/**
 * Whose value a ciphertext is: bound into its key and its associated data, so a value copied to another
 * extension, scope, owner or key does not decrypt there.
 *
 * @param extension the extension id ({@code publisher.name})
 * @param scope     {@code user} or {@code shared}
 * @param owner     the user's storage form for the user scope, {@code ""} for shared
 * @param key       the entry's key
 */
public record Owner(String extension, String scope, String owner, String key) {
    /** What a per-owner key is derived for: the extension, the scope and the user (not the entry key). */
    byte[] keyInfo() {
        return join("extension-storage/v1/key", extension, scope, owner);
    }

    /** Associated data of one value: the key id and everything the value belongs to. */
    byte[] associatedData(String keyId) {
        return join("extension-storage/v1/value", keyId, extension, scope, owner, key);
    }

    /** Length-prefixed parts, so no two different tuples give the same bytes. */
    private static byte[] join(String... parts) {
        var out = new java.io.ByteArrayOutputStream();
        for (String part : parts) {
            byte[] b = part.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            out.write(b.length >>> 24);
            out.write(b.length >>> 16);
            out.write(b.length >>> 8);
            out.write(b.length);
            out.writeBytes(b);
        }
        return out.toByteArray();
    }
}
