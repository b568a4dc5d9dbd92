package dev.extstorage.model;

/**
 * The key layout of server stores that hold every entry under one string key (Redis, single or Cluster):
 * {@code <prefix>:{<publisher>.<name>}:u:<user>:<key>} and {@code <prefix>:{<publisher>.<name>}:s:<key>} (braces
 * literal), where {@code <user>} is {@link UserIds#storageForm} (so it holds no {@code :}).
 * Prefixes hold no {@code :}, <code>{</code> or <code>}</code>, extension ids none of these either, so every part
 * ends at a known character and no two (deployment, extension, scope, user, key) tuples share a key, whatever
 * the key contains.
 *
 * <p>The braces are a Redis Cluster hash tag ({@link #hashTag}): the first <code>{...}</code> of a key is what
 * the cluster hashes, and with a prefix free of braces that is always the extension id. So every key of one
 * extension, entries and counters of all its scopes and users, lies in one hash slot, hence on one node: a write
 * script that updates the entry, the extension's counter and the namespace's counter together, a listing
 * {@code SCAN} and a purge all stay on that node. On a single Redis the braces are plain characters.
 *
 * <p>Quota counters live beside the entries, in the same deployment's key space, as {@link Counter} keys:
 * {@code <prefix>:<counter>:{<publisher>.<name>}} for the whole extension, {@code ...:s} for its shared scope and
 * {@code ...:u:<user>} for one user's user scope, where {@code <counter>} is {@code #usage} or
 * {@code #expiries}. The second segment of an entry key always starts with <code>{</code>, a counter's with
 * {@code #}; so no counter key is ever an entry key of any extension, user or key, and a {@code SCAN} of one
 * extension's entries ({@link #extensionPrefix} then {@code *}) never finds a counter.
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
        String base = extensionPrefix(prefix, extension);
        return scope == Scope.SHARED ? base + "s:" : base + "u:" + UserIds.storageForm(userId) + ":";
    }

    /** The part every entry key of one extension starts with: {@code <prefix>:{<publisher>.<name>}:}. */
    public static String extensionPrefix(String prefix, ExtensionId extension) {
        return prefix + ":" + hashTag(extension) + ":";
    }

    /**
     * <code>{publisher.name}</code>: the Redis Cluster hash tag of every key of the extension (see the class
     * comment).
     */
    public static String hashTag(ExtensionId extension) {
        return "{" + extension.id() + "}";
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
        String start = prefix + ":{";
        if (!redisKey.startsWith(start)) {
            return null;
        }
        int extEnd = redisKey.indexOf("}:", start.length());
        if (extEnd < 0) {
            return null;
        }
        String ext = redisKey.substring(start.length(), extEnd);
        String rest = redisKey.substring(extEnd + 2);
        if (rest.startsWith("s:")) {
            return new String[] {ext, "s", null, rest.substring(2)};
        }
        if (!rest.startsWith("u:")) {
            return null;
        }
        int userEnd = rest.indexOf(':', 2);
        return userEnd < 0 ? null : new String[] {ext, "u", rest.substring(2, userEnd), rest.substring(userEnd + 1)};
    }

    /**
     * The extension id whose own counter (not a namespace's) {@code counterKey} is, if it is one of
     * {@code counter}'s kind in {@code prefix}'s deployment; else {@code null}. Not checked to be a valid id.
     */
    public static String counterExtension(String prefix, Counter counter, String counterKey) {
        String start = counter.keysStart(prefix) + "{";
        if (!counterKey.startsWith(start) || !counterKey.endsWith("}")) {
            return null;
        }
        String id = counterKey.substring(start.length(), counterKey.length() - 1);
        return id.indexOf('}') < 0 && id.indexOf(':') < 0 ? id : null;
    }

    /** What is wrong with a configured prefix, or {@code null}. */
    public static String prefixProblem(String prefix) {
        String problem = BrowserKeys.prefixProblem(prefix);
        if (problem == null && (prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0)) {
            // a brace would move the hash tag (see the class comment) into the prefix
            return "keyPrefix must not contain '{' or '}'";
        }
        return problem;
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
            return keysStart(prefix) + hashTag(extension);
        }

        /** What every key of this counter kind starts with: {@code <prefix>:<counter>:}. */
        public String keysStart(String prefix) {
            return prefix + ":" + segment + ":";
        }

        /**
         * The counter of one namespace: {@link #extensionKey} then {@code :s}, or {@code :u:<user>} with the
         * user's {@link UserIds#storageForm}. Every namespace counter of an extension starts with its
         * {@link #extensionKey} followed by {@code :}, which starts no key of another extension.
         */
        public String namespaceKey(String prefix, ExtensionId extension, Scope scope, String userId) {
            String base = extensionKey(prefix, extension) + ":";
            return scope == Scope.SHARED ? base + "s" : base + "u:" + UserIds.storageForm(userId);
        }
    }
}
