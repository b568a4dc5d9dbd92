package dev.extstorage.browser;

/**
 * Versions of entries (SPEC section 8). {@code local} and {@code session} keep plain {@code JSON.stringify}
 * text (the SPEC section 2 layout), so their version is derived from that text: 16 hex digits of a 64-bit
 * hash of its UTF-16 code units (two multiply-xor lanes mixed at the end, as in cyrb53). It changes whenever
 * the stored text changes, except for a collision (about 1 in 2<sup>64</sup> per change), and every tab
 * computes the same version for the same text. Server versions come as {@code ETag}s.
 */
final class Versions {
    private static final String HEX = "0123456789abcdef";

    private Versions() {
    }

    /** The version of a browser entry whose stored text is {@code text}. */
    static String of(String text) {
        int h1 = 0xdeadbeef;
        int h2 = 0x41c6ce57;
        for (int i = 0; i < text.length(); i++) {
            int c = text.charAt(i);
            h1 = (h1 ^ c) * 0x9e3779b1;
            h2 = (h2 ^ c) * 0x5f356495;
        }
        int a = (h1 ^ (h1 >>> 16)) * 0x85ebca6b ^ (h2 ^ (h2 >>> 13)) * 0xc2b2ae35;
        int b = (h2 ^ (h2 >>> 16)) * 0x85ebca6b ^ (a ^ (a >>> 13)) * 0xc2b2ae35;
        StringBuilder out = new StringBuilder(16);
        for (int i = 0; i < 16; i++) {
            out.append(HEX.charAt(((i < 8 ? b : a) >>> (28 - 4 * (i & 7))) & 15));
        }
        return out.toString();
    }

    /**
     * The version an {@code ETag} header carries ({@code "v"} or weak {@code W/"v"} gives {@code v}; an
     * unquoted value is taken as it is), or {@code null} for none.
     */
    static String fromEtag(String etag) {
        if (etag == null) {
            return null;
        }
        String v = etag.startsWith("W/") ? etag.substring(2) : etag;
        return v.length() >= 2 && v.charAt(0) == '"' && v.charAt(v.length() - 1) == '"'
                ? v.substring(1, v.length() - 1) : v;
    }

    /** The {@code If-Match} value for a version. */
    static String toEtag(String version) {
        return '"' + version + '"';
    }
}
