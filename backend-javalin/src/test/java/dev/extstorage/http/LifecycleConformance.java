package dev.extstorage.http;

import dev.extstorage.model.RestPaths;
import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.extstorage.http.OpenApiConformanceTest.E;
import static dev.extstorage.http.OpenApiConformanceTest.P;
import static dev.extstorage.http.OpenApiConformanceTest.bearer;
import static dev.extstorage.http.OpenApiConformanceTest.expect;
import static dev.extstorage.http.OpenApiConformanceTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The lifecycle and administration operations of {@link OpenApiConformanceTest}: success and typical errors. */
final class LifecycleConformance {
    private LifecycleConformance() {
    }

    static Map<String, String> admin(String user) {
        String token = JWT.create().withSubject(user).withClaim("roles", List.of("admin"))
                .withExpiresAt(Instant.now().plusSeconds(600)).sign(Algorithm.HMAC256(TestServer.SECRET));
        return Map.of("Authorization", "Bearer " + token);
    }

    static void exercise() {
        String usage = RestPaths.usagePath("acme", "notes");
        expect(200, null, "PUT", P + "/life", "{\"value\":[1]}", json("dana"));
        expect(200, null, "PUT", E + "/life", "{\"value\":2,\"ttl\":60}", json("dana"));
        var u = expect(200, null, "GET", usage, null, bearer("dana"));
        assertEquals(1, u.json().at("/result/persistent/userEntries").asInt());
        expect(401, "NOT_AUTHENTICATED", "GET", usage, null, Map.of());
        expect(404, "EXTENSION_NOT_FOUND", "GET", usage.replace("acme/notes", "acme/nothing"), null, bearer("dana"));

        var export = expect(200, null, "GET", "/api/v1/me/storage", null, bearer("dana"));
        assertEquals(2, export.json().get("count").asInt(), export.body());
        expect(401, "NOT_AUTHENTICATED", "GET", "/api/v1/me/storage", null, Map.of());

        String list = "/api/v1/admin/extensions";
        expect(403, "FORBIDDEN", "GET", list, null, bearer("dana"));
        expect(401, "NOT_AUTHENTICATED", "GET", list, null, Map.of());
        expect(200, null, "GET", list, null, admin("root"));

        String erase = "/api/v1/admin/users/dana/storage";
        expect(403, "FORBIDDEN", "DELETE", erase, null, bearer("dana"));
        expect(401, "NOT_AUTHENTICATED", "DELETE", erase, null, Map.of());
        expect(400, "INVALID_KEY", "DELETE", "/api/v1/admin/users/%FF/storage", null, admin("root"));
        var erased = expect(200, null, "DELETE", erase, null, admin("root"));
        assertEquals(2, erased.json().at("/result/entries").asInt());

        String purge = "/api/v1/admin/extensions/gone/away/storage";
        expect(403, "FORBIDDEN", "DELETE", purge, null, bearer("dana"));
        expect(401, "NOT_AUTHENTICATED", "DELETE", purge, null, Map.of());
        expect(404, "EXTENSION_NOT_FOUND", "DELETE", "/api/v1/admin/extensions/bad%20id/x/storage", null, admin("root"));
        var purged = expect(200, null, "DELETE", purge, null, admin("root"));
        assertEquals(0, purged.json().at("/result/entries").asInt());

        // resource entries (SPEC section 10): written, listed, exported, then removed with their resource
        String d = "resource_type=dashboard&resource_uuid=0f0f0f0f-0000-4000-8000-00000000000a";
        expect(200, null, "PUT", P + "/life?" + d, "{\"value\":3}", json("dana"));
        expect(200, null, "GET", P + "/life?" + d, null, bearer("dana"));
        expect(200, null, "GET", P + "?" + d, null, bearer("dana"));
        expect(400, "INVALID_QUERY", "GET", P + "/life?resource_type=dashboard", null, bearer("dana"));
        assertEquals(1, expect(200, null, "GET", "/api/v1/me/storage", null, bearer("dana")).json().get("count")
                .asInt());
        String resource = "/api/v1/admin/resources/dashboard/0F0F0F0F-0000-4000-8000-00000000000A/storage";
        expect(403, "FORBIDDEN", "DELETE", resource, null, bearer("dana"));
        expect(401, "NOT_AUTHENTICATED", "DELETE", resource, null, Map.of());
        expect(400, "INVALID_QUERY", "DELETE", "/api/v1/admin/resources/dashboard/x/storage", null, admin("root"));
        var removed = expect(200, null, "DELETE", resource, null, admin("root"));
        assertEquals(1, removed.json().at("/result/entries").asInt());
    }
}
