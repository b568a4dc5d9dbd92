package dev.extstorage.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class BrowserKeysTest {
    private static final ExtensionId ACME = ExtensionId.of("acme", "sidebar");

    @Test
    void userLayoutWithDefaultPrefix() {
        assertEquals("ext-storage", BrowserKeys.DEFAULT_PREFIX);
        assertEquals("ext-storage:acme.sidebar:user:alice:sidebar_collapsed",
                BrowserKeys.storageKey(BrowserKeys.DEFAULT_PREFIX, ACME, Scope.USER, "alice", "sidebar_collapsed"));
    }

    @Test
    void sharedLayoutIgnoresTheUser() {
        assertEquals("ext-storage:acme.sidebar:shared:device_id",
                BrowserKeys.storageKey("ext-storage", ACME, Scope.SHARED, "alice", "device_id"));
        assertEquals("ext-storage:acme.sidebar:shared:device_id",
                BrowserKeys.storageKey("ext-storage", ACME, Scope.SHARED, null, "device_id"));
    }

    @Test
    void supersetPrefix() {
        assertEquals("superset-ext:acme.sidebar:user:42:k",
                BrowserKeys.storageKey("superset-ext", ACME, Scope.USER, "42", "k"));
        assertEquals("superset-ext:acme.sidebar:shared:k",
                BrowserKeys.storageKey("superset-ext", ACME, Scope.SHARED, "42", "k"));
    }

    @Test
    void keysAreAppendedVerbatim() {
        assertEquals("ext-storage:acme.sidebar:user:u:a:b/c%2F d\uD83D\uDE00",
                BrowserKeys.storageKey("ext-storage", ACME, Scope.USER, "u", "a:b/c%2F d\uD83D\uDE00"));
    }

    @Test
    void userIdColonAndPercentAreEncoded() {
        assertEquals("ext-storage:acme.sidebar:user:a%3Ab%25c:k",
                BrowserKeys.storageKey("ext-storage", ACME, Scope.USER, "a:b%c", "k"));
        assertEquals("%25%3A%253A", BrowserKeys.encodeUserId("%:%3A"));
        assertEquals("user@example.com/x y", BrowserKeys.encodeUserId("user@example.com/x y"));
        String plain = "alice";
        assertSame(plain, BrowserKeys.encodeUserId(plain));
    }

    @Test
    void colonInUserIdCannotShiftIntoTheKey() {
        String ab = BrowserKeys.storageKey("ext-storage", ACME, Scope.USER, "a:b", "c");
        String a = BrowserKeys.storageKey("ext-storage", ACME, Scope.USER, "a", "b:c");
        assertNotEquals(a, ab);
        assertEquals("ext-storage:acme.sidebar:user:a%3Ab:c", ab);
        assertEquals("ext-storage:acme.sidebar:user:a:b:c", a);
        // a user literally named "a%3Ab" is a third user again
        assertNotEquals(ab, BrowserKeys.storageKey("ext-storage", ACME, Scope.USER, "a%3Ab", "c"));
    }

    @Test
    void noTwoTuplesShareAStorageKey() {
        List<ExtensionId> extensions = List.of(ExtensionId.of("a", "b"), ExtensionId.of("a", "b-c"),
                ExtensionId.of("a-b", "c"), ExtensionId.of("ab", "c"));
        List<String> users = words("a:%3Aus", 3);
        List<String> keys = words("a:%s", 3);
        Map<String, String> seen = new HashMap<>();
        for (ExtensionId ext : extensions) {
            for (String key : keys) {
                put(seen, BrowserKeys.storageKey("p", ext, Scope.SHARED, null, key), ext + " shared " + key);
                for (String user : users) {
                    put(seen, BrowserKeys.storageKey("p", ext, Scope.USER, user, key), ext + " user " + user + " " + key);
                }
            }
        }
    }

    static void put(Map<String, String> seen, String storageKey, String tuple) {
        String before = seen.put(storageKey, tuple);
        assertNull(before, () -> "'" + tuple + "' and '" + before + "' share " + storageKey);
    }

    /** Every non-empty word of at most {@code maxLength} characters of {@code alphabet}. */
    static List<String> words(String alphabet, int maxLength) {
        List<String> out = new ArrayList<>();
        List<String> last = List.of("");
        for (int len = 1; len <= maxLength; len++) {
            List<String> next = new ArrayList<>();
            for (String w : last) {
                for (int i = 0; i < alphabet.length(); i++) {
                    next.add(w + alphabet.charAt(i));
                }
            }
            out.addAll(next);
            last = next;
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"ext-storage", "superset-ext", "a", "my app/v2", "\u00E9t\u00E9"})
    void acceptablePrefixes(String prefix) {
        assertNull(BrowserKeys.prefixProblem(prefix));
    }

    @Test
    void prefixLengthLimit() {
        assertNull(BrowserKeys.prefixProblem("p".repeat(64)));
        assertNotNull(BrowserKeys.prefixProblem("p".repeat(65)));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {":", "ext:storage", "ext-storage:", "a\u0000", "a\n", "\t", "a\u001F", "a\u007F"})
    void rejectedPrefixes(String prefix) {
        assertNotNull(BrowserKeys.prefixProblem(prefix));
        assertNotNull(ServerKeys.prefixProblem(prefix));
    }

    @Test
    void extensionIdOfOurKeysOnly() {
        assertEquals("acme.sidebar", BrowserKeys.extensionIdOf("ext-storage",
                BrowserKeys.storageKey("ext-storage", ACME, Scope.USER, "a:b%", "k:*?")));
        assertEquals("acme.sidebar", BrowserKeys.extensionIdOf("ext-storage", "ext-storage:acme.sidebar:shared:k"));
        assertEquals("acme.sidebar", BrowserKeys.extensionIdOf("ext-storage", "ext-storage:acme.sidebar:shared:"));
        for (String other : new String[] {"superset-ext:acme.sidebar:shared:k", "ext-storage-x:acme.sidebar:shared:k",
                "ext-storage", "ext-storage:", "ext-storage:acme.sidebar", "ext-storage:acme.sidebar:other:k",
                "ext-storage:acme.sidebar:user:alice", "ext-storage:Acme.sidebar:shared:k",
                "ext-storage:acme:shared:k", "ext-storage:.sidebar:shared:k", "theme", "ext-storageacme.x:shared:k"}) {
            assertNull(BrowserKeys.extensionIdOf("ext-storage", other), other);
        }
    }
}
