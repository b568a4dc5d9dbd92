package dev.extstorage.api;

import dev.extstorage.events.ChangeEvent;
import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.Limits;
import dev.extstorage.model.Paging;
import dev.extstorage.model.ResourceRef;
import dev.extstorage.model.StorageException;
import dev.extstorage.model.StoredValues;
import dev.extstorage.registry.ExtensionRegistry;
import dev.extstorage.store.EphemeralStore;
import dev.extstorage.store.PageSink;
import dev.extstorage.store.PersistentStore;
import dev.extstorage.store.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server-side Java API (SPEC section 6) on the embedded stores: the same rules as the REST API. */
class StorageServiceTest {
    static final ExtensionId NOTES = ExtensionId.of("acme", "notes");

    @TempDir
    Path dir;
    EphemeralStore ephemeral;
    PersistentStore persistent;
    StorageService service;

    @BeforeEach
    void open() {
        ephemeral = Stores.openEphemeral(null, null, 1 << 20, 1);
        persistent = Stores.openPersistent("jdbc:sqlite:" + dir.resolve("api.db"), 2);
        service = new StorageService(ExtensionRegistry.of(List.of(NOTES)), ephemeral, persistent,
                new Limits(3600, 100, 2000), Quotas.unshared(2000, 2048),
                10 * 1024 * 1024, "admin", new JsonCodec());
    }

    @AfterEach
    void close() {
        ephemeral.close();
        persistent.close();
    }

    record Job(int pct, String status) {
    }

    @Test
    void valuesRoundTripAsTreesTextAndTypes() {
        ExtensionStorage alice = service.forUser(NOTES, "alice", Set.of());
        alice.ephemeral().set("job", new Job(42, "running"), Duration.ofMinutes(5));
        assertEquals(new Job(42, "running"), alice.ephemeral().get("job", Job.class));
        assertEquals("{\"pct\":42,\"status\":\"running\"}", alice.ephemeral().getJson("job"));
        alice.persistent().set("prefs", Map.of("theme", "dark"));
        assertEquals("dark", alice.persistent().get("prefs").get("theme").asText());
        alice.persistent().set("nothing", null);
        assertTrue(alice.persistent().get("nothing").isNull());
        assertNull(alice.persistent().get("absent"));
        long[] total = {-1};
        alice.persistent().list(Paging.of(0, 10), new PageSink() {
            @Override
            public void begin(long count, long pageBytes) {
                total[0] = count;
            }

            @Override
            public void entry(String key, String json) {
            }

            @Override
            public void end() {
            }
        });
        assertEquals(2, total[0]);
    }

    @Test
    void scopesAndUsersStayApart() {
        service.forUser(NOTES, "alice", Set.of()).persistent().set("k", "alice's");
        assertNull(service.forUser(NOTES, "bob", Set.of()).persistent().get("k"));
        service.forExtension(NOTES).persistent().shared().set("config", 2);
        assertEquals(2, service.forUser(NOTES, "bob", Set.of()).persistent().shared().get("config").asInt());
    }

    @Test
    void theRulesOfTheRestApiApply() {
        ExtensionStorage alice = service.forUser(NOTES, "alice", Set.of());
        assertCode(ErrorCode.EXTENSION_NOT_FOUND, () -> service.forUser(ExtensionId.of("acme", "other"), "alice", Set.of()));
        assertCode(ErrorCode.NOT_AUTHENTICATED, () -> service.forUser(NOTES, "", Set.of()));
        assertCode(ErrorCode.NOT_AUTHENTICATED, () -> service.forExtension(NOTES).persistent().get("k"));
        assertCode(ErrorCode.INVALID_KEY, () -> alice.persistent().set("..", 1));
        assertCode(ErrorCode.INVALID_TTL, () -> alice.ephemeral().set("k", 1, Duration.ofHours(2)));
        assertCode(ErrorCode.INVALID_TTL, () -> alice.ephemeral().set("k", 1, Duration.ZERO));
        assertCode(ErrorCode.VALUE_TOO_LARGE, () -> alice.persistent().set("k", "x".repeat(200)));
        assertCode(ErrorCode.FORBIDDEN, () -> alice.persistent().shared().set("k", 1));
        service.forUser(NOTES, "root", Set.of("admin")).persistent().shared().set("k", 1);
        // Quota 2000: "k" costs 1 + 1 + 512, each of a and b 1 + 92 + 512, so a third does not fit.
        alice.persistent().set("a", "x".repeat(90));
        alice.persistent().set("b", "x".repeat(90));
        assertCode(ErrorCode.QUOTA_EXCEEDED, () -> alice.persistent().set("c", "x".repeat(90)));
        assertNull(alice.persistent().get("c"));
        // Ephemeral entries cost their key, value and 512 bytes: 1 + 92 + 512 each, three fit in 2048.
        for (String k : List.of("a", "b", "c")) {
            alice.ephemeral().set(k, "x".repeat(90), 60);
        }
        assertCode(ErrorCode.QUOTA_EXCEEDED, () -> alice.ephemeral().set("d", "x".repeat(90), 60));
        assertNull(alice.ephemeral().get("d"));
    }

