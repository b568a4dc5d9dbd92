package dev.extstorage.store.redis;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.Limits;
import dev.extstorage.model.Precondition;
import dev.extstorage.store.EntryCost;
import dev.extstorage.store.EphemeralBoundsContract;
import dev.extstorage.store.EphemeralStore;
import dev.extstorage.store.Fixtures;
import dev.extstorage.store.Namespace;
import dev.extstorage.store.Quota;
import dev.extstorage.store.StoredEntry;
import dev.extstorage.store.Versions;
import dev.extstorage.testing.TcpProxy;
import dev.extstorage.testing.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.ScanIteration;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.util.JedisURIHelper;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static dev.extstorage.store.Fixtures.shared;
import static dev.extstorage.store.Fixtures.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs against the Redis of {@code EXT_STORAGE_TEST_REDIS_URL}, under a key prefix of its own per test;
 * {@link RedisClusterEphemeralStoreTest} runs the same against a Redis Cluster.
 */
class RedisEphemeralStoreTest extends EphemeralBoundsContract {
    static final String RUN_PREFIX = "ext-storage-test-" + UUID.randomUUID().toString().substring(0, 8);
    private static int stores;
    String prefix;

    /** The Redis the tests run against. */
    String redisUrl() {
        return TestServices.redisUrl();
    }

    /** A client of the test's own, to look at what the store wrote (one Redis or a cluster). */
    static UnifiedJedis direct(String url) {
        return RedisClients.open(RedisClients.parse(url), "test", 4, 2000, 2000, 2000);
    }

    UnifiedJedis direct() {
        return direct(redisUrl());
    }

    @Override
    protected EphemeralStore newStore() {
        prefix = RUN_PREFIX + "-" + (++stores);
        return new RedisEphemeralStore(redisUrl(), prefix, 8);
    }

    private RedisEphemeralStore second;

    /** A second store on the same Redis and prefix: a second server instance. */
    @Override
    protected EphemeralStore elsewhere() {
        if (second == null) {
            second = new RedisEphemeralStore(redisUrl(), prefix, 8);
        }
        return second;
    }

    @org.junit.jupiter.api.AfterEach
    void closeSecond() {
        if (second != null) {
            second.close();
            second = null;
        }
    }

    RedisEphemeralStore redis() {
        return (RedisEphemeralStore) store;
    }

    @Override
    protected long extensionBytes(Namespace namespace) {
        return redis().extensionBytes(namespace);
    }

    @Override
    protected long namespaceBytes(Namespace namespace) {
        return redis().namespaceBytes(namespace);
    }

    @Override
    protected boolean afterSeconds(long seconds, BooleanSupplier condition) throws InterruptedException {
        return Fixtures.eventually(Duration.ofSeconds(seconds), condition);
    }

    private List<String> counterKeys(Namespace ns) {
        return RedisQuotaScripts.keys(prefix, ns, "unused").subList(1, 5);
    }

    @AfterAll
    static void deleteTestKeys() {
        for (String env : List.of(TestServices.REDIS_URL, TestServices.REDIS_CLUSTER_URL)) {
            String url = System.getenv(env);
            if (url != null && !url.isBlank()) {
                deleteKeys(url.trim(), RUN_PREFIX + "*");
            }
        }
    }

    /** Deletes the keys matching {@code pattern} on every node, one by one (on a cluster they span slots). */
    static void deleteKeys(String url, String pattern) {
        try (UnifiedJedis client = direct(url)) {
            ScanIteration walk = client.scanIteration(1000, pattern);
            while (!walk.isIterationCompleted()) {
                for (String key : walk.nextBatch().getResult()) {
                    client.unlink(key);
                }
            }
        }
    }

    @Test
    void usesTheDocumentedKeyLayoutWithATtl() {
        String version = store.set(user("a:b"), "k:1", "1", HOUR, NO_QUOTA);
        String expected = RUN_PREFIX + "-" + stores + ":{acme.notes}:u:a%3Ab:k:1";
        assertEquals(expected, redis().redisKey(user("a:b"), "k:1"));
        try (UnifiedJedis client = direct()) {
            assertEquals("#" + version + "1", client.get(expected), "'#', the version, the JSON text");
            long ttl = client.ttl(expected);
            assertTrue(ttl > 0 && ttl <= HOUR, "ttl " + ttl);
        }
    }

