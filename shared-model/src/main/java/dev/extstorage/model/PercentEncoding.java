package dev.extstorage.model;

/**
 * Percent-encoding of URL path segments and query values over UTF-8 (RFC 3986). Written by hand because the
 * browser build has no {@code URLEncoder}, and because {@code URLDecoder} turns {@code +} into a space, which
 * would corrupt keys.
 */
public final class PercentEncoding {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PercentEncoding() {
    }

    /**
     * Encodes every character except the unreserved ones ({@code A-Z a-z 0-9 - . _ ~}), {@code /} and
     * {@code %} included. Lone surrogates are encoded as U+FFFD; valid keys hold none.
     */
    public static String encode(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '.' || c == '_' || c == '~') {
                out.append(c);
                continue;
            }
            int cp = c;
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                cp = Character.toCodePoint(c, s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                cp = 0xFFFD;
            }
            if (cp < 0x80) {
                appendByte(out, cp);
            } else if (cp < 0x800) {
                appendByte(out, 0xC0 | (cp >> 6));
                appendByte(out, 0x80 | (cp & 0x3F));
            } else if (cp < 0x10000) {
                appendByte(out, 0xE0 | (cp >> 12));
                appendByte(out, 0x80 | ((cp >> 6) & 0x3F));
                appendByte(out, 0x80 | (cp & 0x3F));
            } else {
                appendByte(out, 0xF0 | (cp >> 18));
                appendByte(out, 0x80 | ((cp >> 12) & 0x3F));
                appendByte(out, 0x80 | ((cp >> 6) & 0x3F));
                appendByte(out, 0x80 | (cp & 0x3F));
            }
        }
        return out.toString();
    }

    private static void appendByte(StringBuilder out, int b) {
        out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
    }

    /**
     * Decodes {@code %XX} sequences as UTF-8; every other character, {@code +} included, stands for itself.
     *
     * @return the decoded text, or {@code null} if a {@code %} is not followed by two ASCII hex digits or the bytes
     *         are not well-formed UTF-8 (overlong forms and encoded surrogates included)
     */
    public static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c != '%') {
                out.append(c);
                i++;
                continue;
            }
            int b0 = hexByte(s, i);
            if (b0 < 0) {
                return null;
            }
            i += 3;
            int extra;
            int cp;
            int min;
            if (b0 < 0x80) {
                out.append((char) b0);
                continue;
            } else if (b0 >= 0xC2 && b0 <= 0xDF) {
                extra = 1;
                cp = b0 & 0x1F;
                min = 0x80;
            } else if (b0 >= 0xE0 && b0 <= 0xEF) {
                extra = 2;
                cp = b0 & 0x0F;
                min = 0x800;
            } else if (b0 >= 0xF0 && b0 <= 0xF4) {
                extra = 3;
                cp = b0 & 0x07;
                min = 0x10000;
            } else {
                return null;
            }
            for (int k = 0; k < extra; k++) {
                if (i >= n || s.charAt(i) != '%') {
                    return null;
                }
                int b = hexByte(s, i);
                if (b < 0 || (b & 0xC0) != 0x80) {
                    return null;
                }
                cp = (cp << 6) | (b & 0x3F);
                i += 3;
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                return null;
            }
            out.appendCodePoint(cp);
        }
        return out.toString();
    }

    private static int hexByte(String s, int percentAt) {
        if (percentAt + 2 >= s.length()) {
            return -1;
        }
        int hi = hexDigit(s.charAt(percentAt + 1));
        int lo = hexDigit(s.charAt(percentAt + 2));
        return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
    }

    /**
     * The value of an ASCII hex digit ({@code 0-9 a-f A-F}), or {@code -1}. Not {@link Character#digit}, which
     * also accepts non-ASCII digits such as fullwidth and Arabic-Indic ones.
     */
    static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
