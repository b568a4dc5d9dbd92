package dev.extstorage.model;

/**
 * How many bytes text takes in UTF-8: the one count the value limit, the quotas and the browser's checks all
 * use. A surrogate pair takes 4 bytes, each half counted 2, so a count over UTF-16 units needs no look-ahead
 * (a lone surrogate, which no valid key or value holds, counts 2).
 */
public final class Utf8 {
    private Utf8() {
    }

    /** Bytes one UTF-16 unit takes: 1 below U+0080, 2 below U+0800 and for each surrogate half, else 3. */
    public static int unitLength(char c) {
        if (c < 0x80) {
            return 1;
        }
        if (c < 0x800 || Character.isSurrogate(c)) {
            return 2;
        }
        return 3;
    }

    /** Bytes {@code s} takes in UTF-8. */
    public static long length(CharSequence s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            n += unitLength(s.charAt(i));
        }
        return n;
    }
}
