package dev.extstorage.model;

/**
 * The value rule (SPEC sections 1 and 4), checked on a value's JSON text: nested at most {@link #MAX_DEPTH}
 * containers deep, no lone UTF-16 surrogate in any string (raw or written as a {@code \\u} escape), and at
 * most the configured number of bytes in its UTF-8 encoding. The browser checks the text
 * {@code JSON.stringify} gives; the server checks the compact text it is about to store. Both therefore
 * measure the same bytes.
 */
public final class JsonValues {
    /** Deepest nesting of arrays and objects a value may have; {@code []} is 1 deep, {@code 1} is 0 deep. */
    public static final int MAX_DEPTH = 64;

    /**
     * Bytes counted in an {@code int} before they are added to the {@code long} total: TeaVM compiles
     * {@code long} arithmetic to {@code BigInt} calls, which cost more than the rest of the browser's check
     * per character. A character adds at most 6, so the {@code int} never overflows.
     */
    private static final int FLUSH_BYTES = 1 << 30;

    private JsonValues() {
    }

    /**
     * Checks a value's JSON text, assumed to be well-formed JSON, and returns its size in UTF-8 bytes.
     *
     * @throws StorageException {@link ErrorCode#INVALID_VALUE} for depth or a lone surrogate,
     *                          {@link ErrorCode#VALUE_TOO_LARGE} above {@code maxBytes}
     */
    public static long requireValid(String json, long maxBytes) {
        int depth = 0;
        boolean inString = false;
        // a high surrogate seen in the current string whose low half must come next
        boolean pendingHigh = false;
        long bytes = 0;
        int counted = 0;
        int n = json.length();
        for (int i = 0; i < n; i++) {
            if (counted > FLUSH_BYTES) {
                bytes += counted;
                counted = 0;
            }
            char c = json.charAt(i);
            if (!inString) {
                if (c == '"') {
                    inString = true;
                } else if (c == '[' || c == '{') {
                    if (++depth > MAX_DEPTH) {
                        throw new StorageException(ErrorCode.INVALID_VALUE,
                                "Value must not be nested deeper than " + MAX_DEPTH + " levels", MAX_DEPTH,
                                depth);
                    }
                } else if (c == ']' || c == '}') {
                    depth--;
                }
                counted += Utf8.unitLength(c);
                continue;
            }
            int unit;
            if (c == '\\' && i + 1 < n) {
                char e = json.charAt(i + 1);
                if (e == 'u' && i + 5 < n) {
                    unit = parseHex4(json, i + 2);
                    counted += 6;
                    i += 5;
                } else {
                    unit = -1;
                    counted += 2;
                    i++;
                }
            } else if (c == '"') {
                unit = -2;
                counted += 1;
            } else {
                unit = c;
                counted += Utf8.unitLength(c);
            }
            if (pendingHigh && (unit < 0xDC00 || unit > 0xDFFF)) {
                throw loneSurrogate();
            }
            if (unit >= 0xD800 && unit <= 0xDBFF) {
                pendingHigh = true;
            } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
                if (!pendingHigh) {
                    throw loneSurrogate();
                }
                pendingHigh = false;
            }
            if (unit == -2) {
                inString = false;
            }
        }
        bytes += counted;
        if (bytes > maxBytes) {
            throw new StorageException(ErrorCode.VALUE_TOO_LARGE,
                    "Value is " + NumberText.decimal(bytes) + " bytes encoded, above the limit of "
                            + NumberText.decimal(maxBytes), maxBytes, bytes);
        }
        return bytes;
    }

    private static StorageException loneSurrogate() {
        return new StorageException(ErrorCode.INVALID_VALUE, "Value must not hold a lone UTF-16 surrogate");
    }

    private static int parseHex4(String s, int from) {
        int v = 0;
        for (int i = from; i < from + 4; i++) {
            int d = PercentEncoding.hexDigit(s.charAt(i));
            if (d < 0) {
                return 0;
            }
            v = v * 16 + d;
        }
        return v;
    }
}
