package dev.extstorage.http;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static dev.extstorage.http.RestApiTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bearer tokens, the session cookie with its CSRF header, and the development login. */
class AuthTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();
    static final String KEY = TestServer.url("acme", "notes", "persistent", "auth-key");

    private static TestServer.Response getWith(String authorization) {
        return server.send("GET", KEY, null, Map.of("Authorization", authorization));
    }

    @Test
    void badTokensAre401() {
        Algorithm right = Algorithm.HMAC256(TestServer.SECRET);
        String expired = JWT.create().withSubject("alice").withExpiresAt(Instant.now().minusSeconds(5)).sign(right);
        String otherSecret = JWT.create().withSubject("alice").withExpiresAt(Instant.now().plusSeconds(60))
                .sign(Algorithm.HMAC256("another-secret-entirely-0123456789"));
        String noSubject = JWT.create().withExpiresAt(Instant.now().plusSeconds(60)).sign(right);
        String emptySubject = JWT.create().withSubject("").withExpiresAt(Instant.now().plusSeconds(60)).sign(right);
        String hs512 = JWT.create().withSubject("alice").sign(Algorithm.HMAC512(TestServer.SECRET));
        String none = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64("{\"sub\":\"alice\"}") + ".";
        for (String token : List.of("garbage", "a.b.c", expired, otherSecret, noSubject, emptySubject, hs512, none, "")) {
            assertError(getWith("Bearer " + token), 401, "NOT_AUTHENTICATED");
        }
        assertError(getWith("Basic YWxpY2U6cHc="), 401, "NOT_AUTHENTICATED");
        assertError(server.send("GET", KEY, null, Map.of("Cookie", "session=garbage")), 401, "NOT_AUTHENTICATED");
        assertEquals(200, getWith("Bearer " + TestServer.token("alice")).status());
        assertEquals(200, getWith("bearer " + TestServer.token("alice")).status());
    }

    @Test
    void oddUserIdsAreUsersOfTheirOwn() {
        String[] users = {"user:1", "user%3A1", "user", "😀", "a b", "x".repeat(1024), "\u0000nul", "tab\tuser"};
        // (a lone surrogate cannot travel in a UTF-8 token or body; UserIdsTest covers its storage form)
        for (String u : users) {
            assertEquals(200, server.put(KEY, u, "{\"value\": " + TestServer.JSON.valueToTree(u) + "}").status(), u);
        }
        for (String u : users) {
            assertEquals(u, server.get(KEY, u).json().get("result").asText(), u);
        }
        assertError(server.get(KEY, "x".repeat(1025)), 401, "NOT_AUTHENTICATED");
    }

    @Test
    void cookieWritesNeedTheCsrfHeader() {
        var login = server.send("POST", "/api/v1/dev/login", "{\"user\": \"carol\"}", Map.of("Content-Type", "application/json"));
        assertEquals(200, login.status(), login.body());
        String token = login.json().get("token").asText();
        String csrf = login.json().get("csrf").asText();
        String setCookie = login.raw().headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(setCookie.startsWith("session=" + token), setCookie);
        assertTrue(setCookie.contains("HttpOnly"), setCookie);
        String cookie = "session=" + token;

        Map<String, String> noCsrf = Map.of("Cookie", cookie, "Content-Type", "application/json");
        assertError(server.send("PUT", KEY, "{\"value\": 1}", noCsrf), 403, "FORBIDDEN");
        assertError(server.send("DELETE", KEY, null, Map.of("Cookie", cookie)), 403, "FORBIDDEN");
        assertError(server.send("PUT", KEY, "{\"value\": 1}", Map.of("Cookie", cookie, "Content-Type", "application/json",
                "X-CSRF-Token", csrf + "x")), 403, "FORBIDDEN");
        assertEquals(200, server.send("PUT", KEY, "{\"value\": 7}", Map.of("Cookie", cookie, "Content-Type", "application/json",
                "X-CSRF-Token", csrf)).status());
        assertEquals("7", server.send("GET", KEY, null, Map.of("Cookie", cookie)).result());
        assertEquals(200, server.send("DELETE", KEY, null, Map.of("Cookie", cookie, "X-CSRF-Token", csrf)).status());
        // a bearer token needs no CSRF header: a browser never adds it by itself
        assertEquals(200, server.put(KEY, "carol", "{\"value\": 8}").status());

        var me = server.send("GET", "/api/v1/me", null, Map.of("Cookie", cookie)).json();
        assertEquals("carol", me.get("user").asText());
        assertEquals(csrf, me.get("csrf").asText());
    }

    @Test
    void devLoginValidatesItsBody() {
        assertError(server.send("POST", "/api/v1/dev/login", "{\"user\": \"\"}", Map.of("Content-Type", "application/json")), 400, "INVALID_BODY");
        assertError(server.send("POST", "/api/v1/dev/login", "{\"user\": 5}", Map.of("Content-Type", "application/json")), 400, "INVALID_BODY");
        assertError(server.send("POST", "/api/v1/dev/login", "nope", Map.of("Content-Type", "application/json")), 400, "INVALID_BODY");
    }

    @Test
    void devLoginIsAbsentUnlessEnabled() throws Exception {
        try (TestServer plain = new TestServer(Map.of("EXT_STORAGE_DEV_LOGIN", "false"))) {
            var r = plain.send("POST", "/api/v1/dev/login", "{\"user\": \"x\"}", Map.of("Content-Type", "application/json"));
            assertEquals(404, r.status());
            assertNotNull(r.code());
        }
    }

    @Test
    void sharedWritesCanBeRestrictedToARole() throws Exception {
        try (TestServer restricted = new TestServer(Map.of("EXT_STORAGE_SHARED_WRITE_ROLE", "editor"))) {
            String shared = KEY + "?shared=true";
            assertError(restricted.put(shared, "dave", "{\"value\": 1}"), 403, "FORBIDDEN");
            String editor = JWT.create().withSubject("erin").withClaim("roles", List.of("editor"))
                    .withExpiresAt(Instant.now().plusSeconds(60)).sign(Algorithm.HMAC256(TestServer.SECRET));
            assertEquals(200, restricted.send("PUT", shared, "{\"value\": 2}", Map.of("Authorization", "Bearer " + editor,
                    "Content-Type", "application/json")).status());
            assertEquals("2", restricted.get(shared, "dave").result());
            assertEquals(200, restricted.put(KEY, "dave", "{\"value\": 3}").status());
        }
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
