package dev.extstorage.store;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.Paging;
import dev.extstorage.model.StorageException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.extstorage.store.Fixtures.NOTES;
import static dev.extstorage.store.Fixtures.NOTES_PLUS;
import static dev.extstorage.store.Fixtures.OTHER;
import static dev.extstorage.store.Fixtures.assertCode;
import static dev.extstorage.store.Fixtures.cost;
import static dev.extstorage.store.Fixtures.shared;
import static dev.extstorage.store.Fixtures.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every promise of {@link DataLifecycle} (SPEC section 9), alike for both tiers: each engine's contract test
 * (memory, Redis, SQLite, PostgreSQL) runs it through its store.
 */
public interface DataLifecycleContract {
    /** Keys that a glob, a LIKE pattern or a joined namespace string would read as more than themselves. */
    List<String> WILD_KEYS = List.of("a*b", "a?c", "a[x]", "a\\d", "a:e", "a%f", "a_g", "ab", "b");

    DataLifecycle lifecycle();

    /** The engine's name, for the timing figures. */
    String engine();

    /** Writes an entry without any bound (ephemeral: for an hour). */
    void put(Namespace namespace, String key, String json);

    /** Reads an entry back, {@code null} if there is none. */
    String read(Namespace namespace, String key);

    /** Removes an entry. */
    void delete(Namespace namespace, String key);

    private Set<String> keys(Namespace ns, String prefix) {
        Recorder r = list(ns, prefix, Paging.of(0, 100), Long.MAX_VALUE);
        assertEquals(r.entries.size(), r.total, "the total counts what is listed");
        return new HashSet<>(r.entries.keySet());
    }

    private Recorder list(Namespace ns, String prefix, Paging paging, long maxPageBytes) {
        Recorder r = new Recorder();
        lifecycle().list(ns, prefix, paging, maxPageBytes, r);
        assertTrue(r.ended, "end() was called");
        return r;
    }

    @Test
    default void aPrefixMatchesLiterallyAndOnlyTheNamespacesOwnKeys() {
        for (String k : WILD_KEYS) {
            put(user("alice"), k, "1");
        }
        // the same keys and more in every neighbouring namespace
        for (Namespace ns : List.of(user("bob"), user("ali*"), user("alice:x"), shared(), Namespace.user(NOTES_PLUS,
                "alice"), Namespace.user(OTHER, "alice"))) {
            for (String k : WILD_KEYS) {
                put(ns, k + "-other", "2");
            }
            put(ns, "a*b", "2");
        }
        assertEquals(Set.of("a*b"), keys(user("alice"), "a*"));
        assertEquals(Set.of("a?c"), keys(user("alice"), "a?"));
        assertEquals(Set.of("a[x]"), keys(user("alice"), "a["));
        assertEquals(Set.of("a\\d"), keys(user("alice"), "a\\"));
        assertEquals(Set.of("a:e"), keys(user("alice"), "a:"));
        assertEquals(Set.of("a%f"), keys(user("alice"), "a%"));
        assertEquals(Set.of("a_g"), keys(user("alice"), "a_"));
        assertEquals(Set.of(), keys(user("alice"), "%"));
        assertEquals(Set.of(), keys(user("alice"), "*"));
        assertEquals(Set.of(), keys(user("alice"), "a*b-"));
        assertEquals(new HashSet<>(WILD_KEYS.subList(0, 8)), keys(user("alice"), "a"));
        assertEquals(new HashSet<>(WILD_KEYS), keys(user("alice"), ""));
        // a user id holding glob characters sees only its own keys
        Set<String> star = new HashSet<>(Set.of("a*b"));
        WILD_KEYS.stream().filter(k -> k.startsWith("a")).forEach(k -> star.add(k + "-other"));
        assertEquals(star, keys(user("ali*"), "a"));
        assertEquals(WILD_KEYS.size() + 1, keys(shared(), "").size());
    }

    @Test
    default void prefixPagesCoverEveryMatchOnceAndAreBounded() {
        for (int i = 0; i < 5; i++) {
            put(user("alice"), "p/" + i, "\"v" + i + "\"");
        }
        put(user("alice"), "q/0", "0");
        List<String> seen = new ArrayList<>();
        for (int page = 0; page < 3; page++) {
            Recorder r = list(user("alice"), "p/", Paging.of(page, 2), Long.MAX_VALUE);
            assertEquals(5, r.total);
            r.entries.forEach((k, v) -> assertEquals("\"v" + k.substring(2) + "\"", v));
            seen.addAll(r.entries.keySet());
        }
        seen.sort(null);
        assertEquals(List.of("p/0", "p/1", "p/2", "p/3", "p/4"), seen);

        long onePage = cost("p/0", "\"v0\"") * 2;
        Recorder refused = new Recorder();
        StorageException e = assertCode(ErrorCode.PAGE_TOO_LARGE,
                () -> lifecycle().list(user("alice"), "p/", Paging.of(0, 2), onePage - 1, refused));
        assertEquals(onePage, e.actual());
        assertEquals(0, refused.calls, "refused before the sink heard of it");
    }

