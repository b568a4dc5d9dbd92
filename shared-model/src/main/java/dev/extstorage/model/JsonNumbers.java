package dev.extstorage.model;

/**
 * Reads JSON number text without expanding it: {@code 1e999999999} costs what {@code 1} costs, because the
 * value is decided from the digits and the exponent's size alone, never by building the number. Used for
 * integer members of request bodies (the ephemeral TTL).
 */
public final class JsonNumbers {
    /** {@link #wholeValue} of a number that is not a whole number ({@code 1.5}, {@code 1e-3}). */
    public static final long NOT_WHOLE = Long.MIN_VALUE;
    /** {@link #wholeValue} of a whole number above {@link Long#MAX_VALUE} ({@code 1e19}). */
    public static final long TOO_LARGE = Long.MAX_VALUE;
    /** {@link #wholeValue} of a whole number below {@code Long.MIN_VALUE + 1}. */
    public static final long TOO_SMALL = Long.MIN_VALUE + 1;

    /** Digits beyond this many cannot form a {@code long}: 19 digits are 10^18 and more. */
    private static final int MAX_LONG_DIGITS = 18;

    private JsonNumbers() {
    }

    /**
     * The whole number a JSON number text stands for ({@code 300}, {@code 3e2}, {@code 300.0} and
     * {@code 30000e-2} are all 300), in time linear in the text's length whatever its exponent.
     *
     * @param text a JSON number as the grammar of RFC 8259 has it (as a JSON parser's token text)
     * @return the value; {@link #NOT_WHOLE} if it has a fraction; {@link #TOO_LARGE} / {@link #TOO_SMALL} if
     *         its magnitude needs more than 18 digits (saturating, so callers compare against their bounds)
     * @throws IllegalArgumentException if {@code text} is not a JSON number
     */
    public static long wholeValue(String text) {
        int n = text.length();
        int i = 0;
        boolean negative = i < n && text.charAt(i) == '-';
        if (negative) {
            i++;
        }
        // the significant digits, without leading zeros, and how many of them came after the point
        StringBuilder digits = new StringBuilder();
        long fractionDigits = 0;
        boolean sawDigit = false;
        boolean afterPoint = false;
        for (; i < n; i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                sawDigit = true;
                if (digits.length() > 0 || c != '0') {
                    digits.append(c);
                }
                if (afterPoint) {
                    fractionDigits++;
                }
            } else if (c == '.' && !afterPoint) {
                afterPoint = true;
            } else {
                break;
            }
        }
        if (!sawDigit) {
            throw new IllegalArgumentException("not a JSON number");
        }
        long exponent = 0;
        if (i < n && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            i++;
            boolean negativeExponent = i < n && text.charAt(i) == '-';
            if (i < n && (text.charAt(i) == '-' || text.charAt(i) == '+')) {
                i++;
            }
            boolean sawExponentDigit = false;
            for (; i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9'; i++) {
                sawExponentDigit = true;
                // saturates far beyond any digit count a text can have, so huge exponents stay cheap
                exponent = Math.min(exponent * 10 + (text.charAt(i) - '0'), 1L << 40);
            }
            if (!sawExponentDigit) {
                throw new IllegalArgumentException("not a JSON number");
            }
            if (negativeExponent) {
                exponent = -exponent;
            }
        }
        if (i != n) {
            throw new IllegalArgumentException("not a JSON number");
        }
        if (digits.length() == 0) {
            return 0;
        }
        // digits x 10^scale, with trailing zeros of the digits moved into the scale
        long scale = exponent - fractionDigits;
        int end = digits.length();
        while (digits.charAt(end - 1) == '0') {
            end--;
            scale++;
        }
        if (scale < 0) {
            return NOT_WHOLE;
        }
        if (end + scale > MAX_LONG_DIGITS) {
            return negative ? TOO_SMALL : TOO_LARGE;
        }
        long value = 0;
        for (int d = 0; d < end; d++) {
            value = value * 10 + (digits.charAt(d) - '0');
        }
        for (long s = 0; s < scale; s++) {
            value *= 10;
        }
        return negative ? -value : value;
    }
}
