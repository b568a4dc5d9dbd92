package dev.extstorage.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.extstorage.crypto.KeyRing;
import dev.extstorage.events.ChangeEvent;
import dev.extstorage.events.InProcessChangeFeed;
import dev.extstorage.events.Recorder;
import dev.extstorage.events.Subscription;
import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.Limits;
import dev.extstorage.model.Precondition;
import dev.extstorage.model.StorageException;
import dev.extstorage.registry.ExtensionRegistry;
import dev.extstorage.store.EphemeralStore;
import dev.extstorage.store.Namespace;
import dev.extstorage.store.PersistentStore;
import dev.extstorage.store.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java API's batch calls (getMany/getEntries, setMany, removeMany) on both tiers of the embedded stores. */
class BatchStorageTest {
    static final ExtensionId NOTES = ExtensionId.of("acme", "notes");

    @TempDir
    Path dir;
    EphemeralStore ephemeral;
    PersistentStore persistent;
    InProcessChangeFeed feed;
    StorageService service;
    ExtensionStorage alice;

    @BeforeEach
    void open() {
        ephemeral = Stores.openEphemeral(null, null, 1 << 20, 1);
        persistent = Stores.openPersistent("jdbc:sqlite:" + dir.resolve("batch.db"), 2);
        feed = new InProcessChangeFeed(1000);
        service = new StorageService(ExtensionRegistry.of(List.of(NOTES)), ephemeral, persistent,
                new Limits(3600, 1000, 1 << 20), Quotas.unshared(1 << 20, 1 << 20), 10 * 1024 * 1024, "admin",
                new JsonCodec(), feed, KeyRing.parse("k1:" + Base64.getEncoder()
                        .encodeToString(new byte[32])));
        alice = service.forUser(NOTES, "alice", Set.of());
    }

    @AfterEach
    void close() {
        feed.close();
        ephemeral.close();
        persistent.close();
    }

    private static StorageException assertCode(ErrorCode code, Executable call) {
        StorageException e = assertThrows(StorageException.class, call);
        assertEquals(code, e.code(), e.getMessage());
        return e;
    }

    @Test
    void mapsRoundTripInOrderOnBothTiers() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("b", Map.of("x", 1));
        values.put("a", List.of(1, 2));
        values.put("bytes", new byte[] {0, 1, (byte) 255});
        Map<String, String> ev = alice.ephemeral().setMany(values, Duration.ofMinutes(5));
        Map<String, String> pv = alice.persistent().setMany(values);
        assertEquals(List.of("b", "a", "bytes"), new ArrayList<>(ev.keySet()));
        for (JsonReads tier : List.<JsonReads>of(alice.ephemeral(), alice.persistent())) {
            Map<String, JsonNode> got = tier.getMany(List.of("a", "missing", "b"));
            assertEquals(List.of("a", "missing", "b"), new ArrayList<>(got.keySet()));
            assertEquals("[1,2]", got.get("a").toString());
            assertNull(got.get("missing"));
            assertEquals(1, got.get("b").get("x").asInt());
            assertArrayEquals(new byte[] {0, 1, (byte) 255}, tier.getBytes("bytes"));
        }
        assertEquals(pv.get("a"), alice.persistent().getEntries(List.of("a")).get("a").version());
        assertEquals(Map.of("a", true, "zz", false), alice.persistent().removeMany(List.of("a", "zz")));
        assertNull(alice.persistent().get("a"));
    }

    @Test
    void theBatchRulesHoldOnBothTiers() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i <= 100; i++) {
            many.add("k" + i);
        }
        StorageException tooMany = assertCode(ErrorCode.INVALID_BODY, () -> alice.persistent().getMany(many));
        assertEquals(100, tooMany.limit());
        assertEquals(101, tooMany.actual());
        assertCode(ErrorCode.INVALID_BODY, () -> alice.ephemeral().removeMany(many));
        assertCode(ErrorCode.INVALID_BODY, () -> alice.ephemeral().getMany(List.of("a", "a")));
        assertCode(ErrorCode.INVALID_KEY, () -> alice.persistent().removeMany(List.of("a", "")));
        // each value within the limit (1000 bytes), together above it
        Map<String, Object> big = Map.of("x", "a".repeat(600), "y", "b".repeat(600));
        StorageException total = assertCode(ErrorCode.VALUE_TOO_LARGE, () -> alice.persistent().setMany(big));
        assertEquals(1000, total.limit());
        assertCode(ErrorCode.VALUE_TOO_LARGE, () -> alice.ephemeral().setMany(big, Duration.ofMinutes(1)));
        assertCode(ErrorCode.INVALID_TTL, () -> alice.ephemeral().setMany(Map.of("t", 1), Duration.ofDays(2)));
        assertNull(alice.persistent().get("x"));
        assertEquals(Map.of(), alice.persistent().getMany(List.of()));
    }

    @Test
    void aFailedConditionFailsTheWholeBatch() {
        String v = alice.persistent().set("a", 1);
        JsonText two = new JsonText("2");
        List<BatchEntry> entries = List.of(new BatchEntry("n", two, 0, null, false),
                new BatchEntry("a", two, 0, Precondition.ifAbsent(), false));
        StorageException e = assertCode(ErrorCode.PRECONDITION_FAILED, () -> alice.persistent().setManyJson(entries));
        assertEquals(v, e.version());
        assertNull(alice.persistent().get("n"));
        assertEquals(1, alice.persistent().get("a").asInt());
    }

    @Test
    void everyChangedEntryMakesOneEventAndEncryptedOnesCarryNoValue() throws Exception {
        Recorder seen = new Recorder();
        try (Subscription s = alice.onChange(seen)) {
            JsonText secret = new JsonText("\"secret\"");
            alice.persistent().setManyJson(List.of(new BatchEntry("plain", new JsonText("1"), 0, null, false),
                    new BatchEntry("sealed", secret, 0, null, true)));
            List<ChangeEvent> events = seen.until("sealed");
            assertEquals(List.of("plain", "sealed"), events.stream().map(ChangeEvent::key).toList());
            assertEquals("1", events.get(0).valueJson());
            assertNull(events.get(1).valueJson());
            assertEquals("secret", alice.persistent().getMany(List.of("sealed")).get("sealed").asText());
            assertFalse(persistent.get(Namespace.user(NOTES, "alice"), "sealed")
                    .contains("secret"));

            alice.persistent().removeMany(List.of("plain", "never"));
            List<ChangeEvent> removed = seen.until("plain");
            assertTrue(removed.get(removed.size() - 1).deleted());
            assertTrue(seen.drain().isEmpty(), "no event for a key that was not there");
        }
        assertCode(ErrorCode.INVALID_BODY, () -> alice.ephemeral().setManyJson(List.of(
                new BatchEntry("e", new JsonText("1"), 60, null, true))));
    }
}
