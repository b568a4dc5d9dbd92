package dev.extstorage.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.extstorage.api.SecretStorage;
import dev.extstorage.api.StorageService;
import dev.extstorage.events.ChangeEvent;
import dev.extstorage.events.Recorder;
import dev.extstorage.events.Subscription;
import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.RestPaths;
import dev.extstorage.model.StorageException;
import dev.extstorage.model.StoredValues;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.extstorage.http.LifecycleConformance.admin;
import static dev.extstorage.http.RestApiTest.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Server-only secrets (SPEC section 10) through the Java API of a real server, on each persistent engine (a
 * subclass per engine): round trips, isolation between extensions and users, purge and erasure, nothing in the
 * export, listings, usage or events, no plaintext in the database, and a sealed text moved to another owner or
 * table does not open. Each test uses keys and users of its own, so the tests of a class share one server.
 */
abstract class SecretsContract {
    static final ExtensionId NOTES = ExtensionId.of("acme", "notes");
    static final ExtensionId TODO = ExtensionId.of("globex", "todo");

    abstract TestServer server();

    /** Runs one statement on the server's database. */
    abstract void sql(String statement) throws Exception;

    /** Every row of {@code table}, every column, as text. */
    abstract List<String> rowsAsText(String table) throws Exception;

    /** The database's own files, if the test can read them, hold no {@code plain} (else nothing to check). */
    abstract void assertNotInDatabaseFiles(String plain) throws Exception;

    StorageService service() {
        return server().server.storage();
    }

    SecretStorage of(ExtensionId extension) {
        return service().forExtension(extension).secrets();
    }

    @Test
    void stringsBytesAndJsonRoundTripWithNewVersions() {
        SecretStorage s = of(NOTES);
        String v1 = s.set("rt-token", "tok_live_123");
        assertEquals("tok_live_123", s.getString("rt-token"));
        String v2 = s.set("rt-token", "tok_live_456");
        assertNotEquals(v1, v2);
        assertEquals(v2, s.getEntry("rt-token").version());
        assertEquals("tok_live_456", s.getString("rt-token"));
        byte[] bytes = {0, 1, 2, (byte) 0xff, 'x'};
        s.set("rt-bytes", bytes);
        assertArrayEquals(bytes, s.getBytes("rt-bytes"));
        s.set("rt-json", Map.of("a", 1));
        assertEquals(1, s.get("rt-json").get("a").asInt());
        s.set("rt-emoji/ü:%", "k");
        assertEquals("k", s.getString("rt-emoji/ü:%"));
        assertTrue(s.remove("rt-token"));
        assertFalse(s.remove("rt-token"));
        assertNull(s.getString("rt-token"));
        assertNull(s.getBytes("rt-missing"));
    }

    @Test
    void keysAndValuesFollowTheStorageRules() {
        SecretStorage s = of(NOTES);
        assertCode(ErrorCode.INVALID_KEY, () -> s.set("", "x"));
        assertCode(ErrorCode.INVALID_KEY, () -> s.set("a\u0001b", "x"));
        assertCode(ErrorCode.INVALID_KEY, () -> s.getString(".."));
        long max = service().limits().maxValueBytes();
        assertCode(ErrorCode.VALUE_TOO_LARGE, () -> s.set("big", new byte[(int) max + 1]));
        assertCode(ErrorCode.NOT_AUTHENTICATED, () -> s.forUser(""));
    }

    @Test
    void keysArePagedInOrder() {
        SecretStorage s = of(NOTES).forUser("pager");
        for (String k : new String[] {"p3", "p1", "p2", "p5", "p4"}) {
            s.set(k, k);
        }
        assertEquals(List.of("p1", "p2"), s.keys(null, 2));
        assertEquals(List.of("p3", "p4"), s.keys("p2", 2));
        assertEquals(List.of("p5"), s.keys("p4", 2));
        assertEquals(List.of(), s.keys("p5", 2));
        assertThrows(IllegalArgumentException.class, () -> s.keys(null, 0));
    }

    @Test
    void extensionsUsersAndTheExtensionsOwnAreApart() {
        of(NOTES).set("iso", "notes-own");
        of(TODO).set("iso", "todo-own");
        of(NOTES).forUser("iso-alice").set("iso", "alice-in-notes");
        of(NOTES).forUser("iso-bob").set("iso", "bob-in-notes");
        of(TODO).forUser("iso-alice").set("iso", "alice-in-todo");
        assertEquals("notes-own", of(NOTES).getString("iso"));
        assertEquals("todo-own", of(TODO).getString("iso"));
        assertEquals("alice-in-notes", of(NOTES).forUser("iso-alice").getString("iso"));
        assertEquals("bob-in-notes", of(NOTES).forUser("iso-bob").getString("iso"));
        assertEquals("alice-in-todo", of(TODO).forUser("iso-alice").getString("iso"));
        assertNull(of(NOTES).forUser("iso-carol").getString("iso"));
        // a user's storage reaches that user's secrets, and the extension's through shared()
        SecretStorage alice = service().forUser(NOTES, "iso-alice", Set.of()).secrets();
        assertEquals("alice-in-notes", alice.getString("iso"));
        assertEquals("notes-own", alice.shared().getString("iso"));
        assertTrue(of(NOTES).forUser("iso-bob").remove("iso"));
        assertEquals("alice-in-notes", alice.getString("iso"));
        assertEquals("notes-own", of(NOTES).getString("iso"));
    }

