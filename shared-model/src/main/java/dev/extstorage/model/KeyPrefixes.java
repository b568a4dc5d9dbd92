package dev.extstorage.model;

/**
 * The listing prefix rule (SPEC section 9, {@code ?prefix=}): empty or absent lists every key; otherwise a
 * listing holds exactly the keys that start with the prefix, compared character by character. No character is
 * special: {@code *}, {@code ?}, {@code [}, {@code \}, {@code :} and {@code %} match themselves, so stores must
 * never hand a prefix to a pattern language (Redis glob, SQL {@code LIKE}) unescaped. A prefix is held to the
 * key rule's characters and length ({@link StorageKeys}), except that it may be empty, {@code .} or {@code ..}.
 */
public final class KeyPrefixes {
    private static final String KEY_MUST = "Key must";

    private KeyPrefixes() {
    }

    /**
     * The prefix of a query value: {@code ""} for {@code null} or empty.
     *
     * @throws StorageException {@link ErrorCode#INVALID_QUERY} for control characters, a lone surrogate or more
     *                          than {@link StorageKeys#MAX_CODE_POINTS} code points
     */
    public static String parse(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return "";
        }
        // '.' and '..' are refused as keys only because URLs cannot carry them as path segments; a query can
        String asKey = prefix.equals(".") || prefix.equals("..") ? "x" : prefix;
        String problem = StorageKeys.problem(asKey);
        if (problem != null) {
            // every key problem starts "Key must"; no String.replace, which costs the browser module a kilobyte
            String rule = problem.startsWith(KEY_MUST) ? "a prefix must" + problem.substring(KEY_MUST.length())
                    : problem;
            throw new StorageException(ErrorCode.INVALID_QUERY, "prefix: " + rule);
        }
        return prefix;
    }

    /** Whether {@code key} is listed under {@code prefix} (every key is under {@code ""}). */
    public static boolean isUnder(String prefix, String key) {
        return key.startsWith(prefix);
    }
}