    @Test
    void anEntryWrittenBeforeVersionsHasTheLegacyVersionUntilItsNextWrite() {
        String key = redis().redisKey(user("alice"), "old");
        try (UnifiedJedis client = direct()) {
            client.psetex(key, 60_000, "[1,\"#\"]");
        }
        assertEquals(new StoredEntry("[1,\"#\"]", Versions.LEGACY), store.getEntry(user("alice"), "old"));
        assertEquals(Versions.LEGACY, Fixtures.assertCode(ErrorCode.PRECONDITION_FAILED,
                () -> store.set(user("alice"), "old", "2", HOUR, NO_QUOTA, Precondition.ifAbsent())).version());
        String next = store.set(user("alice"), "old", "2", HOUR, NO_QUOTA, Precondition.ifVersion(Versions.LEGACY));
        assertEquals(new StoredEntry("2", next), store.getEntry(user("alice"), "old"));
        assertEquals(Fixtures.cost("old", "2"), namespaceBytes(user("alice")), "the header costs nothing");
        assertTrue(store.remove(user("alice"), "old", Precondition.ifVersion(next)));
        assertEquals(0, namespaceBytes(user("alice")));
    }

    @Test
    void prefixesKeepDeploymentsApart() {
        try (RedisEphemeralStore other = new RedisEphemeralStore(redisUrl(), RUN_PREFIX + "-other")) {
            store.set(shared(), "k", "1", HOUR, NO_QUOTA);
            assertNull(other.get(shared(), "k"));
            other.set(shared(), "k", "2", HOUR, NO_QUOTA);
            assertEquals("1", store.get(shared(), "k"));
        }
    }

    /** A URL of the same kind as {@link #redisUrl} where nothing answers. */
    String unreachableUrl() {
        return "redis://127.0.0.1:1/0";
    }

    @Test
    void unreachableRedisFailsFastWithStoreUnavailable() {
        try (RedisEphemeralStore down = new RedisEphemeralStore(unreachableUrl(), "ext-storage")) {
            assertFalse(down.isAvailable());
            Fixtures.assertFailsFast(ErrorCode.STORE_UNAVAILABLE, () -> down.get(user("alice"), "k"));
            Fixtures.assertFailsFast(ErrorCode.STORE_UNAVAILABLE, () -> down.set(user("alice"), "k", "1", 10, NO_QUOTA));
            Fixtures.assertFailsFast(ErrorCode.STORE_UNAVAILABLE, () -> down.remove(user("alice"), "k"));
            // a walk over every node must not find "nothing" on a Redis it cannot reach
            Fixtures.assertFailsFast(ErrorCode.STORE_UNAVAILABLE, () -> down.lifecycle().extensionsWithData());
        }
        assertTrue(store.isAvailable());
    }

    @Test
    void recoversByItselfWhenRedisComesBack() throws Exception {
        URI target = URI.create(TestServices.redisUrl());
        try (TcpProxy proxy = new TcpProxy(target.getHost(), target.getPort());
             RedisEphemeralStore viaProxy = new RedisEphemeralStore("redis://127.0.0.1:" + proxy.port()
                     + target.getPath(), RUN_PREFIX + "-proxy", 4)) {
            Fixtures.assertFailsFast(ErrorCode.STORE_UNAVAILABLE, () -> viaProxy.get(shared(), "k"));
            proxy.up();
            viaProxy.set(shared(), "k", "1", HOUR, NO_QUOTA);
            assertEquals("1", viaProxy.get(shared(), "k"));
            proxy.down();
            assertFalse(viaProxy.isAvailable());
            Fixtures.assertFailsFast(ErrorCode.STORE_UNAVAILABLE, () -> viaProxy.get(shared(), "k"));
            proxy.up();
            // The pooled connections died with the "crash"; the store must not need a restart.
            assertEquals("1", viaProxy.get(shared(), "k"));
            assertTrue(viaProxy.isAvailable());
        }
    }

