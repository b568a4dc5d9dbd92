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

    /**
     * The extension id ({@code publisher.name}) of a storage key of this layout under {@code prefix}, or
     * {@code null} for any other key (another prefix, another app's key, a malformed id or scope): hosts remove
     * the keys of uninstalled extensions by it and must never touch what is not ours.
     */
    public static String extensionIdOf(String prefix, String storageKey) {
        int start = prefix.length() + 1;
        if (!storageKey.startsWith(prefix) || storageKey.length() <= start || storageKey.charAt(start - 1) != ':') {
            return null;
        }
        int end = storageKey.indexOf(':', start);
        int dot = storageKey.indexOf('.', start);
        if (end < 0 || dot < 0 || dot > end || !ExtensionId.isValidPart(storageKey.substring(start, dot))
                || !ExtensionId.isValidPart(storageKey.substring(dot + 1, end))) {
            return null;
        }
        boolean scoped = storageKey.startsWith(Scope.SHARED.wireName() + ":", end + 1)
                || storageKey.startsWith(Scope.USER.wireName() + ":", end + 1)
                        && storageKey.indexOf(':', end + 6) > 0;
        return scoped ? storageKey.substring(start, end) : null;
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
