package dev.extstorage.store;

import dev.extstorage.testing.TcpProxy;
import dev.extstorage.testing.TestServices;
import dev.extstorage.model.ErrorCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import static dev.extstorage.store.Fixtures.NOTES;
import static dev.extstorage.store.Fixtures.NOTES_PLUS;
import static dev.extstorage.store.Fixtures.OTHER;
import static dev.extstorage.store.Fixtures.shared;
import static dev.extstorage.store.Fixtures.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs against the Redis of {@code EXT_STORAGE_TEST_REDIS_URL}, under a key prefix of its own per test. */
class RedisEphemeralStoreTest extends EphemeralStoreContract {
    private static final String RUN_PREFIX = "ext-storage-test-" + UUID.randomUUID().toString().substring(0, 8);
    private static int stores;

    @Override
    protected EphemeralStore newStore() {
        return new RedisEphemeralStore(TestServices.redisUrl(), RUN_PREFIX + "-" + (++stores), 8);
    }

    private RedisEphemeralStore redis() {
        return (RedisEphemeralStore) store;
    }

    @AfterAll
    static void deleteTestKeys() {
        String url = System.getenv("EXT_STORAGE_TEST_REDIS_URL");
        if (url == null || url.isBlank()) {
            return;
        }
        try (RedisClient client = RedisClient.create(url.trim())) {
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = client.scan(cursor, new ScanParams().match(RUN_PREFIX + "*").count(1000));
                if (!page.getResult().isEmpty()) {
                    client.unlink(page.getResult().toArray(new String[0]));
                }
                cursor = page.getCursor();
            } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
        }
    }

    @Test
    void usesTheDocumentedKeyLayoutWithATtl() {
        store.set(user("a:b"), "k:1", "1", HOUR);
        String expected = RUN_PREFIX + "-" + stores + ":acme.notes:u:a%3Ab:k:1";
        assertEquals(expected, redis().redisKey(user("a:b"), "k:1"));
        try (RedisClient client = RedisClient.create(TestServices.redisUrl())) {
            assertEquals("1", client.get(expected));
            long ttl = client.ttl(expected);
            assertTrue(ttl > 0 && ttl <= HOUR, "ttl " + ttl);
        }
    }

    @Test
    void keysListsOnlyTheNamespacesOwnKeys() {
        store.set(user("alice"), "a*", "1", HOUR);
        store.set(user("alice"), "b:c", "1", HOUR);
        store.set(user("alice:x"), "k", "1", HOUR);
        store.set(user("alic"), "e:k", "1", HOUR);
        store.set(shared(), "s", "1", HOUR);
        store.set(Namespace.user(NOTES_PLUS, "alice"), "other", "1", HOUR);
        assertEquals(Set.of("a*", "b:c"), Set.copyOf(redis().keys(user("alice"))));
        assertEquals(List.of("s"), redis().keys(shared()));
        assertEquals(List.of(), redis().keys(user("nobody")));
        assertEquals(5, redis().countKeys(NOTES));
        assertEquals(1, redis().countKeys(NOTES_PLUS));
        assertEquals(0, redis().countKeys(OTHER));
    }

    @Test
    void removeAllRemovesOnlyThatExtension() {
        for (int i = 0; i < 30; i++) {
            store.set(user("u" + i), "k", "1", HOUR);
        }
        store.set(shared(), "k", "1", HOUR);
        store.set(Namespace.shared(NOTES_PLUS), "k", "2", HOUR);
        assertEquals(31, redis().removeAll(NOTES));
        assertEquals(0, redis().countKeys(NOTES));
        assertNull(store.get(shared(), "k"));
        assertEquals("2", store.get(Namespace.shared(NOTES_PLUS), "k"));
    }

    @Test
    void prefixesKeepDeploymentsApart() {
        try (RedisEphemeralStore other = new RedisEphemeralStore(TestServices.redisUrl(), RUN_PREFIX + "-other")) {
            store.set(shared(), "k", "1", HOUR);
            assertNull(other.get(shared(), "k"));
            other.set(shared(), "k", "2", HOUR);
            assertEquals("1", store.get(shared(), "k"));
        }
    }

    @Test
    void unreachableRedisFailsFastWithStoreUnavailable() {
        try (RedisEphemeralStore down = new RedisEphemeralStore("redis://127.0.0.1:1/0", "ext-storage")) {
            assertFalse(down.isAvailable());
            Fixtures.assertFailsFast(ErrorCode.STORE_UNAVAILABLE, () -> down.get(user("alice"), "k"));
            Fixtures.assertFailsFast(ErrorCode.STORE_UNAVAILABLE, () -> down.set(user("alice"), "k", "1", 10));
            Fixtures.assertFailsFast(ErrorCode.STORE_UNAVAILABLE, () -> down.remove(user("alice"), "k"));
            Fixtures.assertFailsFast(ErrorCode.STORE_UNAVAILABLE, () -> down.keys(user("alice")));
        }
        assertTrue(store.isAvailable());
    }

    @Test
    void recoversByItselfWhenRedisComesBack() throws Exception {
        java.net.URI target = java.net.URI.create(TestServices.redisUrl());
        try (TcpProxy proxy = new TcpProxy(target.getHost(), target.getPort());
             RedisEphemeralStore viaProxy = new RedisEphemeralStore("redis://127.0.0.1:" + proxy.port()
                     + target.getPath(), RUN_PREFIX + "-proxy", 4)) {
            Fixtures.assertFailsFast(ErrorCode.STORE_UNAVAILABLE, () -> viaProxy.get(shared(), "k"));
            proxy.up();
            viaProxy.set(shared(), "k", "1", HOUR);
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
    void refusesBadConfiguration() {
        assertThrows(IllegalArgumentException.class, () -> new RedisEphemeralStore("http://x", "p"));
        assertThrows(IllegalArgumentException.class, () -> new RedisEphemeralStore("redis://h:1", "a:b"));
        assertThrows(IllegalArgumentException.class, () -> new RedisEphemeralStore("redis://h:1", "p", 0));
    }
}