    @Test
    void countersLiveBesideTheEntriesWithTheirLongestTtl() {
        store.set(user("alice"), "a", "1", 60, NO_QUOTA);
        store.set(user("alice"), "b", "1", HOUR, NO_QUOTA);
        store.set(user("alice"), "c", "1", 10, NO_QUOTA);
        try (UnifiedJedis client = direct()) {
            assertEquals(prefix + ":#usage:{acme.notes}", counterKeys(user("alice")).get(0));
            assertEquals(prefix + ":#expiries:{acme.notes}:u:alice", counterKeys(user("alice")).get(3));
            for (String k : counterKeys(user("alice"))) {
                long ttl = client.pttl(k);
                assertTrue(ttl > (HOUR - 5) * 1000 && ttl <= (HOUR + 1) * 1000, k + " ttl " + ttl);
            }
            assertEquals(3 * Limits.entryCost(1, 1), Long.parseLong(client.hget(counterKeys(user("alice")).get(2),
                    "total")));
            assertEquals(3, client.zcard(counterKeys(user("alice")).get(3)), "one expiry second per entry");
            for (String k : List.of("a", "b", "c")) {
                store.remove(user("alice"), k);
            }
            for (String k : counterKeys(user("alice"))) {
                assertFalse(client.exists(k), "a counter of nothing stays: " + k);
            }
        }
    }

    @Test
    void countersHoldExactlyWhatTheirEntriesCostPerExpirySecond() {
        // replacements in the same expiry second and in another one, growing and shrinking, of an entry alone
        // in its second and of one beside others, removals; two namespaces of one extension
        Namespace alice = user("alice");
        String[][] writes = {{"a", "7"}, {"b", "9"}, {"c", "9"}, {"a", "3600"}, {"b", "3600"}, {"c", "9"},
                {"d", "60"}, {"d", "60"}, {"e", "5"}};
        int n = 0;
        for (String[] w : writes) {
            n++;
            store.set(alice, w[0], Fixtures.jsonString(n * 7 % 40), Long.parseLong(w[1]), NO_QUOTA);
            store.set(shared(), w[0], Fixtures.jsonString(n * 11 % 30), Long.parseLong(w[1]), NO_QUOTA);
            assertCountersMatchEntries(alice, shared());
        }
        store.remove(alice, "b");
        store.set(alice, "a", "1", 60, NO_QUOTA);
        assertCountersMatchEntries(alice, shared());
    }

    /** Each counter's total, its bytes per expiry second and its set of seconds, derived from the entries. */
    private void assertCountersMatchEntries(Namespace... namespaces) {
        try (UnifiedJedis client = direct()) {
            Map<String, Long> extension = new TreeMap<>();
            for (Namespace ns : namespaces) {
                Map<String, Long> own = new TreeMap<>();
                for (String k : List.of("a", "b", "c", "d", "e")) {
                    String redisKey = redis().redisKey(ns, k);
                    long at = client.pexpireTime(redisKey);
                    if (at >= 0) {
                        long cost = EntryCost.ofKey(k) + client.strlen(redisKey)
                                - RedisEntries.HEADER_CHARS;
                        for (Map<String, Long> m : List.of(own, extension)) {
                            m.merge(Long.toString((at + 999) / 1000), cost, Long::sum);
                            m.merge("total", cost, Long::sum);
                        }
                    }
                }
                assertCounter(client, counterKeys(ns).subList(2, 4), own);
            }
            assertCounter(client, counterKeys(namespaces[0]).subList(0, 2), extension);
        }
    }

    private static void assertCounter(UnifiedJedis client, List<String> usageAndExpiries,
                                      Map<String, Long> expected) {
        Map<String, Long> usage = new TreeMap<>();
        client.hgetAll(usageAndExpiries.get(0)).forEach((f, v) -> usage.put(f, Long.parseLong(v)));
        assertEquals(expected, usage, usageAndExpiries.get(0));
        Set<String> seconds = new TreeSet<>(expected.keySet());
        seconds.remove("total");
        assertEquals(seconds, new TreeSet<>(client.zrange(usageAndExpiries.get(1), 0, -1)),
                usageAndExpiries.get(1));
    }

