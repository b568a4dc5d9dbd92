package dev.extstorage.store;

import dev.extstorage.model.Limits;
import dev.extstorage.model.Utf8;

/** What an entry costs its quotas, counted alike by every engine: {@link Limits#entryCost} of its {@link Utf8} bytes. */
public final class EntryCost {
    private EntryCost() {
    }

    /** The cost of an entry with this key and value. */
    public static long of(String key, String json) {
        return Limits.entryCost(Utf8.length(key), Utf8.length(json));
    }

    /** The part of an entry's cost that does not depend on its value: its key and the fixed overhead. */
    public static long ofKey(String key) {
        return Limits.entryCost(Utf8.length(key), 0);
    }
}
