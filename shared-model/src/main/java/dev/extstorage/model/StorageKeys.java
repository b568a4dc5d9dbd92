package dev.extstorage.model;

/**
 * The key rule (SPEC section 1): 1-255 Unicode code points, no control characters (U+0000-U+001F, U+007F),
 * no lone UTF-16 surrogates (they cannot be sent in a URL), and not {@code .} or {@code ..} alone (URLs cannot
 * carry them as path segments). Everything else is allowed, {@code / : %}, spaces and emoji included.
 */
public final class StorageKeys {
    public static final int MAX_CODE_POINTS = 255;

    private StorageKeys() {
    }

    /**
     * Returns {@code key} if it is valid.
     *
     * @throws StorageException {@link ErrorCode#INVALID_KEY} naming what is wrong
     */
    public static String requireValid(String key) {
        String problem = contentProblem(key);
        if (problem != null) {
            throw new StorageException(ErrorCode.INVALID_KEY, problem);
        }
        int codePoints = codePointCount(key);
        if (codePoints > MAX_CODE_POINTS) {
            throw new StorageException(ErrorCode.INVALID_KEY, tooLong(codePoints), MAX_CODE_POINTS, codePoints);
        }
        return key;
    }

    public static boolean isValid(String key) {
        return problem(key) == null;
    }

    /** What is wrong with {@code key}, for a person, or {@code null} if nothing is. */
    public static String problem(String key) {
        String problem = contentProblem(key);
        if (problem != null) {
            return problem;
        }
        int codePoints = codePointCount(key);
        return codePoints > MAX_CODE_POINTS ? tooLong(codePoints) : null;
    }

    private static String tooLong(int codePoints) {
        return "Key must be at most " + MAX_CODE_POINTS + " characters long, got " + NumberText.decimal(codePoints);
    }

    /** Every problem but length, reported first so that a length figure always means a length problem. */
    private static String contentProblem(String key) {
        if (key == null || key.isEmpty()) {
            return "Key must not be empty";
        }
        if (key.equals(".") || key.equals("..")) {
            return "Key must not be '.' or '..'";
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                return "Key must not contain control characters";
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= key.length() || !Character.isLowSurrogate(key.charAt(i + 1))) {
                    return "Key must not contain a lone UTF-16 surrogate";
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return "Key must not contain a lone UTF-16 surrogate";
            }
        }
        return null;
    }

    /** Code points of {@code s}, a lone surrogate counting as one. */
    public static int codePointCount(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            }
            n++;
        }
        return n;
    }
}
