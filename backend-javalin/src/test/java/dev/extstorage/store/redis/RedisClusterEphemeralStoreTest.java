package dev.extstorage.store.redis;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.ServerKeys;
import dev.extstorage.store.Fixtures;
import dev.extstorage.store.Namespace;
import dev.extstorage.testing.TcpProxy;
import dev.extstorage.testing.TestServices;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.ScanIteration;
import redis.clients.jedis.UnifiedJedis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static dev.extstorage.store.Fixtures.shared;
import static dev.extstorage.store.Fixtures.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole ephemeral contract (bounds, versions, lifecycle) and the Redis engine's own tests, against the
 * three-master Redis Cluster of {@code EXT_STORAGE_TEST_REDIS_CLUSTER_URL} ({@code scripts/services.sh}); plus
 * what only a cluster has: where the keys land. The contract's extensions lie on different masters (acme.notes
 * on one, acme.notesplus and globex.notes on another), so purges, exports and erasures cross nodes.
 */
class RedisClusterEphemeralStoreTest extends RedisEphemeralStoreTest {
    @Override
    String redisUrl() {
        return TestServices.redisClusterUrl();
    }

    @Test
    void theStoreRunsOnTheClusterClient() {
        assertInstanceOf(RedisClusterClient.class, redis().client());
        try (UnifiedJedis client = direct()) {
            assertTrue(((RedisClusterClient) client).getClusterNodes().size() >= 3, "three masters");
        }
    }

    @Test
    void everyKeyOfOneExtensionLandsInOneSlotOnOneNode() {
        for (Namespace ns : List.of(user("alice"), user("b:{o}b"), shared())) {
            for (String key : List.of("k", "{x}", "a:b", "}{")) {
                store.set(ns, key, "1", HOUR, NO_QUOTA);
            }
        }
        store.set(Namespace.user(Fixtures.OTHER, "alice"), "k", "1", HOUR, NO_QUOTA);
        Map<String, Set<Long>> slots = new TreeMap<>();
        Map<String, Integer> keys = new TreeMap<>();
        try (UnifiedJedis client = direct(); Jedis node = anyNode()) {
            ScanIteration walk = client.scanIteration(1000, ServerKeys.matchAllUnder(prefix + ":"));
            while (!walk.isIterationCompleted()) {
                for (String key : walk.nextBatch().getResult()) {
                    String ext = key.contains("{acme.notes}") ? "acme.notes" : "globex.notes";
                    slots.computeIfAbsent(ext, e -> new HashSet<>()).add(node.clusterKeySlot(key));
                    keys.merge(ext, 1, Integer::sum);
                }
            }
            assertEquals(Set.of(node.clusterKeySlot(ServerKeys.hashTag(Fixtures.NOTES))), slots.get("acme.notes"));
            assertEquals(Set.of(node.clusterKeySlot(ServerKeys.hashTag(Fixtures.OTHER))), slots.get("globex.notes"));
            // 12 entries and the counters of the extension and of its three namespaces (2 keys each)
            assertEquals(12 + 8, keys.get("acme.notes"));
            // and all on the one master that owns the slot
            Map<String, Long> perNode = new TreeMap<>();
            for (Map.Entry<String, ConnectionPool> master : ((RedisClusterClient) client).getClusterNodes().entrySet()) {
                perNode.put(master.getKey(), countOn(master.getValue(), prefix + ":*{acme.notes}*"));
            }
            assertEquals(List.of(0L, 0L, 20L), perNode.values().stream().sorted().toList(), perNode.toString());
        }
    }

    /** The keys matching {@code pattern} on one node, by a SCAN of that node alone. */
    private static long countOn(ConnectionPool node, String pattern) {
        long n = 0;
        try (Connection c = node.getResource()) {
            String cursor = "0";
            do {
                List<?> reply = (List<?>) c.executeCommand(new redis.clients.jedis.CommandArguments(
                        Protocol.Command.SCAN).add(cursor).add("MATCH").add(pattern).add("COUNT").add(1000));
                cursor = new String((byte[]) reply.get(0), StandardCharsets.UTF_8);
                n += ((List<?>) reply.get(1)).size();
            } while (!cursor.equals("0"));
        }
        return n;
    }

    private Jedis anyNode() {
        HostAndPort first = RedisClients.parse(redisUrl()).nodes().get(0);
        return new Jedis(first);
    }

