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
    }
}
