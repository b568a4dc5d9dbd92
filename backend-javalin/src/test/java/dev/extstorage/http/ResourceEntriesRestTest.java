package dev.extstorage.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.extstorage.testing.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.extstorage.http.LifecycleConformance.admin;
import static dev.extstorage.http.RestApiTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Resource-scoped entries over REST (SPEC section 10) on both persistent engines: the query parameters on get,
 * put, delete, the listing and conditional requests; the errors of bad parameters; the export; the removal of
 * one resource by an administrator.
 */
class ResourceEntriesRestTest {
    private static final String NOTES = "/api/v1/extensions/acme/notes/storage/";
    private static final String D1 = "resource_type=dashboard&resource_uuid=aaaaaaaa-1111-4111-8111-111111111111";
    /** The same resource, its id in capitals: one resource, one form. */
    private static final String D1_UPPER = "resource_type=dashboard&resource_uuid=AAAAAAAA-1111-4111-8111-111111111111";
    private static final String D2 = "resource_type=dashboard&resource_uuid=22222222-2222-4222-8222-222222222222";
    private static final String SCHEMA = "it_resources_" + UUID.randomUUID().toString().replace("-", "");
    static TestServer sqlite;
    static TestServer postgres;

    @BeforeAll
    static void start() throws Exception {
        sqlite = new TestServer();
        try (var c = DriverManager.getConnection(TestServices.postgresUrl()); var s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + SCHEMA);
        }
        String base = TestServices.postgresUrl();
        postgres = new TestServer(Map.of("EXT_STORAGE_DB_URL",
                base + (base.contains("?") ? "&" : "?") + "currentSchema=" + SCHEMA));
    }

    @AfterAll
    static void stop() throws Exception {
        if (sqlite != null) {
            sqlite.close();
        }
        if (postgres != null) {
            postgres.close();
            try (var c = DriverManager.getConnection(TestServices.postgresUrl()); var s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            }
        }
    }

    private static TestServer server(String engine) {
        return engine.equals("sqlite") ? sqlite : postgres;
    }

    /** A user of this test only, so tests on one server never see each other's entries. */
    private static String user(String engine, String name) {
        return name + "-" + engine + "-" + UUID.randomUUID();
    }

    private static List<String> keys(TestServer.Response r) {
        assertEquals(200, r.status(), r.body());
        List<String> keys = new ArrayList<>();
        r.json().get("result").forEach(e -> keys.add(e.get("key").asText()));
        return keys;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void theSameKeyOnTwoResourcesAndUnscopedIsThreeEntriesAndListingsKeepThemApart(String engine) {
        TestServer s = server(engine);
        String alice = user(engine, "alice");
        assertEquals(200, s.put(NOTES + "persistent/k", alice, "{\"value\":0}").status());
        assertEquals(200, s.put(NOTES + "persistent/k?" + D1, alice, "{\"value\":1}").status());
        assertEquals(200, s.put(NOTES + "persistent/k?" + D2, alice, "{\"value\":2}").status());
        assertEquals(200, s.put(NOTES + "persistent/only-d1?" + D1, alice, "{\"value\":true}").status());
        assertEquals(200, s.put(NOTES + "persistent/k?shared=true&" + D1, alice, "{\"value\":\"s\"}").status());

        assertEquals("{\"result\":0}", s.get(NOTES + "persistent/k", alice).body());
        assertEquals("{\"result\":1}", s.get(NOTES + "persistent/k?" + D1, alice).body());
        assertEquals("{\"result\":1}", s.get(NOTES + "persistent/k?" + D1_UPPER, alice).body());
        assertEquals("{\"result\":2}", s.get(NOTES + "persistent/k?" + D2, alice).body());
        assertEquals("{\"result\":\"s\"}", s.get(NOTES + "persistent/k?shared=true&" + D1, alice).body());
        assertEquals("{\"result\":null}", s.get(NOTES + "persistent/k?" + D1, user(engine, "bob")).body());

        assertEquals(List.of("k"), keys(s.get(NOTES + "persistent", alice)));
        assertEquals(1, s.get(NOTES + "persistent", alice).json().get("count").asInt());
        assertEquals(List.of("only-d1", "k"), keys(s.get(NOTES + "persistent?" + D1, alice)));
        assertEquals(2, s.get(NOTES + "persistent?" + D1, alice).json().get("count").asInt());
        assertEquals(List.of("only-d1"), keys(s.get(NOTES + "persistent?prefix=only&" + D1, alice)));
        assertEquals(List.of("k"), keys(s.get(NOTES + "persistent?shared=true&" + D1, alice)));

        assertEquals(200, s.delete(NOTES + "persistent/k?" + D1, alice).status());
        assertEquals("{\"result\":null}", s.get(NOTES + "persistent/k?" + D1, alice).body());
        assertEquals("{\"result\":0}", s.get(NOTES + "persistent/k", alice).body());
        assertEquals("{\"result\":2}", s.get(NOTES + "persistent/k?" + D2, alice).body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void conditionalRequestsActOnTheResourcesEntry(String engine) {
        TestServer s = server(engine);
        String alice = user(engine, "alice");
        Map<String, String> json = Map.of("Content-Type", "application/json");
        var first = s.send("PUT", NOTES + "persistent/c?" + D1, "{\"value\":1}", with(alice, json, "If-None-Match", "*"));
        assertEquals(200, first.status(), first.body());
        String etag = first.raw().headers().firstValue("ETag").orElseThrow();
        // absent unscoped and on another resource: If-None-Match holds there, the ETag does not
        assertEquals(200, s.send("PUT", NOTES + "persistent/c", "{\"value\":0}",
                with(alice, json, "If-None-Match", "*")).status());
        assertError(s.send("PUT", NOTES + "persistent/c?" + D2, "{\"value\":2}", with(alice, json, "If-Match", etag)),
                412, "PRECONDITION_FAILED");
        assertError(s.send("PUT", NOTES + "persistent/c?" + D1, "{\"value\":3}",
                with(alice, json, "If-None-Match", "*")), 412, "PRECONDITION_FAILED");
        assertEquals(etag, s.get(NOTES + "persistent/c?" + D1, alice).raw().headers().firstValue("ETag").orElseThrow());
        assertEquals(200, s.send("DELETE", NOTES + "persistent/c?" + D1, null, with(alice, Map.of(), "If-Match", etag))
                .status());
        assertEquals("{\"result\":0}", s.get(NOTES + "persistent/c", alice).body());
    }

    private static Map<String, String> with(String user, Map<String, String> base, String header, String value) {
        Map<String, String> h = new HashMap<>(TestServer.auth(user));
        h.putAll(base);
        h.put(header, value);
        return h;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void badResourceParametersAreInvalidQuery(String engine) {
        TestServer s = server(engine);
        String alice = user(engine, "alice");
        String uuid = "11111111-1111-4111-8111-111111111111";
        for (String query : new String[] {"resource_type=dashboard", "resource_uuid=" + uuid,
                "resource_type=Dashboard&resource_uuid=" + uuid, "resource_type=&resource_uuid=" + uuid,
                "resource_type=" + "d".repeat(65) + "&resource_uuid=" + uuid,
                "resource_type=a%2Fb&resource_uuid=" + uuid, "resource_type=dashboard&resource_uuid=42",
                "resource_type=dashboard&resource_uuid=" + uuid.replace('-', '_'),
                "resource_type=dashboard&resource_uuid=" + uuid + "0"}) {
            assertError(s.get(NOTES + "persistent/k?" + query, alice), 400, "INVALID_QUERY");
            assertError(s.put(NOTES + "persistent/k?" + query, alice, "{\"value\":1}"), 400, "INVALID_QUERY");
            assertError(s.delete(NOTES + "persistent/k?" + query, alice), 400, "INVALID_QUERY");
            assertError(s.get(NOTES + "persistent?" + query, alice), 400, "INVALID_QUERY");
        }
        // the ephemeral tier has no resource entries
        assertError(s.put(NOTES + "ephemeral/k?" + D1, alice, "{\"value\":1,\"ttl\":60}"), 400, "INVALID_QUERY");
        assertError(s.get(NOTES + "ephemeral/k?" + D1, alice), 400, "INVALID_QUERY");
        assertError(s.get(NOTES + "ephemeral?" + D1, alice), 400, "INVALID_QUERY");
        assertEquals("{\"result\":null}", s.get(NOTES + "ephemeral/k", alice).body());
        assertEquals("{\"result\":null}", s.get(NOTES + "persistent/k", alice).body());
        assertError(s.send("DELETE", "/api/v1/admin/resources/Dash/" + uuid + "/storage", null, admin("root")),
                400, "INVALID_QUERY");
        assertError(s.send("DELETE", "/api/v1/admin/resources/dashboard/nope/storage", null, admin("root")),
                400, "INVALID_QUERY");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void exportCarriesResourcesAndAnAdministratorRemovesOneResourceEverywhere(String engine) {
        TestServer s = server(engine);
        String alice = user(engine, "alice");
        String bob = user(engine, "bob");
        String uuid = "33333333-3333-4333-8333-" + (engine.equals("sqlite") ? "333333333333" : "444444444444");
        String d3 = "resource_type=chart&resource_uuid=" + uuid;
        s.put(NOTES + "persistent/k", alice, "{\"value\":0}");
        s.put(NOTES + "persistent/k?" + d3, alice, "{\"value\":1}");
        s.put(NOTES + "persistent/k?" + d3, bob, "{\"value\":1}");
        s.put(NOTES + "persistent/k?shared=true&" + d3, bob, "{\"value\":1}");
        s.put("/api/v1/extensions/globex/todo/storage/persistent/k?" + d3, alice, "{\"value\":1}");
        s.put(NOTES + "persistent/k?" + D2, alice, "{\"value\":2}");

        JsonNode export = s.get("/api/v1/me/storage", alice).json();
        int withResource = 0;
        for (JsonNode e : export.get("result")) {
            if (e.has("resource") && e.at("/resource/uuid").asText().equals(uuid)) {
                assertEquals("chart", e.at("/resource/type").asText());
                withResource++;
            }
        }
        assertEquals(2, withResource, export.toString());
        assertEquals(4, export.get("count").asInt(), export.toString());

        assertError(s.send("DELETE", "/api/v1/admin/resources/chart/" + uuid + "/storage", null,
                TestServer.auth(alice)), 403, "FORBIDDEN");
        var removed = s.send("DELETE", "/api/v1/admin/resources/chart/" + uuid.toUpperCase() + "/storage", null,
                admin("root"));
        assertEquals(200, removed.status(), removed.body());
        assertEquals(4, removed.json().at("/result/entries").asInt(), removed.body());
        assertEquals(uuid, removed.json().at("/result/resourceUuid").asText());
        assertEquals("{\"result\":null}", s.get(NOTES + "persistent/k?" + d3, alice).body());
        assertEquals("{\"result\":0}", s.get(NOTES + "persistent/k", alice).body());
        assertEquals("{\"result\":2}", s.get(NOTES + "persistent/k?" + D2, alice).body());
        assertFalse(s.get("/api/v1/me/storage", alice).body().contains(uuid));
    }
}