    @Test
    void extensionsOnDifferentNodesAreListedAndPurgedApart() {
        // three ids whose slots belong to the three masters (acme.notes 12370, globex.todo 10514, globex.notes 2019)
        List<ExtensionId> ids = List.of(Fixtures.NOTES, ExtensionId.of("globex", "todo"), Fixtures.OTHER);
        for (ExtensionId id : ids) {
            store.set(Namespace.user(id, "alice"), "k", "1", HOUR, NO_QUOTA);
        }
        assertEquals(List.of("acme.notes", "globex.notes", "globex.todo"), store.lifecycle().extensionsWithData());
        List<String> exported = new ArrayList<>();
        store.lifecycle().exportUser("alice", (ext, resource, key, json, version, expiresAt) -> exported.add(ext));
        assertEquals(Set.of("acme.notes", "globex.notes", "globex.todo"), new HashSet<>(exported));
        assertEquals(1, store.lifecycle().purge(ExtensionId.of("globex", "todo")));
        assertEquals(List.of("acme.notes", "globex.notes"), store.lifecycle().extensionsWithData());
        assertEquals(2, store.lifecycle().eraseUser("alice"));
        assertNull(store.get(Namespace.user(Fixtures.NOTES, "alice"), "k"));
    }

    @Override
    String unreachableUrl() {
        return "redis-cluster://127.0.0.1:1,127.0.0.1:2";
    }

    /** A cluster that no seed reaches when the server starts: calls fail until one answers, then work. */
    @Override
    @Test
    void recoversByItselfWhenRedisComesBack() throws Exception {
        HostAndPort seed = RedisClients.parse(redisUrl()).nodes().get(0);
        try (TcpProxy proxy = new TcpProxy(seed.getHost(), seed.getPort());
             RedisEphemeralStore viaProxy = new RedisEphemeralStore("redis-cluster://127.0.0.1:" + proxy.port(),
                     prefix, 4)) {
            Fixtures.assertFailsFast(ErrorCode.STORE_UNAVAILABLE, () -> viaProxy.get(shared(), "k"));
            proxy.up();
            // the seed tells the client the nodes' own addresses; from then on it talks to them directly
            viaProxy.set(shared(), "k", "1", HOUR, NO_QUOTA);
            assertEquals("1", viaProxy.get(shared(), "k"));
            assertEquals("1", store.get(shared(), "k"));
        }
    }

    /** Every master forgets its scripts (as after a restart): the next write runs the script with EVAL. */
    @Override
    @Test
    void aLostScriptCacheFallsBackToEval() {
        store.set(user("alice"), "k", "1", HOUR, NO_QUOTA);
        try (UnifiedJedis client = direct()) {
            for (ConnectionPool pool : ((RedisClusterClient) client).getClusterNodes().values()) {
                try (Connection c = pool.getResource()) {
                    c.executeCommand(new redis.clients.jedis.CommandArguments(Protocol.Command.SCRIPT).add("FLUSH"));
                }
            }
        }
        store.set(user("alice"), "k", "22", HOUR, NO_QUOTA);
        assertEquals("22", store.get(user("alice"), "k"));
        store.remove(user("alice"), "k");
        assertNull(store.get(user("alice"), "k"));
        assertEquals(0, namespaceBytes(user("alice")));
    }

    @Test
    void refusesBadClusterUrls() {
        for (String url : List.of("redis-cluster://", "redis-cluster://h:1,", "redis-cluster://h:x",
                "redis-cluster://h:1/3", "redis-cluster://h:70000", "redis-cluster://u:p%zz@h:1")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new RedisEphemeralStore(url, "p"), url);
            assertFalse(e.getMessage().contains("%zz"), "the message does not repeat the URL");
        }
        assertThrows(IllegalArgumentException.class, () -> new RedisEphemeralStore(redisUrl(), "a{b}"));
    }

    @Test
    void clusterUrlsParse() {
        RedisTarget t = RedisClients.parse("redis-cluster://me:p%40ss+w@h1:7000,[::1]:7001,h3/0");
        assertTrue(t.cluster());
        assertEquals(List.of(new HostAndPort("h1", 7000), new HostAndPort("::1", 7001), new HostAndPort("h3", 6379)),
                t.nodes());
        assertEquals("me", t.user());
        assertEquals("p@ss+w", t.password());
        assertFalse(t.ssl());
        assertTrue(RedisClients.parse("rediss-cluster://:secret@h:1").ssl());
        assertNull(RedisClients.parse("rediss-cluster://:secret@h:1").user());
        assertFalse(RedisClients.parse("redis://h:1/2").cluster());
        assertEquals(2, RedisClients.parse("redis://h:1/2").database());
    }
}