    @Test
    void countersExpireWithTheirEntries() throws InterruptedException {
        store.set(user("alice"), "a", "1", 1, NO_QUOTA);
        store.set(shared(), "a", "1", 1, NO_QUOTA);
        try (UnifiedJedis client = direct()) {
            List<String> keys = List.of(counterKeys(user("alice")).get(2), counterKeys(shared()).get(2),
                    counterKeys(shared()).get(0));
            assertTrue(keys.stream().allMatch(client::exists));
            assertTrue(Fixtures.eventually(Duration.ofSeconds(4), () -> keys.stream().noneMatch(client::exists)),
                    "counters outlived every entry they counted");
        }
    }

    @Test
    void instancesSharingARedisShareTheBounds() throws Exception {
        long each = Limits.entryCost(5, 96);
        Quota quota = new Quota(1_000_000, 100 * each);
        try (RedisEphemeralStore second = new RedisEphemeralStore(redisUrl(), prefix, 8)) {
            EphemeralStore[] instances = {store, second};
            List<Boolean> accepted = Fixtures.concurrently(8, 50, (t, i) -> accepted(() -> instances[t % 2]
                    .set(user("alice"), "k" + t + "-" + (i < 10 ? "0" : "") + i, Fixtures.jsonString(96), HOUR, quota)));
            assertEquals(100, accepted.stream().filter(a -> a).count());
            assertEquals(100 * each, second.namespaceBytes(user("alice")));
        }
    }

    @Test
    void aLostScriptCacheFallsBackToEval() {
        boolean[] refused = {false};
        URI uri = URI.create(TestServices.redisUrl());
        DefaultJedisClientConfig config = DefaultJedisClientConfig.builder()
                .database(JedisURIHelper.getDBIndex(uri)).build();
        // Connection-based, so the subclass can stand in for a Redis that lost its script cache.
        try (UnifiedJedis forgetful = new UnifiedJedis(new Connection(JedisURIHelper.getHostAndPort(uri), config)) {
            @Override
            public Object evalsha(String sha1, List<String> keys, List<String> args) {
                refused[0] = true;
                throw new JedisNoScriptException("NOSCRIPT No matching script (simulated)");
            }
        }) {
            List<String> keys = RedisQuotaScripts.keys(prefix, user("alice"), redis().redisKey(user("alice"), "k"));
            assertNull(RedisQuotaScripts.set(forgetful, keys, "1", HOUR, Limits.entryCost(1, 0), NO_QUOTA,
                    Versions.next(), Precondition.NONE));
            assertTrue(refused[0]);
            assertEquals(Boolean.TRUE, RedisQuotaScripts.remove(forgetful, keys, Limits.entryCost(1, 0), Precondition.NONE));
        }
        assertNull(store.get(user("alice"), "k"));
        assertEquals(0, namespaceBytes(user("alice")));
    }

    @Test
    void unexpectedScriptRepliesAreRefused() {
        assertNull(RedisQuotaScripts.parseSet(List.of("ok")));
        assertEquals(new RedisQuotaScripts.Refusal(true, 12), RedisQuotaScripts.parseSet(List.of("namespace", "12")));
        assertEquals(new RedisQuotaScripts.Refusal(false, 7),
                RedisQuotaScripts.parseSet(List.of("extension".getBytes(), 7L)));
        for (Object reply : new Object[]{null, "OK", 1L, List.of(), List.of("ok", "x"), List.of("namespace"),
                List.of("namespace", "x"), List.of("other", "1"), List.of(List.of("ok"))}) {
            assertThrows(IllegalStateException.class, () -> RedisQuotaScripts.parseSet(reply), String.valueOf(reply));
        }
    }

    @Test
    void refusesBadConfiguration() {
        assertThrows(IllegalArgumentException.class, () -> new RedisEphemeralStore("http://x", "p"));
        assertThrows(IllegalArgumentException.class, () -> new RedisEphemeralStore("redis://h:1", "a:b"));
        assertThrows(IllegalArgumentException.class, () -> new RedisEphemeralStore("redis://h:1", "p", 0));
    }
}
