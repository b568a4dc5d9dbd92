package dev.extstorage.api;

import dev.extstorage.model.Precondition;

/**
 * One entry of a batch write ({@code setManyJson} of {@link EphemeralStorage} and {@link PersistentStorage}), as
 * a REST batch body carries it: the key, the value already parsed and checked, and the options a single write
 * takes.
 *
 * @param key        the key (checked by the batch)
 * @param value      the value's checked text
 * @param ttlSeconds the time to live, required on the ephemeral tier (ignored on the persistent one)
 * @param condition  what the entry's current state must be; {@link Precondition#NONE}: last writer wins
 * @param encrypt    store the value encrypted (persistent tier only)
 */
public record BatchEntry(String key, JsonText value, long ttlSeconds, Precondition condition, boolean encrypt) {
    public BatchEntry {
        if (value == null) {
            throw new IllegalArgumentException("value is required");
        }
        condition = condition == null ? Precondition.NONE : condition;
    }
}
