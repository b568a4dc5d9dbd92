package dev.extstorage.api;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.Limits;
import dev.extstorage.model.Precondition;
import dev.extstorage.model.StorageException;
import dev.extstorage.registry.ExtensionRegistry;
import dev.extstorage.store.EphemeralStore;
import dev.extstorage.store.Fixtures;
import dev.extstorage.store.PersistentStore;
import dev.extstorage.store.Stores;
import dev.extstorage.testing.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Versions and conditional writes through the server-side Java API (SPEC sections 6 and 8): {@code getEntry},
 * conditional {@code set}/{@code remove}, the new version returned by every write; on the embedded engines
 * (memory, SQLite) and on the scale-out ones (Redis, PostgreSQL) with two service instances on the same data.
 */
class ConditionalStorageTest {
    static final ExtensionId NOTES = ExtensionId.of("acme", "notes");
    static final String RUN = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    static final String SCHEMA = "ext_storage_api_" + RUN;
    static final String PREFIX = "ext-storage-api-" + RUN;
    static boolean scaleOutUsed;

    final List<AutoCloseable> opened = new ArrayList<>();
    static int runs;

    @AfterEach
    void closeStores() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
    }

    @AfterAll
    static void dropScaleOutData() throws Exception {
        if (!scaleOutUsed) {
            return;
        }
        try (var c = DriverManager.getConnection(TestServices.postgresUrl()); var s = c.createStatement()) {
            for (int i = 1; i <= runs; i++) {
                s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + "_" + i + " CASCADE");
            }
        }
        try (RedisClient client = RedisClient.create(TestServices.redisUrl())) {
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = client.scan(cursor, new ScanParams().match(PREFIX + "*").count(1000));
                if (!page.getResult().isEmpty()) {
                    client.unlink(page.getResult().toArray(new String[0]));
                }
                cursor = page.getCursor();
            } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
        }
    }

    /** Two services on the same data ("embedded": one service, as its stores are one process's). */
    StorageService[] services(String engines) throws Exception {
        if (engines.equals("embedded")) {
            Path dir = Files.createTempDirectory("ext-storage-api");
            StorageService one = service(Stores.openEphemeral(null, null, 1 << 24, 1),
                    Stores.openPersistent("jdbc:sqlite:" + dir.resolve("api.db"), 2));
            return new StorageService[] {one, one};
        }
        scaleOutUsed = true;
        // a schema and a key prefix of each test's own, all dropped at the end
        String schema = SCHEMA + "_" + (++runs);
        try (var c = DriverManager.getConnection(TestServices.postgresUrl()); var s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        String pg = TestServices.postgresUrl() + (TestServices.postgresUrl().contains("?") ? "&" : "?")
                + "currentSchema=" + schema;
        String prefix = PREFIX + "-" + runs;
        StorageService[] both = new StorageService[2];
        for (int i = 0; i < 2; i++) {
            both[i] = service(Stores.openEphemeral(TestServices.redisUrl(), prefix, 1 << 24, 8),
                    Stores.openPersistent(pg, 8));
        }
        return both;
    }

    private StorageService service(EphemeralStore ephemeral, PersistentStore persistent) {
        opened.add(ephemeral);
        opened.add(persistent);
        return new StorageService(ExtensionRegistry.of(List.of(NOTES)), ephemeral, persistent,
                new Limits(3600, 10_000, 20_000), Quotas.unshared(1 << 20, 1 << 20), 1 << 20, null, new JsonCodec());
    }

    /** One tier of the API, so both tiers run the same checks. */
    interface Tier {
        Entry getEntry(String key);

        String set(String key, Object value, Precondition condition);

        boolean remove(String key, Precondition condition);
    }

    static Tier tier(ExtensionStorage storage, String tier, boolean shared) {
        if (tier.equals("ephemeral")) {
            EphemeralStorage e = shared ? storage.ephemeral().shared() : storage.ephemeral();
            return new Tier() {
                public Entry getEntry(String key) {
                    return e.getEntry(key);
                }

                public String set(String key, Object value, Precondition condition) {
                    return e.set(key, value, Duration.ofMinutes(10), condition);
                }

                public boolean remove(String key, Precondition condition) {
                    return e.remove(key, condition);
                }
            };
        }
        PersistentStorage p = shared ? storage.persistent().shared() : storage.persistent();
        return new Tier() {
            public Entry getEntry(String key) {
                return p.getEntry(key);
            }

            public String set(String key, Object value, Precondition condition) {
                return p.set(key, value, condition);
            }

            public boolean remove(String key, Precondition condition) {
                return p.remove(key, condition);
            }
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "scale-out"})
    void getEntryAndConditionalWritesOnBothTiers(String engines) throws Exception {
        StorageService[] s = services(engines);
        for (String name : new String[] {"ephemeral", "persistent"}) {
            Tier alice = tier(s[0].forUser(NOTES, "alice", Set.of()), name, false);
            Tier aliceElsewhere = tier(s[1].forUser(NOTES, "alice", Set.of()), name, false);
            assertNull(alice.getEntry("doc"));
            String v1 = alice.set("doc", Map.of("n", 1), Precondition.ifAbsent());
            Entry read = aliceElsewhere.getEntry("doc");
            assertEquals(v1, read.version(), name);
            assertEquals(1, read.value().get("n").asInt());
            assertEquals("{\"n\":1}", read.json());

            String v2 = aliceElsewhere.set("doc", Map.of("n", 2), Precondition.ifVersion(v1));
            assertNotEquals(v1, v2);
            StorageException stale = Fixtures.assertCode(ErrorCode.PRECONDITION_FAILED,
                    () -> alice.set("doc", Map.of("n", 3), Precondition.ifVersion(v1)));
            assertEquals(v2, stale.version(), name);
            assertEquals(2, alice.getEntry("doc").value().get("n").asInt(), "nothing changed");
            // plain writes stay last-writer-wins, and return the new version too
            String v3 = tier(s[0].forUser(NOTES, "alice", Set.of()), name, false).set("doc", 3, Precondition.NONE);
            assertEquals(v3, aliceElsewhere.getEntry("doc").version());
            assertFalse(alice.remove("nothing", Precondition.NONE));
            Fixtures.assertCode(ErrorCode.PRECONDITION_FAILED, () -> alice.remove("doc", Precondition.ifVersion(v2)));
            assertTrue(aliceElsewhere.remove("doc", Precondition.ifVersion(v3)));
            assertNull(alice.getEntry("doc"));
            // another user's scope is another entry
            Tier bob = tier(s[0].forUser(NOTES, "bob", Set.of()), name, false);
            bob.set("doc", 1, Precondition.ifAbsent());
            assertNull(alice.getEntry("doc"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "scale-out"})
    void eightWritersIncrementingThroughIfVersionLoseNothing(String engines) throws Exception {
        StorageService[] s = services(engines);
        for (String name : new String[] {"ephemeral", "persistent"}) {
            Fixtures.concurrently(8, 25, (t, i) -> {
                Tier counter = tier(s[t % 2].forUser(NOTES, "u" + t, Set.of()), name, true);
                while (true) {
                    Entry e = counter.getEntry("counter");
                    long next = e == null ? 1 : e.value(Long.class) + 1;
                    try {
                        return counter.set("counter", next,
                                e == null ? Precondition.ifAbsent() : Precondition.ifVersion(e.version()));
                    } catch (StorageException conflict) {
                        if (conflict.code() != ErrorCode.PRECONDITION_FAILED) {
                            throw conflict;
                        }
                    }
                }
            });
            assertEquals(200L, tier(s[1].forExtension(NOTES), name, true).getEntry("counter").value(Long.class), name);
        }
    }
}
