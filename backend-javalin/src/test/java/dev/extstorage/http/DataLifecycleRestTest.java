package dev.extstorage.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.extstorage.config.ServerConfig;
import dev.extstorage.config.Settings;
import dev.extstorage.model.Limits;
import dev.extstorage.model.RestPaths;
import dev.extstorage.model.Utf8;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static dev.extstorage.http.LifecycleConformance.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SPEC section 9 over HTTP: prefix listings on both tiers, usage, export, erasure, purge of an uninstalled extension. */
class DataLifecycleRestTest {
    private static final String NOTES = RestPaths.tierPath("acme", "notes", "");
    private static final String TODO = RestPaths.tierPath("globex", "todo", "");

    private static long cost(String key, String json) {
        return Limits.entryCost(Utf8.length(key), Utf8.length(json));
    }

    private static Set<String> keys(TestServer.Response r) {
        assertEquals(200, r.status(), r.body());
        Set<String> keys = new HashSet<>();
        r.json().get("result").forEach(e -> keys.add(e.get("key").asText()));
        assertEquals(keys.size(), r.json().get("count").asInt());
        return keys;
    }

    @Test
    void prefixListingsOnBothTiersAreLiteralAndIsolated() throws Exception {
        try (TestServer server = new TestServer()) {
            for (String tier : new String[] {"persistent", "ephemeral"}) {
                String body = "{\"value\":1,\"ttl\":300}";
                for (String key : new String[] {"a%2Ab", "a%3Fc", "a%25d", "a_e", "ab"}) {
                    assertEquals(200, server.put(NOTES + tier + "/" + key, "alice", body).status());
                    assertEquals(200, server.put(NOTES + tier + "/" + key, "bob", body).status());
                    assertEquals(200, server.put(NOTES + tier + "/" + key + "?shared=true", "bob", body).status());
                    assertEquals(200, server.put(TODO + tier + "/" + key, "alice", body).status());
                }
                String list = NOTES + tier + "?page_size=100&prefix=";
                assertEquals(Set.of("a*b"), keys(server.get(list + "a%2A", "alice")));
                assertEquals(Set.of("a?c"), keys(server.get(list + "a%3F", "alice")));
                assertEquals(Set.of("a%d"), keys(server.get(list + "a%25", "alice")));
                assertEquals(Set.of("a_e"), keys(server.get(list + "a_", "alice")));
                assertEquals(Set.of("a*b", "a?c", "a%d", "a_e", "ab"), keys(server.get(list + "a", "alice")));
                assertEquals(Set.of(), keys(server.get(list + "%25", "alice")));
                assertEquals(5, keys(server.get(list + "a&shared=true", "alice")).size());
            }
        }
    }

    @Test
    void usageFiguresEqualWhatWasWritten() throws Exception {
        try (TestServer server = new TestServer()) {
            server.put(NOTES + "persistent/k1", "alice", "{\"value\":{\"a\":1}}");
            server.put(NOTES + "persistent/k2", "bob", "{\"value\":\"bob's\"}");
            server.put(NOTES + "persistent/cfg?shared=true", "bob", "{\"value\":true}");
            server.put(NOTES + "ephemeral/job", "alice", "{\"value\":[1,2],\"ttl\":300}");
            JsonNode u = server.get(NOTES + "usage", "alice").json().get("result");
            JsonNode p = u.get("persistent");
            assertEquals(cost("k1", "{\"a\":1}"), p.get("userBytes").asLong());
            assertEquals(1, p.get("userEntries").asLong());
            assertEquals(cost("cfg", "true"), p.get("sharedBytes").asLong());
            assertEquals(cost("k1", "{\"a\":1}") + cost("k2", "\"bob's\"") + cost("cfg", "true"), p.get("bytes").asLong());
            assertEquals(3, p.get("entries").asLong());
            assertEquals(ServerConfig.from(Settings.of(server.env)).quotas().persistentBytes(),
                    p.get("quota").asLong());
            JsonNode e = u.get("ephemeral");
            assertEquals(cost("job", "[1,2]"), e.get("userBytes").asLong());
            assertEquals(cost("job", "[1,2]"), e.get("bytes").asLong());
            assertEquals(0, e.get("sharedEntries").asLong());
            assertEquals(0, server.get(NOTES + "usage", "carol").json().at("/result/persistent/userBytes").asLong());
        }
    }

