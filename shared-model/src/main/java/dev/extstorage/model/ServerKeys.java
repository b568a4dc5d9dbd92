package dev.extstorage.model;

/**
 * The key layout of server stores that hold every entry under one string key (Redis):
 * {@code {prefix}:{publisher}.{name}:u:{user}:{key}} and {@code {prefix}:{publisher}.{name}:s:{key}}, where
 * {@code {user}} is {@link UserIds#storageForm} (so it holds no {@code :}). Prefixes and extension ids hold
 * no {@code :} either, so every part ends at a known {@code :} and no two (deployment, extension, scope,
 * user, key) tuples share a key, whatever the key contains.
 */
public final class ServerKeys {
    public static final String DEFAULT_PREFIX = "ext-storage";

    private ServerKeys() {
    }

    public static String entryKey(String prefix, ExtensionId extension, Scope scope, String userId, String key) {
        return scopePrefix(prefix, extension, scope, userId) + key;
    }

    /** The part every key of one (extension, scope, user) starts with, ending in {@code :}. */
    public static String scopePrefix(String prefix, ExtensionId extension, Scope scope, String userId) {
        String base = prefix + ":" + extension.id() + ":";
        return scope == Scope.SHARED ? base + "s:" : base + "u:" + UserIds.storageForm(userId) + ":";
    }

    /** A Redis {@code SCAN MATCH} pattern for every key starting with {@code literalPrefix}. */
    public static String matchAllUnder(String literalPrefix) {
        StringBuilder b = new StringBuilder(literalPrefix.length() + 8);
        for (int i = 0; i < literalPrefix.length(); i++) {
            char c = literalPrefix.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.append('*').toString();
    }

    /** What is wrong with a configured prefix, or {@code null}. */
    public static String prefixProblem(String prefix) {
        return BrowserKeys.prefixProblem(prefix);
    }
}
