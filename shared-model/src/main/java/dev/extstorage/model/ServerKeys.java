package dev.extstorage.model;

/**
 * The key layout of server stores that hold every entry under one string key (Redis):
 * {@code {prefix}:{publisher}.{name}:u:{user}:{key}} and {@code {prefix}:{publisher}.{name}:s:{key}}, where
 * {@code {user}} is {@link UserIds#storageForm} (so it holds no {@code :}). Prefixes and extension ids hold
 * no {@code :} either, so every part ends at a known {@code :} and no two (deployment, extension, scope,
 * user, key) tuples share a key, whatever the key contains.
 *
 * <p>Quota counters live beside the entries, in the same deployment's key space, as {@link Counter} keys:
 * {@code {prefix}:{counter}:{publisher}.{name}} for the whole extension, {@code ...:s} for its shared scope and
 * {@code ...:u:{user}} for one user's user scope, where {@code {counter}} is {@code #usage} or
 * {@code #expiries}. The second segment of an entry key is always an extension id, which cannot start with
 * (or hold) {@code #}; so no counter key is ever an entry key of any extension, user or key, and a
 * {@code SCAN} of one extension's entries ({@code {prefix}:{publisher}.{name}:*}) never finds a counter.
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
        return globLiteral(literalPrefix) + "*";
    }

    /** {@code literal} as a Redis glob pattern matching exactly itself: {@code * ? [ ] \\} escaped. */
    public static String globLiteral(String literal) {
        StringBuilder b = new StringBuilder(literal.length() + 8);
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    /**
     * The parts of an entry key of {@code prefix}'s deployment: extension id, {@code s} or {@code u}, the user's
     * storage form ({@code null} for shared) and the key; {@code null} if it is no entry key (a counter, another
     * deployment's).
     */
    public static String[] parseEntryKey(String prefix, String redisKey) {
        String start = prefix + ":";
        if (!redisKey.startsWith(start)) {
            return null;
        }
        int extEnd = redisKey.indexOf(':', start.length());
        if (extEnd < 0) {
            return null;
        }
        String ext = redisKey.substring(start.length(), extEnd);
        if (ext.startsWith("#")) {
            return null;
        }
        String rest = redisKey.substring(extEnd + 1);
        if (rest.startsWith("s:")) {
            return new String[] {ext, "s", null, rest.substring(2)};
        }
        if (!rest.startsWith("u:")) {
            return null;
        }
        int userEnd = rest.indexOf(':', 2);
        return userEnd < 0 ? null : new String[] {ext, "u", rest.substring(2, userEnd), rest.substring(userEnd + 1)};
    }

    /** What is wrong with a configured prefix, or {@code null}. */
    public static String prefixProblem(String prefix) {
        return BrowserKeys.prefixProblem(prefix);
    }

    /**
     * The keys of the byte counters that bound what an extension and each of its namespaces hold (see the
     * class comment for the layout). Each counter has one key of each kind.
     */
    public enum Counter {
        /** A hash: the bytes counted in all, and per second in which the counted entries expire. */
        USAGE("#usage"),
        /** A sorted set of those expiry seconds, so the ones that have passed are found without a scan. */
        EXPIRIES("#expiries");

        private final String segment;

        Counter(String segment) {
            this.segment = segment;
        }

        /** The counter of the whole extension, all scopes and users together. */
        public String extensionKey(String prefix, ExtensionId extension) {
            return keysStart(prefix) + extension.id();
        }

        /** What every key of this counter kind starts with: {@code {prefix}:{counter}:}. */
        public String keysStart(String prefix) {
            return prefix + ":" + segment + ":";
        }

        /**
         * The counter of one namespace: {@link #extensionKey} then {@code :s}, or {@code :u:{user}} with the
         * user's {@link UserIds#storageForm}. Every namespace counter of an extension starts with its
         * {@link #extensionKey} followed by {@code :}, which starts no key of another extension.
         */
        public String namespaceKey(String prefix, ExtensionId extension, Scope scope, String userId) {
            String base = extensionKey(prefix, extension) + ":";
            return scope == Scope.SHARED ? base + "s" : base + "u:" + UserIds.storageForm(userId);
        }
    }
}
