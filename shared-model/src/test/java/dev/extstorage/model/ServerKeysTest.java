package dev.extstorage.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerKeysTest {
    private static final ExtensionId ACME = ExtensionId.of("acme", "sidebar");

    @Test
    void layout() {
        assertEquals("ext-storage", ServerKeys.DEFAULT_PREFIX);
        assertEquals("ext-storage:{acme.sidebar}:u:alice:prefs",
                ServerKeys.entryKey("ext-storage", ACME, Scope.USER, "alice", "prefs"));
        assertEquals("ext-storage:{acme.sidebar}:s:prefs",
                ServerKeys.entryKey("ext-storage", ACME, Scope.SHARED, "alice", "prefs"));
        assertEquals("ext-storage:{acme.sidebar}:s:prefs",
                ServerKeys.entryKey("ext-storage", ACME, Scope.SHARED, null, "prefs"));
        assertEquals("x:{acme.sidebar}:u:a%3Ab%25c:k:/%2F",
                ServerKeys.entryKey("x", ACME, Scope.USER, "a:b%c", "k:/%2F"));
        assertEquals("x:{acme.sidebar}:u:a%00b%uD800:k",
                ServerKeys.entryKey("x", ACME, Scope.USER, "a\u0000b\uD800", "k"));
    }

    @Test
    void scopePrefixStartsEveryEntryKey() {
        assertEquals("p:{acme.sidebar}:u:alice:", ServerKeys.scopePrefix("p", ACME, Scope.USER, "alice"));
        assertEquals("p:{acme.sidebar}:s:", ServerKeys.scopePrefix("p", ACME, Scope.SHARED, "alice"));
        assertTrue(ServerKeys.entryKey("p", ACME, Scope.USER, "a:b", "k")
                .startsWith(ServerKeys.scopePrefix("p", ACME, Scope.USER, "a:b")));
    }

    /** One (extension, scope, user) tuple; {@code user} is null for the shared scope. */
    private static final class Owner {
        final ExtensionId ext;
        final Scope scope;
        final String user;

        Owner(ExtensionId ext, Scope scope, String user) {
            this.ext = ext;
            this.scope = scope;
            this.user = user;
        }

        String prefix() {
            return ServerKeys.scopePrefix("p", ext, scope, user);
        }

        @Override
        public String toString() {
            return ext + " " + scope + " " + user;
        }
    }

    private static List<Owner> owners() {
        List<ExtensionId> extensions = List.of(ExtensionId.of("a", "b"), ExtensionId.of("a", "b-c"),
                ExtensionId.of("a-b", "c"), ExtensionId.of("u", "s"));
        List<String> users = BrowserKeysTest.words("a:%3Aus\u0000\uD800\uDC00", 3);
        List<Owner> owners = new ArrayList<>();
        for (ExtensionId ext : extensions) {
            owners.add(new Owner(ext, Scope.SHARED, null));
            for (String user : users) {
                owners.add(new Owner(ext, Scope.USER, user));
            }
        }
        return owners;
    }

    @Test
    void entryKeysAreInjective() {
        List<String> keys = BrowserKeysTest.words("a:%su", 3);
        Map<String, String> seen = new HashMap<>();
        for (Owner owner : owners()) {
            for (String key : keys) {
                BrowserKeysTest.put(seen, ServerKeys.entryKey("p", owner.ext, owner.scope, owner.user, key),
                        owner + " " + key);
            }
        }
    }

    @Test
    void noScopePrefixStartsAnother() {
        // listing one owner's keys by prefix must never pick up another owner's keys
        List<Owner> owners = owners();
        Map<String, Owner> byPrefix = new HashMap<>();
        for (Owner o : owners) {
            byPrefix.put(o.prefix(), o);
        }
        assertEquals(owners.size(), byPrefix.size());
        for (Owner o : owners) {
            String prefix = o.prefix();
            // every proper prefix of this owner's prefix that ends in ':' must not be another owner's prefix
            for (int i = 0; i < prefix.length() - 1; i++) {
                if (prefix.charAt(i) == ':') {
                    Owner other = byPrefix.get(prefix.substring(0, i + 1));
                    assertTrue(other == null, () -> o + " lies under " + other);
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "p:a.b:s:|p:a.b:s:*",
        "p:a.b:u:x*y:|p:a.b:u:x\\*y:*",
        "p:a.b:u:?:|p:a.b:u:\\?:*",
        "p:a.b:u:[ab]:|p:a.b:u:\\[ab\\]:*",
        "p:a.b:u:\\:|p:a.b:u:\\\\:*",
        "p:a.b:u:^-!%:|p:a.b:u:^-!%:*"})
    void matchAllUnderEscapesGlobCharacters(String literal, String pattern) {
        assertEquals(pattern, ServerKeys.matchAllUnder(literal));
    }

    @Test
    void matchAllUnderOfEmptyMatchesEverything() {
        assertEquals("*", ServerKeys.matchAllUnder(""));
        assertFalse(ServerKeys.matchAllUnder("a*").endsWith("a**"));
    }

    @Test
    void counterLayout() {
        assertEquals("p:#usage:{acme.sidebar}", ServerKeys.Counter.USAGE.extensionKey("p", ACME));
        assertEquals("p:#expiries:{acme.sidebar}", ServerKeys.Counter.EXPIRIES.extensionKey("p", ACME));
        assertEquals("p:#usage:{acme.sidebar}:s",
                ServerKeys.Counter.USAGE.namespaceKey("p", ACME, Scope.SHARED, "alice"));
        assertEquals("p:#usage:{acme.sidebar}:u:a%3Ab",
                ServerKeys.Counter.USAGE.namespaceKey("p", ACME, Scope.USER, "a:b"));
        assertEquals("p:#expiries:{acme.sidebar}:u:alice",
                ServerKeys.Counter.EXPIRIES.namespaceKey("p", ACME, Scope.USER, "alice"));
    }

    @Test
    void counterKeysMeetNoEntryKeyAndNoOtherCounter() {
        // Keys, users and a prefix chosen to look like counter segments.
        List<String> keys = BrowserKeysTest.words("#u:s", 3);
        Map<String, String> seen = new HashMap<>();
        for (String prefix : List.of("p", "#usage", "p#usage")) {
            for (Owner owner : owners()) {
                for (String key : keys) {
                    BrowserKeysTest.put(seen, ServerKeys.entryKey(prefix, owner.ext, owner.scope, owner.user, key),
                            prefix + " " + owner + " " + key);
                }
                for (ServerKeys.Counter c : ServerKeys.Counter.values()) {
                    String ext = c.extensionKey(prefix, owner.ext);
                    if (owner.scope == Scope.SHARED) {
                        BrowserKeysTest.put(seen, ext, prefix + " " + c + " " + owner.ext);
                    }
                    String ns = c.namespaceKey(prefix, owner.ext, owner.scope, owner.user);
                    BrowserKeysTest.put(seen, ns, prefix + " " + c + " " + owner);
                    assertTrue(ns.startsWith(ext + ":"), ns);
                    assertFalse(ns.startsWith(ServerKeys.extensionPrefix(prefix, owner.ext)), ns);
                }
            }
        }
    }

    /** What Redis Cluster hashes: the first <code>{...}</code> with something inside, else the whole key. */
    static String clusterHashed(String key) {
        int open = key.indexOf('{');
        int close = open < 0 ? -1 : key.indexOf('}', open + 1);
        return close > open + 1 ? key.substring(open + 1, close) : key;
    }

    @Test
    void everyKeyOfOneExtensionHashesItsIdAlone() {
        List<String> keys = BrowserKeysTest.words("{}:a", 3);
        for (Owner owner : owners()) {
            String id = owner.ext.id();
            for (String key : keys) {
                assertEquals(id, clusterHashed(ServerKeys.entryKey("p", owner.ext, owner.scope, owner.user, key)));
            }
            for (ServerKeys.Counter c : ServerKeys.Counter.values()) {
                assertEquals(id, clusterHashed(c.extensionKey("p", owner.ext)));
                assertEquals(id, clusterHashed(c.namespaceKey("p", owner.ext, owner.scope, owner.user)));
            }
            assertEquals("{" + id + "}", ServerKeys.hashTag(owner.ext));
        }
    }

    @Test
    void prefixesWithBracesAreRefused() {
        for (String prefix : List.of("a{b", "a}b", "{x}")) {
            assertTrue(ServerKeys.prefixProblem(prefix) != null, prefix);
        }
        assertEquals(null, ServerKeys.prefixProblem("ext-storage"));
    }

    @Test
    void entryKeysParseBackAndNothingElseDoes() {
        for (Owner owner : owners()) {
            for (String key : List.of("k", "a:b", "}:{", "")) {
                String[] parts = ServerKeys.parseEntryKey("p",
                        ServerKeys.entryKey("p", owner.ext, owner.scope, owner.user, key));
                assertEquals(owner.ext.id(), parts[0]);
                assertEquals(owner.scope == Scope.SHARED ? "s" : "u", parts[1]);
                assertEquals(owner.user == null ? null : UserIds.storageForm(owner.user), parts[2]);
                assertEquals(key, parts[3]);
            }
            for (ServerKeys.Counter c : ServerKeys.Counter.values()) {
                assertEquals(null, ServerKeys.parseEntryKey("p", c.namespaceKey("p", owner.ext, owner.scope, owner.user)));
            }
        }
        for (String other : List.of("p:a.b:s:k", "q:{a.b}:s:k", "p:{a.b}:x:k", "p:{a.b}s:k", "p:{a.b}:u:nouser")) {
            assertEquals(null, ServerKeys.parseEntryKey("p", other), other);
        }
    }

    @Test
    void counterExtensionNamesOnlyAnExtensionsOwnCounter() {
        assertEquals("acme.sidebar", ServerKeys.counterExtension("p", ServerKeys.Counter.USAGE,
                ServerKeys.Counter.USAGE.extensionKey("p", ACME)));
        for (String other : List.of(ServerKeys.Counter.USAGE.namespaceKey("p", ACME, Scope.SHARED, null),
                ServerKeys.Counter.EXPIRIES.extensionKey("p", ACME), "p:#usage:acme.sidebar", "q:#usage:{a.b}",
                "p:#usage:{a}:{b}")) {
            assertEquals(null, ServerKeys.counterExtension("p", ServerKeys.Counter.USAGE, other), other);
        }
    }
}