    @Test
    default void usageFiguresEqualTheSumsOfWhatWasWritten() {
        Map<Namespace, Long> bytes = new HashMap<>();
        String[][] writes = {{"alice", "k1", "\"one\""}, {"alice", "k2", "{\"x\":[1,2,3]}"}, {"bob", "k1", "true"},
            {"", "config", "{\"v\":2}"}, {"", "ü-key", "\"ß\""}, {"alice", "k1", "\"overwritten, longer\""}};
        for (String[] w : writes) {
            Namespace ns = w[0].isEmpty() ? shared() : user(w[0]);
            put(ns, w[1], w[2]);
        }
        delete(user("alice"), "k2");
        put(Namespace.user(OTHER, "alice"), "elsewhere", "1");
        // what is left: alice k1 (overwritten), bob k1, shared config and ü-key
        bytes.put(user("alice"), cost("k1", "\"overwritten, longer\""));
        bytes.put(user("bob"), cost("k1", "true"));
        bytes.put(shared(), cost("config", "{\"v\":2}") + cost("ü-key", "\"ß\""));

        ExtensionUsage u = lifecycle().usage(NOTES, "alice");
        assertEquals(new UsageFigures(bytes.get(user("alice")), 1), u.user());
        assertEquals(new UsageFigures(bytes.get(shared()), 2), u.shared());
        long all = bytes.values().stream().mapToLong(Long::longValue).sum();
        assertEquals(new UsageFigures(all, 4), u.extension());
        assertEquals(new UsageFigures(cost("k1", "true"), 1), lifecycle().usage(NOTES, "bob").user());
        assertEquals(UsageFigures.NONE, lifecycle().usage(NOTES, "nobody").user());
        assertEquals(UsageFigures.NONE, lifecycle().usage(NOTES, null).user());
        assertEquals(new UsageFigures(cost("elsewhere", "1"), 1), lifecycle().usage(OTHER, null).extension());
        assertEquals(List.of(OTHER.id(), NOTES.id()).stream().sorted().toList(), lifecycle().extensionsWithData());
    }

    @Test
    default void purgeRemovesEverythingOfOneExtensionAndNothingOfAnyOther() {
        for (String k : WILD_KEYS) {
            put(user("alice"), k, "1");
            put(user("bob"), k, "1");
            put(shared(), k, "1");
            put(Namespace.user(NOTES_PLUS, "alice"), k, "2");
            put(Namespace.shared(OTHER), k, "3");
        }
        ExtensionUsage before = lifecycle().usage(NOTES_PLUS, "alice");
        assertEquals(3L * WILD_KEYS.size(), lifecycle().purge(NOTES));
        for (String k : WILD_KEYS) {
            assertNull(read(user("alice"), k));
            assertNull(read(shared(), k));
            assertEquals("2", read(Namespace.user(NOTES_PLUS, "alice"), k));
            assertEquals("3", read(Namespace.shared(OTHER), k));
        }
        assertEquals(new ExtensionUsage(UsageFigures.NONE, UsageFigures.NONE, UsageFigures.NONE),
                lifecycle().usage(NOTES, "alice"));
        assertEquals(before, lifecycle().usage(NOTES_PLUS, "alice"));
        assertEquals(List.of(OTHER.id(), NOTES_PLUS.id()).stream().sorted().toList(), lifecycle().extensionsWithData());
        assertEquals(0, lifecycle().purge(NOTES), "nothing left to purge");
        // the extension starts afresh
        put(user("alice"), "again", "1");
        assertEquals(new UsageFigures(cost("again", "1"), 1), lifecycle().usage(NOTES, "alice").extension());
    }