    @Test
    void exportHoldsTheCallersEntriesAndErasureRemovesOneUsersOnly() throws Exception {
        String odd = "a/b:c%*";   // percent-encoded in the erasure's path
        try (TestServer server = new TestServer()) {
            for (String user : new String[] {odd, "a", "bob"}) {
                server.put(NOTES + "persistent/k", user, "{\"value\":\"" + user + "\"}");
                server.put(TODO + "ephemeral/e", user, "{\"value\":1,\"ttl\":300}");
            }
            server.put(NOTES + "persistent/k?shared=true", odd, "{\"value\":\"shared\"}");
            JsonNode export = server.get("/api/v1/me/storage", odd).json();
            assertEquals(2, export.get("count").asInt(), export.toString());
            Set<String> seen = new HashSet<>();
            export.get("result").forEach(x -> seen.add(x.get("extension").asText() + " " + x.get("tier").asText() + " "
                    + x.get("key").asText() + " " + x.get("value")));
            assertEquals(Set.of("acme.notes persistent k \"" + odd + "\"", "globex.todo ephemeral e 1"), seen);
            assertTrue(export.at("/result/0/updatedAt").asText().endsWith("Z"), export.toString());

            var erased = server.send("DELETE", "/api/v1/admin/users/a%2Fb%3Ac%25%2A/storage", null, admin("root"));
            assertEquals(200, erased.status(), erased.body());
            assertEquals(1, erased.json().at("/result/persistent").asInt());
            assertEquals(1, erased.json().at("/result/ephemeral").asInt());
            assertEquals(0, server.get("/api/v1/me/storage", odd).json().get("count").asInt());
            assertEquals(2, server.get("/api/v1/me/storage", "a").json().get("count").asInt());
            assertEquals("\"bob\"", server.get(NOTES + "persistent/k", "bob").result());
            assertEquals("\"shared\"", server.get(NOTES + "persistent/k?shared=true", "bob").result());
        }
    }

    @Test
    void anExtensionBoundTokenCannotExport() throws Exception {
        try (TestServer server = new TestServer()) {
            String bound = server.send("POST", RestPaths.tokenPath("acme", "notes"), null, TestServer.auth("alice"))
                    .json().get("token").asText();
            var r = server.send("GET", "/api/v1/me/storage", null, Map.of("Authorization", "Bearer " + bound));
            assertEquals(403, r.status(), r.body());
            assertEquals(200, server.send("GET", NOTES + "usage", null, Map.of("Authorization", "Bearer " + bound)).status());
        }
    }

    @Test
    void anUninstalledExtensionIsListedAndPurgedByAnAdministrator() throws Exception {
        try (TestServer server = new TestServer()) {
            server.put(NOTES + "persistent/k", "alice", "{\"value\":1}");
            server.put(NOTES + "persistent/s?shared=true", "alice", "{\"value\":2}");
            server.put(TODO + "persistent/k", "alice", "{\"value\":3}");
            server.stop();
            server.env.put(ServerConfig.EXTENSIONS, "globex.todo");
            server.start();
            assertEquals(404, server.get(NOTES + "persistent/k", "alice").status());
            JsonNode list = server.send("GET", "/api/v1/admin/extensions", null, admin("root")).json();
            assertEquals(2, list.get("count").asInt(), list.toString());
            assertEquals("acme.notes", list.at("/result/0/extension").asText());
            assertEquals(false, list.at("/result/0/installed").asBoolean());
            assertEquals(2, list.at("/result/0/usage/persistent/entries").asInt());
            var purged = server.send("DELETE", "/api/v1/admin/extensions/acme/notes/storage", null, admin("root"));
            assertEquals(200, purged.status(), purged.body());
            assertEquals(2, purged.json().at("/result/persistent").asInt());
            list = server.send("GET", "/api/v1/admin/extensions", null, admin("root")).json();
            assertEquals(1, list.get("count").asInt(), list.toString());
            assertEquals("globex.todo", list.at("/result/0/extension").asText());
            assertEquals("3", server.get(TODO + "persistent/k", "alice").result());
        }
    }
}
