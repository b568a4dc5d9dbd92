package dev.extstorage.http;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.extstorage.config.ServerConfig;
import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.RestPaths;
import dev.extstorage.model.Scope;
import dev.extstorage.model.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static dev.extstorage.http.RestApiTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tokens bound to one extension (SPEC section 12): minted from a session, valid only on their extension. */
class ExtensionTokenTest {
    private static final ExtensionId ACME = ExtensionId.of("acme", "notes");
    private static final ExtensionId GLOBEX = ExtensionId.of("globex", "todo");
    @RegisterExtension
    static final TestServer server = TestServer.perClass(Map.of(ServerConfig.EXTENSION_TOKEN_TTL, "120"));

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    private static TestServer.Response mint(ExtensionId extension, Map<String, String> credentials) {
        return server.send("POST", RestPaths.tokenUrl("", extension), null, credentials);
    }

    private static String boundToken(ExtensionId extension, String user) {
        TestServer.Response r = mint(extension, TestServer.auth(user));
        assertEquals(200, r.status(), r.body());
        return r.json().get("token").asText();
    }

    private static TestServer.Response put(String token, ExtensionId extension, String key, String body) {
        Map<String, String> h = new HashMap<>(bearer(token));
        h.put("Content-Type", "application/json");
        return server.send("PUT", RestPaths.keyUrl("", extension, Tier.PERSISTENT, key, Scope.USER), body, h);
    }

    @Test
    void aBoundTokenWorksOnItsExtensionAndIsRefusedElsewhere() {
        String token = boundToken(ACME, "tok-alice");
        assertEquals(200, put(token, ACME, "k", "{\"value\":1}").status());
        var read = server.send("GET", RestPaths.keyUrl("", ACME, Tier.PERSISTENT, "k", Scope.USER), null, bearer(token));
        assertEquals("1", read.json().get("result").toString());
        // the same user's session token sees the same entry: a bound token is the user, narrowed
        assertEquals("1", server.get(RestPaths.keyUrl("", ACME, Tier.PERSISTENT, "k", Scope.USER), "tok-alice")
                .json().get("result").toString());

        assertError(put(token, GLOBEX, "k", "{\"value\":2}"), 403, "FORBIDDEN");
        assertError(server.send("GET", RestPaths.keyUrl("", GLOBEX, Tier.EPHEMERAL, "k", Scope.SHARED), null,
                bearer(token)), 403, "FORBIDDEN");
        assertError(server.send("GET", "/api/v1/me", null, bearer(token)), 403, "FORBIDDEN");
        assertError(server.send("GET", RestPaths.EXTENSIONS_PATH, null, bearer(token)), 403, "FORBIDDEN");
        assertEquals("null", server.get(RestPaths.keyUrl("", GLOBEX, Tier.PERSISTENT, "k", Scope.USER), "tok-alice")
                .json().get("result").toString());
    }

    @Test
    void aBoundTokenCannotMintAnotherExtensionsTokenButMayRenewItsOwn() {
        String token = boundToken(ACME, "tok-bob");
        assertError(mint(GLOBEX, bearer(token)), 403, "FORBIDDEN");
        TestServer.Response renewed = mint(ACME, bearer(token));
        assertEquals(200, renewed.status(), renewed.body());
        assertEquals("acme.notes", JWT.decode(renewed.json().get("token").asText()).getClaim("ext").asString());
    }

    @Test
    void mintingNeedsASessionAndAnInstalledExtension() {
        assertError(mint(ACME, Map.of()), 401, "NOT_AUTHENTICATED");
        assertError(server.send("POST", RestPaths.tokenPath("nobody", "there"), null, TestServer.auth("tok-carol")),
                404, "EXTENSION_NOT_FOUND");
    }

    @Test
    void aBoundTokenNeverOutlivesItsSession() throws Exception {
        Instant sessionEnd = Instant.now().plusSeconds(2);
        String session = JWT.create().withSubject("tok-dave").withExpiresAt(sessionEnd)
                .sign(Algorithm.HMAC256(TestServer.SECRET));
        TestServer.Response r = mint(ACME, bearer(session));
        assertEquals(200, r.status(), r.body());
        assertTrue(r.json().get("expiresIn").asLong() <= 2, r.body());
        String token = r.json().get("token").asText();
        assertEquals(sessionEnd.getEpochSecond(), JWT.decode(token).getExpiresAtAsInstant().getEpochSecond());
        Thread.sleep(Math.max(0, sessionEnd.toEpochMilli() - System.currentTimeMillis()) + 1100);
        assertError(put(token, ACME, "late", "{\"value\":1}"), 401, "NOT_AUTHENTICATED");
    }

    @Test
    void aLongSessionGetsTheConfiguredLifetime() {
        TestServer.Response r = mint(ACME, TestServer.auth("tok-erin"));
        long expiresIn = r.json().get("expiresIn").asLong();
        assertTrue(expiresIn > 110 && expiresIn <= 120, r.body());
        assertEquals("no-store", r.raw().headers().firstValue("Cache-Control").orElse(null));
    }

    @Test
    void aCookieSessionNeedsItsCsrfHeaderToMint() {
        String csrf = "csrf-of-frank";
        String cookie = JWT.create().withSubject("tok-frank").withExpiresAt(Instant.now().plusSeconds(600))
                .withClaim("csrf", csrf).sign(Algorithm.HMAC256(TestServer.SECRET));
        assertError(mint(ACME, Map.of("Cookie", "session=" + cookie)), 403, "FORBIDDEN");
        assertEquals(200, mint(ACME, Map.of("Cookie", "session=" + cookie, "X-CSRF-Token", csrf)).status());
    }

    @Test
    void aTokenWhoseExtClaimIsNoExtensionIsRefused() {
        String odd = JWT.create().withSubject("tok-gina").withExpiresAt(Instant.now().plusSeconds(600))
                .withClaim("ext", "not an id").sign(Algorithm.HMAC256(TestServer.SECRET));
        assertError(put(odd, ACME, "k", "{\"value\":1}"), 401, "NOT_AUTHENTICATED");
    }

    @Test
    void strictModeRefusesUnboundCredentialsOnStorageRoutes() throws Exception {
        try (TestServer strict = new TestServer(Map.of(ServerConfig.REQUIRE_EXTENSION_TOKENS, "true"))) {
            String key = RestPaths.keyUrl("", ACME, Tier.PERSISTENT, "k", Scope.USER);
            assertError(strict.get(key, "tok-hal"), 403, "FORBIDDEN");
            TestServer.Response minted = strict.send("POST", RestPaths.tokenUrl("", ACME), null, TestServer.auth("tok-hal"));
            assertEquals(200, minted.status(), minted.body());
            assertEquals(200, strict.send("GET", key, null, bearer(minted.json().get("token").asText())).status());
            assertEquals(200, strict.get("/api/v1/me", "tok-hal").status());
        }
    }
}