    @Test
    void aPurgeRemovesTheExtensionsSecretsAndAnErasureTheUsers() {
        // globex.todo's data: its own secret, two users'; acme.notes keeps its own
        of(TODO).set("purge-own", "x");
        of(TODO).forUser("purge-u1").set("purge-k", "x");
        of(TODO).forUser("purge-u2").set("purge-k", "x");
        of(NOTES).forUser("purge-u1").set("purge-k", "kept");
        var dry = service().admin().purge(TODO, true);
        assertTrue(dry.secrets() >= 3, dry.toString());
        assertEquals("x", of(TODO).getString("purge-own"));
        var r = server().send("DELETE", RestPaths.adminStoragePath("globex", "todo"), null,
                admin("root"));
        assertEquals(200, r.status(), r.body());
        assertEquals(dry.secrets(), r.json().at("/result/secrets").asLong(), r.body());
        assertNull(of(TODO).getString("purge-own"));
        assertNull(of(TODO).forUser("purge-u1").getString("purge-k"));
        assertEquals("kept", of(NOTES).forUser("purge-u1").getString("purge-k"));

        of(NOTES).forUser("erase-me").set("a", "1");
        of(TODO).forUser("erase-me").set("b", "2");
        of(NOTES).forUser("erase-other").set("a", "3");
        of(NOTES).set("erase-own", "4");
        var e = server().send("DELETE", RestPaths.adminUserStoragePath("erase-me"), null, admin("root"));
        assertEquals(200, e.status(), e.body());
        assertEquals(2, e.json().at("/result/secrets").asLong(), e.body());
        assertEquals(0, e.json().at("/result/entries").asLong(), e.body());
        assertNull(of(NOTES).forUser("erase-me").getString("a"));
        assertNull(of(TODO).forUser("erase-me").getString("b"));
        assertEquals("3", of(NOTES).forUser("erase-other").getString("a"));
        assertEquals("4", of(NOTES).getString("erase-own"));
    }

    @Test
    void anExtensionHoldingOnlySecretsIsListedForItsPurge() {
        // globex.todo with nothing but one secret: were it not listed, an administrator would never learn that an
        // uninstalled extension left secrets to purge
        assertEquals(200, server().send("DELETE", RestPaths.adminStoragePath("globex", "todo"), null,
                admin("root")).status());
        assertNull(listed("globex.todo"));
        of(TODO).set("listed-secret", "x");
        var todo = listed("globex.todo");
        assertNotNull(todo);
        assertEquals(1, todo.get("secrets").asLong(), todo.toString());
        assertEquals(0, todo.at("/usage/persistent/entries").asLong(), todo.toString());
        assertEquals(0, todo.at("/usage/ephemeral/entries").asLong(), todo.toString());
        assertEquals(200, server().send("DELETE", RestPaths.adminStoragePath("globex", "todo"), null,
                admin("root")).status());
        assertNull(listed("globex.todo"));
    }

    /** The admin list's item of {@code extension}, or {@code null}. */
    private JsonNode listed(String extension) {
        var r = server().send("GET", RestPaths.ADMIN_EXTENSIONS_PATH, null, admin("root"));
        assertEquals(200, r.status(), r.body());
        for (var item : r.json().get("result")) {
            if (item.get("extension").asText().equals(extension)) {
                return item;
            }
        }
        return null;
    }

    @Test
    void noExportListingUsageOrEventShowsThem() throws Exception {
        String value = "hidden-value-" + getClass().getSimpleName();
        Recorder recorder = new Recorder();
        try (Subscription sub = service().forUser(NOTES, "hide-alice", Set.of()).onChange(recorder)) {
            of(NOTES).forUser("hide-alice").set("hide-key", value);
            of(NOTES).set("hide-shared", value);
            // a storage write after them: its event comes after any event the secrets would have made
            assertEquals(200, server().put(TestServer.url("acme", "notes", "persistent", "marker"), "hide-alice",
                    "{\"value\":1}").status());
            List<ChangeEvent> events = recorder.until("marker");
            assertEquals(List.of("marker"), events.stream().map(ChangeEvent::key).toList());
        }
        for (String path : List.of(RestPaths.ME_STORAGE_PATH, RestPaths.tierPath("acme", "notes", "persistent"),
                RestPaths.tierPath("acme", "notes", "persistent") + "?shared=true",
                RestPaths.usagePath("acme", "notes"), RestPaths.ADMIN_EXTENSIONS_PATH)) {
            var r = server().send("GET", path, null, path.contains("admin") ? admin("hide-alice")
                    : TestServer.auth("hide-alice"));
            assertEquals(200, r.status(), path + ": " + r.body());
            assertFalse(r.body().contains(value) || r.body().contains("hide-key") || r.body().contains("hide-shared"),
                    path + ": " + r.body());
        }
        var usage = server().get(RestPaths.usagePath("acme", "notes"), "hide-alice").json();
        assertEquals(1, usage.at("/result/persistent/userEntries").asLong(), usage.toString());
    }

