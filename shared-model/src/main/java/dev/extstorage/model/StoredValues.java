package dev.extstorage.model;

/**
 * How the stored text of a value tells a binary or an encrypted value from a plain JSON value, on every tier
 * (Web Storage, the in-process cache, Redis, SQL) - one rule, here.
 *
 * <p>A plain value's stored text is its JSON text. A binary value's is the JSON string
 * {@code "\ud800b64:<base64>"}, an encrypted value's {@code "\ud800enc:<envelope>"}: a JSON string that starts
 * with a lone high surrogate, written as the six ASCII characters of its escape. No plain value can produce
 * such text, because a value holding a lone surrogate is refused ({@code INVALID_VALUE}) before anything is
 * stored, and a plain string that starts with the character pair U+D800 U+DCxx has its low surrogate next, never
 * {@code b} or {@code e}. The text is what {@code JSON.stringify} makes of the JavaScript string
 * {@code "\uD800b64:" + base64}, so Web Storage keeps plain {@code JSON.stringify} output, and it is ASCII, so
 * every engine stores it unchanged.
 *
 * <p>Base64 is RFC 4648's standard alphabet with padding; the value limit counts the decoded bytes.
 */
public final class StoredValues {
    private static final String MARK = "\"\\ud800";
    /**
     * What a binary value's stored text parses to (in JavaScript, {@code JSON.parse}) starts with: the lone high
     * surrogate U+D800, then {@code b64:}; the browser module tells binary values by it.
     */
    public static final String BINARY_MARK = "\ud800b64:";
    /** Start of a binary value's stored text. */
    public static final String BINARY_PREFIX = MARK + "b64:";
    /** Start of an encrypted value's stored text. */
    public static final String ENCRYPTED_PREFIX = MARK + "enc:";

    private StoredValues() {
    }

    /** The stored text of a binary value given as (checked) base64. */
    public static String binary(String base64) {
        return BINARY_PREFIX + base64 + "\"";
    }

    public static boolean isBinary(String stored) {
        return stored != null && stored.startsWith(BINARY_PREFIX) && stored.endsWith("\"");
    }

    /** The base64 text of a binary value's stored text ({@link #isBinary} must hold). */
    public static String base64Of(String stored) {
        return stored.substring(BINARY_PREFIX.length(), stored.length() - 1);
    }

    /**
     * A stored value's JSON text on the wire (SPEC section 10): a binary value's base64 as a JSON string (the
     * message then says {@code "isBinary": true}), any other value as stored.
     */
    public static String wireValue(String stored) {
        return isBinary(stored) ? "\"" + base64Of(stored) + "\"" : stored;
    }

    /** The stored text of an encrypted value, its envelope being ASCII without {@code "} or {@code \}. */
    public static String encrypted(String envelope) {
        return ENCRYPTED_PREFIX + envelope + "\"";
    }

    public static boolean isEncrypted(String stored) {
        return stored != null && stored.startsWith(ENCRYPTED_PREFIX) && stored.endsWith("\"");
    }

    /** The envelope of an encrypted value's stored text ({@link #isEncrypted} must hold). */
    public static String envelopeOf(String stored) {
        return stored.substring(ENCRYPTED_PREFIX.length(), stored.length() - 1);
    }

    /**
     * The number of bytes {@code base64} decodes to, after checking it is RFC 4648 base64 (standard alphabet,
     * length a multiple of 4, at most two {@code =} at the end), without decoding it.
     *
     * @throws StorageException {@link ErrorCode#INVALID_BODY} if it is not
     */
    public static long decodedLength(String base64) {
        int n = base64.length();
        if (n % 4 != 0) {
            throw notBase64("its length is not a multiple of 4");
        }
        int padding = n > 0 && base64.charAt(n - 1) == '=' ? (n > 1 && base64.charAt(n - 2) == '=' ? 2 : 1) : 0;
        for (int i = 0; i < n - padding; i++) {
            char c = base64.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+'
                    || c == '/';
            if (!ok) {
                throw notBase64("it holds '" + (c < 0x20 || c > 0x7e ? "\\u" + NumberText.hex(c, 0, false) : String.valueOf(c))
                        + "' at " + NumberText.decimal(i));
            }
        }
        return (long) n / 4 * 3 - padding;
    }

    /**
     * Checks a binary value given as base64 against the value limit, counting decoded bytes.
     *
     * @return {@code base64}, checked
     * @throws StorageException {@code INVALID_BODY} if it is not base64, {@code VALUE_TOO_LARGE} (with limit and
     *                          actual decoded bytes) above {@code maxValueBytes}
     */
    public static String requireBinary(String base64, long maxValueBytes) {
        long bytes = decodedLength(base64);
        if (bytes > maxValueBytes) {
            throw new StorageException(ErrorCode.VALUE_TOO_LARGE, "Binary value is "
                    + NumberText.decimal(bytes) + " bytes, above the limit of " + NumberText.decimal(maxValueBytes), maxValueBytes, bytes);
        }
        return base64;
    }

    private static StorageException notBase64(String why) {
        return new StorageException(ErrorCode.INVALID_BODY, "A binary value must be RFC 4648 base64: " + why);
    }
}
