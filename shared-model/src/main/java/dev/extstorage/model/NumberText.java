package dev.extstorage.model;

/**
 * Numbers as text, exactly as {@code Long.toString} and {@code Integer.toHexString} write them. Shared code
 * writes numbers into messages and URLs through here instead of {@code "..." + n}: in the TeaVM browser module
 * {@code StringBuilder.append(long)} and {@code append(int)} bring TeaVM's general radix conversion, and
 * {@code toHexString} its unsigned-radix helpers, about 1.5 KB of the module against the few lines below.
 */
public final class NumberText {
    private static final String DIGITS = "0123456789abcdef";

    private NumberText() {
    }

    /** {@code n} in decimal, as {@link Long#toString(long)}. */
    public static String decimal(long n) {
        if (n < 0) {
            return n == Long.MIN_VALUE ? "-9223372036854775808" : "-" + decimal(-n);
        }
        char[] digits = new char[19];
        int i = digits.length;
        do {
            digits[--i] = DIGITS.charAt((int) (n % 10));
            n /= 10;
        } while (n != 0);
        return new String(digits, i, digits.length - i);
    }

    /**
     * {@code v} as unsigned hexadecimal, as {@link Integer#toHexString(int)}, left-padded with zeros to at least
     * {@code minDigits} digits, upper case if asked.
     */
    public static String hex(int v, int minDigits, boolean upperCase) {
        char[] digits = new char[Math.max(8, minDigits)];
        int i = digits.length;
        do {
            char d = DIGITS.charAt(v & 15);
            digits[--i] = upperCase && d > '9' ? (char) (d - 'a' + 'A') : d;
            v >>>= 4;
        } while (v != 0);
        while (digits.length - i < minDigits) {
            digits[--i] = '0';
        }
        return new String(digits, i, digits.length - i);
    }
}
