package dev.extstorage.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.extstorage.store.Fixtures.NOTES;
import static dev.extstorage.store.Fixtures.NOTES_PLUS;
import static dev.extstorage.store.Fixtures.OTHER;
import static dev.extstorage.store.Fixtures.emojiKey;
import static dev.extstorage.store.Fixtures.shared;
import static dev.extstorage.store.Fixtures.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every promise of {@link EphemeralStore} but its bounds, which {@link EphemeralBoundsContract} adds; each engine
 * runs both through a subclass of that.
 */
public abstract class EphemeralStoreContract implements DataLifecycleContract {
    public static final long HOUR = 3600;
    /** No bound a test reaches. */
    public static final Quota NO_QUOTA = Quota.ofExtension(Long.MAX_VALUE);
    protected EphemeralStore store;

    /** A store with no entries from earlier tests visible. */
    protected abstract EphemeralStore newStore();

    @BeforeEach
    void open() {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    @Override
    public DataLifecycle lifecycle() {
        return store.lifecycle();
    }

    @Override
    public String engine() {
        return store.engine();
    }

    @Override
    public void put(Namespace namespace, String key, String json) {
        store.set(namespace, key, json, HOUR, NO_QUOTA);
    }

    @Override
    public String read(Namespace namespace, String key) {
        return store.get(namespace, key);
    }

    @Override
    public void delete(Namespace namespace, String key) {
        store.remove(namespace, key);
    }

    @Test
    void missingKeyIsNull() {
        assertNull(store.get(user("alice"), "nothing"));
    }

    @Test
    void setGetOverwriteRemove() {
        store.set(user("alice"), "k", "1", HOUR, NO_QUOTA);
        assertEquals("1", store.get(user("alice"), "k"));
        store.set(user("alice"), "k", "{\"v\":2}", HOUR, NO_QUOTA);
        assertEquals("{\"v\":2}", store.get(user("alice"), "k"));
        store.remove(user("alice"), "k");
        assertNull(store.get(user("alice"), "k"));
        store.remove(user("alice"), "k");
        assertNull(store.get(user("alice"), "k"));
    }

    @Test
    void valuesAreByteExact() {
        String[] values = {"{\"b\":1,\"a\":[1.50,\"x\"]}", "{\"a\":1,\"a\":2}", "1e3", "null", "\"\\u00e9 é 😀\"",
                "[ 1 , 2 ]"};
        for (int i = 0; i < values.length; i++) {
            store.set(user("alice"), "v" + i, values[i], HOUR, NO_QUOTA);
        }
        for (int i = 0; i < values.length; i++) {
            assertEquals(values[i], store.get(user("alice"), "v" + i));
        }
    }

    @Test
    void userAndSharedScopesAreApart() {
        store.set(user("alice"), "k", "\"user\"", HOUR, NO_QUOTA);
        store.set(shared(), "k", "\"shared\"", HOUR, NO_QUOTA);
        assertEquals("\"user\"", store.get(user("alice"), "k"));
        assertEquals("\"shared\"", store.get(shared(), "k"));
        store.remove(shared(), "k");
        assertEquals("\"user\"", store.get(user("alice"), "k"));
        assertNull(store.get(shared(), "k"));
    }

    @Test
    void extensionsAreApart() {
        store.set(Namespace.user(NOTES, "alice"), "k", "1", HOUR, NO_QUOTA);
        store.set(Namespace.shared(NOTES), "k", "2", HOUR, NO_QUOTA);
        for (Namespace other : List.of(Namespace.user(NOTES_PLUS, "alice"), Namespace.user(OTHER, "alice"),
                Namespace.shared(NOTES_PLUS), Namespace.shared(OTHER))) {
            assertNull(store.get(other, "k"), other.toString());
        }
        store.remove(Namespace.user(OTHER, "alice"), "k");
        assertEquals("1", store.get(Namespace.user(NOTES, "alice"), "k"));
    }

    @Test
    void usersAreApartWhateverTheirIdsAndKeysHold() {
        // Pairs that a naive "user:key" join would map to one string.
        String[][] userKey = {{"a", "b:k"}, {"a:b", "k"}, {"a%3Ab", "k"}, {"a%b", "k"}, {"a%25b", "k"},
                {"1", "2:k"}, {"12", "k"}, {"u", "s:k"}};
        for (int i = 0; i < userKey.length; i++) {
            store.set(user(userKey[i][0]), userKey[i][1], String.valueOf(i), HOUR, NO_QUOTA);
        }
        store.set(shared(), "u:a:b:k", "\"shared\"", HOUR, NO_QUOTA);
        store.set(shared(), "k", "\"shared-k\"", HOUR, NO_QUOTA);
        for (int i = 0; i < userKey.length; i++) {
            assertEquals(String.valueOf(i), store.get(user(userKey[i][0]), userKey[i][1]), userKey[i][0]);
        }
        assertNull(store.get(user("a"), "k"));
        assertNull(store.get(user("a:b"), "b:k"));
        assertNull(store.get(user("b"), "k"));
        assertEquals("\"shared\"", store.get(shared(), "u:a:b:k"));
        assertEquals("\"shared-k\"", store.get(shared(), "k"));
    }

    @Test
    void unicodeAndLongKeysRoundTrip() {
        String[] keys = {"😀", "clé/with spaces", "..%2F..", "日本語:キー", emojiKey(255), "x".repeat(255), "*?[]\\"};
        for (int i = 0; i < keys.length; i++) {
            store.set(user("alice"), keys[i], String.valueOf(i), HOUR, NO_QUOTA);
        }
        for (int i = 0; i < keys.length; i++) {
            assertEquals(String.valueOf(i), store.get(user("alice"), keys[i]), keys[i]);
        }
        assertNull(store.get(user("alice"), "*"));
        assertNull(store.get(user("alice"), emojiKey(254)));
    }

    @Test
    void largeValuesRoundTrip() {
        String mib = Fixtures.jsonString(1024 * 1024);
        store.set(user("alice"), "big", mib, HOUR, NO_QUOTA);
        assertEquals(mib, store.get(user("alice"), "big"));
    }

    @Test
    void entriesExpireAfterTheirTtl() throws InterruptedException {
        store.set(user("alice"), "short", "1", 1, NO_QUOTA);
        store.set(user("alice"), "long", "2", HOUR, NO_QUOTA);
        store.set(user("alice"), "renewed", "3", 1, NO_QUOTA);
        store.set(user("alice"), "renewed", "4", HOUR, NO_QUOTA);
        assertTrue(Fixtures.eventually(Duration.ofSeconds(3), () -> store.get(user("alice"), "short") == null),
                "an entry with ttl=1 was still there after 3 s");
        assertEquals("2", store.get(user("alice"), "long"));
        assertEquals("4", store.get(user("alice"), "renewed"), "an overwrite sets a new TTL");
    }

    @Test
    void concurrentWritersToOneKeyLeaveOneWrittenValue() throws Exception {
        Set<String> written = new HashSet<>();
        for (int t = 0; t < 8; t++) {
            for (int i = 0; i < 50; i++) {
                written.add(value(t, i));
            }
        }
        List<String> reads = Fixtures.concurrently(8, 50, (t, i) -> {
            store.set(shared(), "hot", value(t, i), HOUR, NO_QUOTA);
            return store.get(shared(), "hot");
        });
        for (String read : reads) {
            assertTrue(written.contains(read), "read a value nobody wrote: " + read);
        }
        assertTrue(written.contains(store.get(shared(), "hot")));
    }

    private static String value(int thread, int i) {
        // Long enough that a torn write would show.
        return "{\"thread\":" + thread + ",\"i\":" + i + ",\"pad\":\"" + String.valueOf(thread).repeat(2000) + "\"}";
    }
}