    @Test
    default void exportHoldsExactlyTheUsersEntries() {
        String[] users = {"alice", "alice:x", "ali*", "a%3A", "bob"};
        for (String u : users) {
            put(user(u), "k", "\"" + u + "\"");
            put(Namespace.user(OTHER, u), "o:" + u, "1");
        }
        put(shared(), "k", "\"shared\"");
        put(shared(), "u:alice:k", "\"shared\"");
        Map<String, String> exported = new HashMap<>();
        lifecycle().exportUser("alice", (ext, resource, key, json, updated, expires) -> {
            assertEquals(null, exported.put(ext + "/" + key, json), "each entry once");
        });
        assertEquals(Map.of(NOTES.id() + "/k", "\"alice\"", OTHER.id() + "/o:alice", "1"), exported);
        exported.clear();
        lifecycle().exportUser("ali*", (ext, resource, key, json, updated, expires) -> exported.put(ext + "/" + key, json));
        assertEquals(Map.of(NOTES.id() + "/k", "\"ali*\"", OTHER.id() + "/o:ali*", "1"), exported);
        exported.clear();
        lifecycle().exportUser("nobody", (ext, resource, key, json, updated, expires) -> exported.put(ext + "/" + key, json));
        assertTrue(exported.isEmpty());
    }

    @Test
    default void eraseRemovesExactlyOneUsersEntries() {
        for (String u : new String[] {"alice", "alice:x", "ali*", "bob"}) {
            put(user(u), "k", "1");
            put(Namespace.user(OTHER, u), "k", "1");
        }
        put(shared(), "k", "\"shared\"");
        long all = lifecycle().usage(NOTES, null).extension().bytes();
        assertEquals(2, lifecycle().eraseUser("alice"));
        assertNull(read(user("alice"), "k"));
        assertNull(read(Namespace.user(OTHER, "alice"), "k"));
        for (String u : new String[] {"alice:x", "ali*", "bob"}) {
            assertEquals("1", read(user(u), "k"), u);
            assertEquals("1", read(Namespace.user(OTHER, u), "k"), u);
        }
        assertEquals("\"shared\"", read(shared(), "k"));
        ExtensionUsage after = lifecycle().usage(NOTES, "alice");
        assertEquals(UsageFigures.NONE, after.user());
        assertEquals(new UsageFigures(all - cost("k", "1"), 4), after.extension());
        assertEquals(0, lifecycle().eraseUser("alice"));
    }

    /**
     * Writes entry {@code n} of {@code 0..total-1} as {@code "entry-n" = {"n":n}} in {@link #BULK}: shared when
     * {@code n % 10 == 0}, else user {@code "user" + n % 100}. An engine whose writes are too slow for this in a
     * test may seed the same rows by other means, usage included.
     */
    default void putBulk(int total) throws Exception {
        int threads = 8;
        Fixtures.concurrently(threads, total / threads, (t, i) -> {
            int n = t * (total / threads) + i;
            Namespace ns = n % 10 == 0 ? Namespace.shared(BULK) : Namespace.user(BULK, "user" + (n % 100));
            put(ns, "entry-" + n, "{\"n\":" + n + "}");
            return null;
        });
    }

    /** 100,000 entries of one extension (100 users and the shared scope) go in one purge; others stay. */
    @Test
    default void purgeOfAHundredThousandEntries() throws Exception {
        int total = 100_000;
        putBulk(total);
        put(user("alice"), "kept", "1");
        assertEquals(total, lifecycle().usage(BULK, null).extension().entries());
        long start = System.nanoTime();
        long removed = lifecycle().purge(BULK);
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.println("PURGE-TIMING " + engine() + " entries=" + removed
                + " ms=" + ms);
        assertEquals(total, removed);
        assertEquals(UsageFigures.NONE, lifecycle().usage(BULK, "user1").extension());
        assertNull(read(Namespace.user(BULK, "user1"), "entry-1"));
        assertEquals("1", read(user("alice"), "kept"));
        assertEquals(List.of(NOTES.id()), lifecycle().extensionsWithData());
    }

    /** Collects a page by key, failing on calls out of order. */
    final class Recorder implements PageSink {
        public final Map<String, String> entries = new LinkedHashMap<>();
        public long total = -1;
        public boolean ended;
        public int calls;

        @Override
        public void begin(long total, long pageBytes) {
            calls++;
            assertEquals(-1, this.total, "begin() once");
            this.total = total;
        }

        @Override
        public void entry(String key, String json) {
            calls++;
            assertFalse(ended);
            assertNull(entries.put(key, json), "each key once");
        }

        @Override
        public void end() {
            calls++;
            ended = true;
        }
    }

    /** A bulk of entries in an extension of its own, for the timed purge. */
    ExtensionId BULK = ExtensionId.of("bulk", "data");
}
