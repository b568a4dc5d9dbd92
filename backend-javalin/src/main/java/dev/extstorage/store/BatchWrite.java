package dev.extstorage.store;

import dev.extstorage.model.Precondition;

/**
 * One write of a batch ({@link EphemeralStore#setMany}, {@link PersistentStore#setMany}): a key, the JSON text to
 * store under it, its time to live (ephemeral tier; ignored by the persistent one) and its precondition.
 *
 * @param key        a valid key (the API layer checks it)
 * @param json       the text to store, checked by the value rule
 * @param ttlSeconds at least 1 on the ephemeral tier; {@code 0} on the persistent one
 * @param condition  what the entry's current state must be; {@link Precondition#NONE}: last writer wins
 */
public record BatchWrite(String key, String json, long ttlSeconds, Precondition condition) {
    public BatchWrite {
        if (key == null || json == null || condition == null) {
            throw new IllegalArgumentException("key, json and condition are required");
        }
    }

    /** A persistent write without a time to live. */
    public static BatchWrite of(String key, String json, Precondition condition) {
        return new BatchWrite(key, json, 0, condition);
    }
}
