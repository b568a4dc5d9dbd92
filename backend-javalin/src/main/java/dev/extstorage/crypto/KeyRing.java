package dev.extstorage.crypto;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The master keys of encryption at rest, from {@code EXT_STORAGE_ENCRYPTION_KEYS=<id>:<base64 of 32 bytes>[,...]}:
 * the first key encrypts every new value, every key decrypts what it encrypted, so keys rotate by putting a new
 * one first and keeping the old ones until {@code reencrypt} has run. Ids are 1-32 of {@code A-Z a-z 0-9 _ -}.
 */
public final class KeyRing {
    public static final int KEY_BYTES = 32;
    private static final int MAX_ID_LENGTH = 32;

    private final String currentId;
    private final Map<String, byte[]> keys;

    private KeyRing(String currentId, Map<String, byte[]> keys) {
        this.currentId = currentId;
        this.keys = keys;
    }

    /**
     * @throws IllegalArgumentException naming what is wrong (never the key material): an empty list, a bad or
     *                                  repeated id, a key that is not base64 of exactly 32 bytes
     */
    public static KeyRing parse(String spec) {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        String first = null;
        for (String item : spec.split(",", -1)) {
            String entry = item.trim();
            int colon = entry.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("each key must be <id>:<base64 of 32 bytes>");
            }
            String id = entry.substring(0, colon).trim();
            if (!isValidId(id)) {
                throw new IllegalArgumentException("key id '" + id + "' must be 1-" + MAX_ID_LENGTH
                        + " of A-Z a-z 0-9 _ -");
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(entry.substring(colon + 1).trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("key '" + id + "' is not base64");
            }
            if (key.length != KEY_BYTES) {
                throw new IllegalArgumentException("key '" + id + "' must be " + KEY_BYTES + " bytes, is " + key.length);
            }
            if (keys.put(id, key) != null) {
                throw new IllegalArgumentException("key id '" + id + "' appears twice");
            }
            first = first == null ? id : first;
        }
        return new KeyRing(first, keys);
    }

    static boolean isValidId(String id) {
        if (id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** The id of the key that encrypts new values. */
    public String currentId() {
        return currentId;
    }

    /** The master key of {@code id}, or {@code null} if the ring has none of that id. */
    byte[] key(String id) {
        return keys.get(id);
    }
}
