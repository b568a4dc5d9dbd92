package dev.extstorage.store;

import dev.extstorage.model.Limits;

/** What an entry costs its quotas, counted alike by every engine: {@link Limits#entryCost} of its UTF-8 bytes. */
public final class EntryCost {
    private EntryCost() {
    }

    /** The cost of an entry with this key and value. */
    public static long of(String key, String json) {
        return Limits.entryCost(utf8Length(key), utf8Length(json));
    }

    /** The part of an entry's cost that does not depend on its value: its key and the fixed overhead. */
    public static long ofKey(String key) {
        return Limits.entryCost(utf8Length(key), 0);
    }

    /** UTF-8 length of well-formed text (a lone surrogate counts 3, as its replacement would). */
    public static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
