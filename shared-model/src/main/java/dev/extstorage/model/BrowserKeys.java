package dev.extstorage.model;

/**
 * The browser key layout (SPEC section 2): {@code {prefix}:{publisher}.{name}:user:{userId}:{key}} and
 * {@code {prefix}:{publisher}.{name}:shared:{key}}. The user id has {@code %} and {@code :} percent-encoded,
 * so the user part always ends at the first {@code :} after {@code user:} and no two users' keys can meet;
 * extension ids hold no {@code :} and prefixes may not either.
 */
public final class BrowserKeys {
    public static final String DEFAULT_PREFIX = "ext-storage";
    public static final int MAX_PREFIX_LENGTH = 64;

    private BrowserKeys() {
    }

    /** The storage key of {@code key}; {@code key} must be valid and, for {@link Scope#USER}, {@code userId} set. */
    public static String storageKey(String prefix, ExtensionId extension, Scope scope, String userId, String key) {
        StringBuilder b = new StringBuilder(prefix.length() + key.length() + 48)
                .append(prefix).append(':').append(extension.id()).append(':').append(scope.wireName()).append(':');
        if (scope == Scope.USER) {
            b.append(encodeUserId(userId)).append(':');
        }
        return b.append(key).toString();
    }

    /** {@code %} becomes {@code %25} and {@code :} becomes {@code %3A}; nothing else changes. */
    public static String encodeUserId(String userId) {
        if (userId.indexOf('%') < 0 && userId.indexOf(':') < 0) {
            return userId;
        }
        StringBuilder b = new StringBuilder(userId.length() + 8);
        for (int i = 0; i < userId.length(); i++) {
            char c = userId.charAt(i);
            if (c == '%') {
                b.append("%25");
            } else if (c == ':') {
                b.append("%3A");
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** What is wrong with a host-configured prefix, or {@code null}: 1-64 characters, no {@code :}, no controls. */
    public static String prefixProblem(String prefix) {
        if (prefix == null || prefix.isEmpty() || prefix.length() > MAX_PREFIX_LENGTH) {
            return "keyPrefix must be 1-" + MAX_PREFIX_LENGTH + " characters";
        }
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            if (c == ':' || c < 0x20 || c == 0x7F) {
                return "keyPrefix must not contain ':' or control characters";
            }
        }
        return null;
    }
}
