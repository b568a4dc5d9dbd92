package dev.extstorage.store.redis;

import dev.extstorage.store.StoredEntry;
import dev.extstorage.store.Versions;

/**
 * How an entry's Redis string holds its version and its JSON text: {@code '#'}, the 16 hex digits of the
 * version, then the JSON text as written (the scripts of {@link RedisQuotaScripts} write it so). No JSON text
 * starts with {@code '#'}, so a string without the header is an entry written before versions existed: all of
 * it is the JSON text, its version {@link Versions#LEGACY}.
 */
final class RedisEntries {
    /** The header's length: {@code '#'} and 16 hex digits. */
    static final int HEADER_CHARS = 17;

    private RedisEntries() {
    }

    /** The entry a Redis string holds; {@code null} for {@code null} (no such key). */
    static StoredEntry parse(String stored) {
        if (stored == null) {
            return null;
        }
        if (stored.length() >= HEADER_CHARS && stored.charAt(0) == '#') {
            return new StoredEntry(stored.substring(HEADER_CHARS), stored.substring(1, HEADER_CHARS));
        }
        return new StoredEntry(stored, Versions.LEGACY);
    }
}
