package dev.extstorage.model;

/**
 * The user id rule: any non-empty string of at most {@link #MAX_LENGTH} UTF-16 units (the token's
 * {@code sub}). Server stores keep users apart by the {@link #storageForm}, which is injective and holds
 * only well-formed, printable Unicode, so a database or Redis never rewrites it (PostgreSQL refuses NUL,
 * UTF-8 encoders replace lone surrogates) into another user's id.
 */
public final class UserIds {
    public static final int MAX_LENGTH = 1024;

    private UserIds() {
    }

    /** What is wrong with {@code userId}, or {@code null}. */
    public static String problem(String userId) {
        if (userId == null || userId.isEmpty()) {
            return "User id must be a non-empty string";
        }
        if (userId.length() > MAX_LENGTH) {
            return "User id must be at most " + MAX_LENGTH + " characters";
        }
        return null;
    }

    /**
     * {@code %} becomes {@code %25}, {@code :} {@code %3A}, a control character {@code %XX}, a lone surrogate
     * {@code %uXXXX}; everything else stands for itself.
     */
    public static String storageForm(String userId) {
        StringBuilder b = null;
        for (int i = 0; i < userId.length(); i++) {
            char c = userId.charAt(i);
            String escape = null;
            if (c == '%' || c == ':' || c < 0x20 || c == 0x7F) {
                escape = "%" + NumberText.hex(c, 2, true);
            } else if (Character.isHighSurrogate(c) && i + 1 < userId.length()
                    && Character.isLowSurrogate(userId.charAt(i + 1))) {
                if (b != null) {
                    b.append(c).append(userId.charAt(i + 1));
                }
                i++;
                continue;
            } else if (Character.isSurrogate(c)) {
                escape = "%u" + NumberText.hex(c, 4, true);
            }
            if (escape != null && b == null) {
                b = new StringBuilder(userId.length() + 16).append(userId, 0, i);
            }
            if (b != null) {
                if (escape != null) {
                    b.append(escape);
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? userId : b.toString();
    }

}