    private static void assertCode(ErrorCode code, Executable call) {
        assertEquals(code, assertThrows(StorageException.class, call).code());
    }

    @Test
    void forResourceKeepsEachResourcesEntriesApartInBothScopes() throws Exception {
        ExtensionStorage alice = service.forUser(NOTES, "alice", Set.of("admin"));
        String uuid = "ABCDEF01-2345-4678-9abc-def012345678";
        PersistentStorage d1 = alice.persistent().forResource("dashboard", uuid);
        PersistentStorage d2 = alice.persistent().forResource("dashboard", "00000000-0000-4000-8000-000000000002");
        var events = new LinkedBlockingQueue<ChangeEvent>();
        try (var sub = alice.onChange(events::add)) {
            alice.persistent().set("k", 0);
            d1.set("k", 1);
            d1.shared().set("k", "s");
            assertEquals(0, alice.persistent().get("k").asInt());
            assertEquals(1, alice.persistent().forResource("dashboard", uuid.toLowerCase()).get("k").asInt());
            assertNull(d2.get("k"));
            assertEquals("s", d1.shared().get("k").asText());
            assertNull(alice.persistent().shared().get("k"));
            assertNull(service.forUser(NOTES, "bob", Set.of()).persistent().forResource("dashboard", uuid).get("k"));

            var plain = events.poll(10, TimeUnit.SECONDS);
            var first = events.poll(10, TimeUnit.SECONDS);
            assertNull(plain.resource());
            assertEquals("dashboard/" + uuid.toLowerCase(), first.resource());
        }
        assertEquals(ErrorCode.INVALID_QUERY, Assertions.assertThrows(
                StorageException.class,
                () -> alice.persistent().forResource("Dash", uuid)).code());
        assertEquals(ErrorCode.INVALID_QUERY, Assertions.assertThrows(
                StorageException.class,
                () -> alice.persistent().forResource("dashboard", "not-a-uuid")).code());
        // alice's entry of the resource and its shared one; the plain entry stays
        assertEquals(2, service.admin().purgeResource(ResourceRef.of("dashboard", uuid)));
        assertEquals(0, alice.persistent().get("k").asInt());
    }

    @Test
    void bytesRoundTripOnBothTiersAsBinaryValues() {
        ExtensionStorage alice = service.forUser(NOTES, "alice", Set.of());
        byte[] all = new byte[100];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) (i * 7 - 128);
        }
        alice.ephemeral().set("b", all, Duration.ofMinutes(1));
        alice.persistent().set("b", all);
        alice.persistent().forResource("chart", "00000000-0000-4000-8000-000000000003").set("b", all);
        Assertions.assertArrayEquals(all, alice.ephemeral().getBytes("b"));
        Assertions.assertArrayEquals(all, alice.persistent().getBytes("b"));
        Assertions.assertArrayEquals(all,
                alice.persistent().forResource("chart", "00000000-0000-4000-8000-000000000003").getBytes("b"));
        assertTrue(StoredValues.isBinary(alice.persistent().getJson("b")));
        assertNull(alice.persistent().getBytes("absent"));
        alice.persistent().set("json", 1);
        assertEquals(ErrorCode.INVALID_VALUE, Assertions.assertThrows(
                StorageException.class, () -> alice.persistent().getBytes("json")).code());
        // the value limit (100 here) counts the bytes
        assertEquals(ErrorCode.VALUE_TOO_LARGE, Assertions.assertThrows(
                StorageException.class,
                () -> alice.persistent().set("big", new byte[101])).code());
    }
}
