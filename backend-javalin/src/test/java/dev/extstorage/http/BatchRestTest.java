package dev.extstorage.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.extstorage.model.RestPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashMap;
import java.util.Map;

import static dev.extstorage.http.RestApiTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The batch route ({@code POST .../storage/{tier}}, README "Batches") on both server tiers: one request for many
 * keys, the single routes' rules entry by entry, the batch's own limits, all or nothing on the persistent tier.
 */
class BatchRestTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass(Map.of("EXT_STORAGE_USER_QUOTA_BYTES", "20000"));
    static final String[] TIERS = {"ephemeral", "persistent"};

    static String tierUrl(String tier) {
        return RestPaths.tierPath("acme", "notes", tier);
    }

    static TestServer.Response post(String path, String user, String body) {
        Map<String, String> h = new HashMap<>(TestServer.auth(user));
        h.put("Content-Type", "application/json");
        return server.send("POST", path, body, h);
    }

    static String ttl(String tier) {
        return tier.equals("ephemeral") ? ",\"ttl\":300" : "";
    }

    @Test
    void setGetAndRemoveManyKeysInOneRequestEach() {
        for (String tier : TIERS) {
            String t = ttl(tier);
            var set = post(tierUrl(tier), "batch-alice", "{\"op\":\"set\",\"entries\":[{\"key\":\"a/b\",\"value\":{\"x\":1}"
                    + t + "},{\"key\":\"100% \u00e9:\ud83d\ude00\",\"value\":[true]" + t + "},{\"key\":\"bin\",\"value\":\"AAE=\","
                    + "\"isBinary\":true" + t + "}]}");
            assertEquals(200, set.status(), tier + ": " + set.body());
            JsonNode versions = set.json().get("results");
            assertEquals("a/b", versions.get(0).get("key").asText());

            var single = server.get(TestServer.url("acme", "notes", tier, "a%2Fb"), "batch-alice");
            assertEquals("{\"result\":{\"x\":1}}", single.body());
            assertEquals("\"" + versions.get(0).get("version").asText() + "\"", single.raw().headers()
                    .firstValue("ETag").orElseThrow());

            var get = post(tierUrl(tier), "batch-alice",
                    "{\"op\":\"get\",\"keys\":[\"bin\",\"missing\",\"100% \u00e9:\ud83d\ude00\",\"a/b\"]}");
            assertEquals(200, get.status(), get.body());
            assertEquals("{\"results\":[{\"key\":\"bin\",\"value\":\"AAE=\",\"version\":\""
                    + versions.get(2).get("version").asText() + "\",\"isBinary\":true},{\"key\":\"missing\",\"value\":null},"
                    + "{\"key\":\"100% \u00e9:\ud83d\ude00\",\"value\":[true],\"version\":\"" + versions.get(1).get("version").asText()
                    + "\"},{\"key\":\"a/b\",\"value\":{\"x\":1},\"version\":\"" + versions.get(0).get("version").asText()
                    + "\"}]}", get.body());
            assertEquals("no-store", get.raw().headers().firstValue("Cache-Control").orElseThrow());

            // another user sees none of it
            var bob = post(tierUrl(tier), "batch-bob", "{\"op\":\"get\",\"keys\":[\"a/b\"]}");
            assertEquals("{\"results\":[{\"key\":\"a/b\",\"value\":null}]}", bob.body());

            var remove = post(tierUrl(tier), "batch-alice", "{\"op\":\"remove\",\"keys\":[\"a/b\",\"nothing\"]}");
            assertEquals(200, remove.status(), remove.body());
            assertEquals("{\"message\":\"Values deleted successfully\",\"results\":[{\"key\":\"a/b\",\"removed\":true},"
                    + "{\"key\":\"nothing\",\"removed\":false}]}", remove.body());
            assertEquals("{\"result\":null}", server.get(TestServer.url("acme", "notes", tier, "a%2Fb"), "batch-alice").body());
        }
    }

    @Test
    void sharedScopeAndResourcesAreChosenAsForSingleRoutes() {
        for (String tier : TIERS) {
            assertEquals(200, post(tierUrl(tier) + "?shared=TRUE", "batch-carol", "{\"op\":\"set\",\"entries\":[{\"key\":\"s\","
                    + "\"value\":1" + ttl(tier) + "}]}").status());
            assertEquals("{\"result\":1}", server.get(TestServer.url("acme", "notes", tier, "s") + "?shared=true",
                    "batch-dave").body());
            assertEquals("{\"result\":null}", server.get(TestServer.url("acme", "notes", tier, "s"), "batch-carol").body());
        }
        String resource = "?resource_type=dashboard&resource_uuid=0b7e7e38-8d1c-4a45-9a5e-6f9b2b7c8d90";
        assertEquals(200, post(tierUrl("persistent") + resource, "batch-carol",
                "{\"op\":\"set\",\"entries\":[{\"key\":\"r\",\"value\":2}]}").status());
        assertEquals("{\"results\":[{\"key\":\"r\",\"value\":null}]}",
                post(tierUrl("persistent"), "batch-carol", "{\"op\":\"get\",\"keys\":[\"r\"]}").body());
        assertTrue(post(tierUrl("persistent") + resource, "batch-carol", "{\"op\":\"get\",\"keys\":[\"r\"]}").body()
                .contains("\"value\":2"));
        assertError(post(tierUrl("ephemeral") + resource, "batch-carol", "{\"op\":\"get\",\"keys\":[\"r\"]}"), 400,
                "INVALID_QUERY");
    }

    @Test
    void theBatchLimitsAndBodyRules() {
        StringBuilder many = new StringBuilder("{\"op\":\"get\",\"keys\":[");
        for (int i = 0; i <= 100; i++) {
            many.append(i == 0 ? "" : ",").append("\"k").append(i).append('"');
        }
        var tooMany = post(tierUrl("persistent"), "batch-erin", many + "]}");
        assertError(tooMany, 400, "INVALID_BODY");
        assertEquals(100, tooMany.json().get("limit").asInt());
        assertError(post(tierUrl("persistent"), "batch-erin", "{\"op\":\"get\",\"keys\":[\"a\",\"a\"]}"), 400,
                "INVALID_BODY");
        assertError(post(tierUrl("persistent"), "batch-erin", "{\"op\":\"remove\",\"keys\":[\"\"]}"), 400, "INVALID_KEY");
        assertError(post(tierUrl("persistent"), "batch-erin", "{\"op\":\"get\",\"keys\":[1]}"), 400, "INVALID_BODY");
        assertError(post(tierUrl("persistent"), "batch-erin", "{\"op\":\"copy\",\"keys\":[]}"), 400, "INVALID_BODY");
        assertError(post(tierUrl("persistent"), "batch-erin", "{\"keys\":[]}"), 400, "INVALID_BODY");
        assertError(post(tierUrl("persistent"), "batch-erin", "{\"op\":\"set\"}"), 400, "INVALID_BODY");
        assertError(post(tierUrl("persistent"), "batch-erin", "[1,2"), 400, "INVALID_BODY");
        assertError(post(tierUrl("persistent"), "batch-erin", "{\"op\":\"set\",\"entries\":[{\"key\":\"a\"}]}"), 400,
                "INVALID_BODY");
        assertError(post(tierUrl("persistent"), "batch-erin", "{\"op\":\"set\",\"entries\":[{\"value\":1}]}"), 400,
                "INVALID_KEY");
        assertError(server.send("POST", tierUrl("persistent"), "{\"op\":\"get\",\"keys\":[]}",
                TestServer.auth("batch-erin")), 415, "UNSUPPORTED_MEDIA_TYPE");
        assertError(post(tierUrl("ephemeral"), "batch-erin", "{\"op\":\"set\",\"entries\":[{\"key\":\"a\",\"value\":1,"
                + "\"ttl\":60},{\"key\":\"b\",\"value\":2}]}"), 400, "INVALID_TTL");
        assertEquals("{\"result\":null}", server.get(TestServer.url("acme", "notes", "ephemeral", "a"), "batch-erin").body());
        assertError(post(tierUrl("ephemeral"), "batch-erin", "{\"op\":\"set\",\"entries\":[{\"key\":\"a\",\"value\":1,"
                + "\"ttl\":60,\"encrypt\":true}]}"), 400, "INVALID_BODY");
        // each value within the 1 MiB limit, together above it
        String half = "\"" + "x".repeat(600_000) + "\"";
        var total = post(tierUrl("persistent"), "batch-erin", "{\"op\":\"set\",\"entries\":[{\"key\":\"a\",\"value\":"
                + half + "},{\"key\":\"b\",\"value\":" + half + "}]}");
        assertError(total, 400, "VALUE_TOO_LARGE");
        assertEquals(1 << 20, total.json().get("limit").asInt());
        assertError(post(tierUrl("usage"), "batch-erin", "{\"op\":\"get\",\"keys\":[]}"), 400, "INVALID_BODY");
        assertEquals(200, post(tierUrl("persistent"), "batch-erin", "{\"op\":\"get\",\"keys\":[]}").status());
    }

    @Test
    void aPersistentBatchIsAllOrNothing() {
        var first = post(tierUrl("persistent"), "batch-frank", "{\"op\":\"set\",\"entries\":[{\"key\":\"a\",\"value\":1}]}");
        String version = first.json().get("results").get(0).get("version").asText();
        var conflict = post(tierUrl("persistent"), "batch-frank", "{\"op\":\"set\",\"entries\":[{\"key\":\"n\",\"value\":2},"
                + "{\"key\":\"a\",\"value\":3,\"ifVersion\":null}]}");
        assertError(conflict, 412, "PRECONDITION_FAILED");
        assertEquals(version, conflict.json().get("version").asText());
        assertEquals("{\"result\":null}", server.get(TestServer.url("acme", "notes", "persistent", "n"), "batch-frank").body());
        var ok = post(tierUrl("persistent"), "batch-frank", "{\"op\":\"set\",\"entries\":[{\"key\":\"a\",\"value\":3,"
                + "\"ifVersion\":\"" + version + "\"},{\"key\":\"n\",\"value\":2,\"ifVersion\":null}]}");
        assertEquals(200, ok.status(), ok.body());

        // the user's share is 20000 bytes: each entry fits, the batch does not, and nothing is written
        String big = "\"" + "y".repeat(8000) + "\"";
        var quota = post(tierUrl("persistent"), "batch-frank", "{\"op\":\"set\",\"entries\":[{\"key\":\"b1\",\"value\":" + big
                + "},{\"key\":\"b2\",\"value\":" + big + "},{\"key\":\"b3\",\"value\":" + big + "}]}");
        assertError(quota, 413, "QUOTA_EXCEEDED");
        assertEquals(20000, quota.json().get("limit").asInt());
        assertEquals("{\"result\":null}", server.get(TestServer.url("acme", "notes", "persistent", "b1"), "batch-frank").body());
    }
}