    @Test
    void theDatabaseHoldsNoPlaintext() throws Exception {
        String value = "plain-secret-" + getClass().getSimpleName() + "-7f3a";
        of(NOTES).set("at-rest", value);
        of(NOTES).forUser("at-rest-user").set("at-rest", value.getBytes(StandardCharsets.UTF_8));
        List<String> rows = rowsAsText("extension_secret");
        assertTrue(rows.stream().anyMatch(r -> r.contains("at-rest")), rows.toString());
        String base64 = Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
        for (String table : List.of("extension_secret", "storage_entry")) {
            for (String row : rowsAsText(table)) {
                assertFalse(row.contains(value) || row.contains(base64), table + ": " + row);
            }
        }
        assertNotInDatabaseFiles(value);
    }

    @Test
    void aSealedTextMovedToAnotherOwnerOrTableDoesNotOpen() throws Exception {
        of(NOTES).forUser("move-carol").set("moved", "carol's secret");
        of(NOTES).forUser("move-dave").set("moved", "dave's secret");
        of(NOTES).set("moved-own", "the extension's");
        of(TODO).set("moved", "todo's");
        // carol's sealed text into dave's row, and into the extension's own, and into another extension's
        String carols = "(SELECT s.sealed FROM extension_secret s WHERE s.secret_key = 'moved' AND s.scope = 'user'"
                + " AND s.owner = 'move-carol')";
        sql("UPDATE extension_secret SET sealed = " + carols + " WHERE (secret_key = 'moved' AND owner = 'move-dave')"
                + " OR secret_key = 'moved-own' OR (extension_id = 'globex.todo' AND secret_key = 'moved')");
        assertCode(ErrorCode.FORBIDDEN, () -> of(NOTES).forUser("move-dave").getString("moved"));
        assertCode(ErrorCode.FORBIDDEN, () -> of(NOTES).getString("moved-own"));
        assertCode(ErrorCode.FORBIDDEN, () -> of(TODO).getString("moved"));
        assertEquals("carol's secret", of(NOTES).forUser("move-carol").getString("moved"));

        // a secret's sealed text as carol's storage value of the same key: the domain differs, it does not open
        assertEquals(200, server().put(TestServer.url("acme", "notes", "persistent", "moved"), "move-carol",
                "{\"value\":\"mine\",\"encrypt\":true}").status());
        sql("UPDATE storage_entry SET value_json = '" + StoredValues.ENCRYPTED_PREFIX + "' || " + carols + " || '\"'"
                + " WHERE entry_key = 'moved' AND owner = 'move-carol'");
        assertError(server().get(TestServer.url("acme", "notes", "persistent", "moved"), "move-carol"), 403,
                "FORBIDDEN");
        // and the reverse: a storage value's envelope as carol's secret
        assertEquals(200, server().put(TestServer.url("acme", "notes", "persistent", "moved2"), "move-carol",
                "{\"value\":\"mine\",\"encrypt\":true}").status());
        of(NOTES).forUser("move-carol").set("moved2", "x");
        int start = StoredValues.ENCRYPTED_PREFIX.length() + 1;
        sql("UPDATE extension_secret SET sealed = (SELECT substr(e.value_json, " + start + ", length(e.value_json) - "
                + start + ") FROM storage_entry e WHERE e.entry_key = 'moved2' AND e.owner = 'move-carol')"
                + " WHERE secret_key = 'moved2' AND owner = 'move-carol'");
        assertTrue(rowsAsText("extension_secret").stream().anyMatch(r -> r.contains("moved2") && r.contains("v1.")));
        assertCode(ErrorCode.FORBIDDEN, () -> of(NOTES).forUser("move-carol").getString("moved2"));
    }

    static void assertCode(ErrorCode code, Runnable r) {
        StorageException e = assertThrows(StorageException.class, r::run);
        assertEquals(code, e.code(), e.getMessage());
    }

    /** Every row of {@code table} from a JDBC connection, its columns joined with {@code |}. */
    static List<String> rows(Connection c, String table) throws Exception {
        List<String> out = new ArrayList<>();
        try (var s = c.createStatement(); var rs = s.executeQuery("SELECT * FROM " + table)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    b.append(rs.getString(i)).append('|');
                }
                out.add(b.toString());
            }
        }
        return out;
    }
}
