package dev.extstorage.http;

import dev.extstorage.config.ServerConfig;
import dev.extstorage.metrics.Metrics;
import dev.extstorage.model.RestPaths;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real requests to a running server, for every documented operation, success and the typical errors; each
 * response is checked against {@code openapi.json} ({@link OpenApiContract#check}): a documented status of that
 * operation, the documented headers, the body valid against the documented schema. The last test asserts that
 * every documented operation was exercised.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenApiConformanceTest {
    static final OpenApiContract CONTRACT = new OpenApiContract();
    @RegisterExtension
    static final TestServer server = TestServer.perClass(Map.of(ServerConfig.MAX_VALUE_BYTES, "1000",
            "EXT_STORAGE_QUOTA_BYTES", "6000", "EXT_STORAGE_MAX_TTL_SECONDS", "3600"));
    static final String STORAGE = RestPaths.tierPath("acme", "notes", "");
    static final String P = STORAGE + "persistent";
    static final String E = STORAGE + "ephemeral";

    /** Sends a request, checks its answer against the document and that it has the expected status (and code). */
    static TestServer.Response expect(int status, String code, String method, String path, String body,
                                      Map<String, String> headers) {
        return expect(server, status, code, method, path, body, headers);
    }

    static TestServer.Response expect(TestServer s, int status, String code, String method, String path, String body,
                                      Map<String, String> headers) {
        TestServer.Response r = CONTRACT.check(s.send(method, path, body, headers));
        String where = method + " " + path;
        assertEquals(status, r.status(), where + ": " + r.body());
        if (code != null && !method.equals("HEAD")) {
            assertEquals(code, r.code(), where);
        }
        return r;
    }

    /**
     * A request whose headers declare a body far above the limits ({@code Content-Length}), its body never sent:
     * the server refuses it unread, {@code 413 QUOTA_EXCEEDED}. (Sending the body too would race the server's
     * close against the client's writing, and a connection reset can swallow the answer.)
     */
    static void expectTooLarge(String method, String path, long declaredLength, String user) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.server.port())) {
            socket.setSoTimeout(30_000);
            String request = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + (user == null ? "" : "Authorization: Bearer " + TestServer.token(user) + "\r\n")
                    + "Content-Type: application/json\r\nContent-Length: " + declaredLength + "\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            String answer = TestServer.readAnswer(socket.getInputStream());
            int status = Integer.parseInt(answer.substring(9, 12));
            int end = answer.indexOf("\r\n\r\n");
            Map<String, String> headers = new HashMap<>();
            for (String line : answer.substring(0, end).split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
                }
            }
            String body = answer.substring(end + 4);
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                body = body.substring(body.indexOf("\r\n") + 2, body.lastIndexOf("\r\n0\r\n"));
            }
            CONTRACT.check(method, path, null, status,
                    name -> Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT))), body);
            assertEquals(413, status, method + " " + path + ": " + answer);
            assertEquals("QUOTA_EXCEEDED", TestServer.JSON.readTree(body).path("code").asText());
        }
    }

    static Map<String, String> bearer(String user) {
        return TestServer.auth(user);
    }

    static Map<String, String> json(String user) {
        Map<String, String> h = new HashMap<>(TestServer.auth(user));
        h.put("Content-Type", "application/json");
        return h;
    }

    @Test
    void eventStreamRefusals() {
        // the open stream itself is tested in EventsTest: it never ends, which this test's client waits for
        String events = RestPaths.tierPath("acme", "notes", "events");
        expect(401, "NOT_AUTHENTICATED", "GET", events, null, Map.of());
        expect(404, "EXTENSION_NOT_FOUND", "GET", RestPaths.tierPath("acme", "none", "events"), null, bearer("alice"));
    }

    @Test
    void serviceRoutes() {
        expect(200, null, "GET", "/health", null, Map.of());
        expect(200, null, "GET", "/api/v1/ping", null, Map.of());
        expect(200, null, "GET", OpenApiHandler.PATH, null, Map.of());
        expect(200, null, "GET", Metrics.PATH, null, Map.of());
    }

    @Test
    void sessionRoutes() throws Exception {
        expect(401, "NOT_AUTHENTICATED", "GET", "/api/v1/me", null, Map.of());
        expect(200, null, "GET", "/api/v1/me", null, bearer("alice"));   // a bearer token without csrf: null
        expect(200, null, "GET", "/api/v1/extensions", null, bearer("alice"));
        expect(401, "NOT_AUTHENTICATED", "GET", "/api/v1/extensions", null, Map.of("Authorization", "Bearer nope"));

        expect(415, "UNSUPPORTED_MEDIA_TYPE", "POST", "/api/v1/dev/login", "{\"user\":\"carol\"}",
                Map.of("Content-Type", "text/plain"));
        expect(400, "INVALID_BODY", "POST", "/api/v1/dev/login", "{\"user\": 5}", json(null));
        expectTooLarge("POST", "/api/v1/dev/login", 20_000, null);
        var login = expect(200, null, "POST", "/api/v1/dev/login", "{\"user\":\"carol\",\"roles\":[\"admin\"]}", json(null));
        String cookie = "session=" + login.json().get("token").asText();
        String csrf = login.json().get("csrf").asText();
        expect(200, null, "GET", "/api/v1/me", null, Map.of("Cookie", cookie));

        // cookie-authenticated changes need the CSRF header
        expect(403, "FORBIDDEN", "PUT", P + "/c", "{\"value\":1}", Map.of("Cookie", cookie, "Content-Type", "application/json"));
        expect(200, null, "PUT", P + "/c", "{\"value\":1}",
                Map.of("Cookie", cookie, "Content-Type", "application/json", "X-CSRF-Token", csrf));
        expect(403, "FORBIDDEN", "DELETE", P + "/c", null, Map.of("Cookie", cookie));
        expect(200, null, "DELETE", P + "/c", null, Map.of("Cookie", cookie, "X-CSRF-Token", csrf));
        expect(403, "FORBIDDEN", "POST", "/api/v1/dev/logout", null, Map.of("Cookie", cookie));
        expect(200, null, "POST", "/api/v1/dev/logout", null, bearer("carol"));
        expect(401, "NOT_AUTHENTICATED", "POST", "/api/v1/dev/logout", null, Map.of());
        expect(200, null, "POST", "/api/v1/dev/logout", null, Map.of("Cookie", cookie, "X-CSRF-Token", csrf));
    }

    @Test
    void extensionTokenRoute() {
        String mint = RestPaths.tokenPath("acme", "notes");
        expect(401, "NOT_AUTHENTICATED", "POST", mint, null, Map.of());
        expect(404, "EXTENSION_NOT_FOUND", "POST", RestPaths.tokenPath("nobody", "there"), null, bearer("alice"));
        var minted = expect(200, null, "POST", mint, null, bearer("alice"));
        String bound = minted.json().get("token").asText();
        expect(403, "FORBIDDEN", "POST", RestPaths.tokenPath("globex", "todo"), null,
                Map.of("Authorization", "Bearer " + bound));
        expect(200, null, "POST", mint, null, Map.of("Authorization", "Bearer " + bound));
    }

    @Test
    void persistentKey() {
        expect(200, null, "PUT", P + "/prefs", "{\"value\":{\"theme\":\"dark\",\"n\":[1,2.50,null,true]}}", json("alice"));
        expect(200, null, "GET", P + "/prefs", null, bearer("alice"));
        expect(200, null, "HEAD", P + "/prefs", null, bearer("alice"));
        expect(200, null, "GET", P + "/never-written", null, bearer("alice"));
        expect(200, null, "PUT", P + "/a%2Fb%3Ac%25?shared=TRUE", "{\"value\":\"shared\"}", json("alice"));
        var shared = expect(200, null, "GET", P + "/a%2Fb%3Ac%25?shared=true", null, bearer("bob"));
        assertEquals("\"shared\"", shared.result());
        expect(200, null, "DELETE", P + "/prefs", null, bearer("alice"));
        expect(200, null, "DELETE", P + "/prefs", null, bearer("alice"));   // nothing there: still 200
        // binary values: base64 in, base64 out, marked (SPEC section 10); in listings too
        expect(200, null, "PUT", P + "/blob", "{\"value\":\"AAEC/w==\",\"isBinary\":true}", json("alice"));
        expect(200, null, "GET", P + "/blob", null, bearer("alice"));
        expect(400, "INVALID_BODY", "PUT", P + "/blob", "{\"value\":\"AAEC\",\"codec\":\"zip\"}", json("alice"));
        expect(200, null, "GET", P, null, bearer("alice"));
        expect(200, null, "DELETE", P + "/blob", null, bearer("alice"));
    }

    @Test
    void ephemeralKey() {
        expect(200, null, "PUT", E + "/job", "{\"value\":{\"pct\":42},\"ttl\":300}", json("alice"));
        expect(200, null, "GET", E + "/job", null, bearer("alice"));
        expect(200, null, "HEAD", E + "/job?shared=false", null, bearer("alice"));
        expect(200, null, "DELETE", E + "/job", null, bearer("alice"));
        expect(400, "INVALID_TTL", "PUT", E + "/job", "{\"value\":1}", json("alice"));
        expect(400, "INVALID_TTL", "PUT", E + "/job", "{\"value\":1,\"ttl\":3601}", json("alice"));
        expect(400, "INVALID_TTL", "PUT", E + "/job", "{\"value\":1,\"ttl\":\"300\"}", json("alice"));
    }

    @Test
    void conditionalRequests() {
        for (String[] t : new String[][] {{P, "{\"value\":1}"}, {E, "{\"value\":1,\"ttl\":300}"}}) {
            String tag = expect(200, null, "PUT", t[0] + "/cas", t[1], json("alice")).raw().headers()
                    .firstValue("ETag").orElseThrow();
            expect(200, null, "GET", t[0] + "/cas", null, with(bearer("alice"), "If-Match", "ignored on reads"));
            expect(304, null, "GET", t[0] + "/cas", null, with(bearer("alice"), "If-None-Match", tag));
            expect(304, null, "HEAD", t[0] + "/cas", null, with(bearer("alice"), "If-None-Match", tag));
            expect(412, "PRECONDITION_FAILED", "PUT", t[0] + "/cas", t[1], with(json("alice"), "If-None-Match", "*"));
            expect(412, "PRECONDITION_FAILED", "PUT", t[0] + "/cas", t[1], with(json("alice"), "If-Match", "W/" + tag));
            expect(400, "INVALID_BODY", "PUT", t[0] + "/cas", t[1], with(json("alice"), "If-None-Match", tag));
            tag = expect(200, null, "PUT", t[0] + "/cas", t[1], with(json("alice"), "If-Match", tag)).raw().headers()
                    .firstValue("ETag").orElseThrow();
            expect(412, "PRECONDITION_FAILED", "DELETE", t[0] + "/cas", null, with(bearer("alice"), "If-Match", "\"x\""));
            expect(200, null, "DELETE", t[0] + "/cas", null, with(bearer("alice"), "If-Match", tag));
            expect(412, "PRECONDITION_FAILED", "DELETE", t[0] + "/cas", null, with(bearer("alice"), "If-Match", "*"));
        }
    }

    static Map<String, String> with(Map<String, String> headers, String name, String value) {
        Map<String, String> h = new HashMap<>(headers);
        h.put(name, value);
        return h;
    }

    @Test
    void batches() {
        for (String[] t : new String[][] {{P, ""}, {E, ",\"ttl\":300"}}) {
            var set = expect(200, null, "POST", t[0], "{\"op\":\"set\",\"entries\":[{\"key\":\"b1\",\"value\":{\"n\":1}"
                    + t[1] + "},{\"key\":\"b2\",\"value\":\"AAE=\",\"isBinary\":true" + t[1] + "}]}", json("alice"));
            String v1 = set.json().get("results").get(0).get("version").asText();
            expect(200, null, "POST", t[0], "{\"op\":\"get\",\"keys\":[\"b1\",\"b2\",\"none\"]}", json("alice"));
            expect(412, "PRECONDITION_FAILED", "POST", t[0], "{\"op\":\"set\",\"entries\":[{\"key\":\"b1\",\"value\":2,"
                    + "\"ifVersion\":null" + t[1] + "}]}", json("alice"));
            expect(200, null, "POST", t[0], "{\"op\":\"set\",\"entries\":[{\"key\":\"b1\",\"value\":2,\"ifVersion\":\""
                    + v1 + "\"" + t[1] + "}]}", json("alice"));
            expect(200, null, "POST", t[0], "{\"op\":\"remove\",\"keys\":[\"b1\",\"b2\",\"none\"]}", json("alice"));
            expect(400, "INVALID_BODY", "POST", t[0], "{\"op\":\"get\",\"keys\":[\"a\",\"a\"]}", json("alice"));
            expect(415, "UNSUPPORTED_MEDIA_TYPE", "POST", t[0], "{}", TestServer.auth("alice"));
            expect(401, "NOT_AUTHENTICATED", "POST", t[0], "{\"op\":\"get\",\"keys\":[]}", Map.of());
        }
        // twelve entries cost more than the extension's 6000 bytes (512 each besides key and value)
        StringBuilder twelve = new StringBuilder("{\"op\":\"set\",\"entries\":[");
        for (int i = 0; i < 12; i++) {
            twelve.append(i == 0 ? "" : ",").append("{\"key\":\"q").append(i).append("\",\"value\":1}");
        }
        expect(413, "QUOTA_EXCEEDED", "POST", P, twelve + "]}", json("quota-batch"));
    }

    @Test
    void listing() {
        for (int i = 0; i < 3; i++) {
            expect(200, null, "PUT", P + "/item" + i, "{\"value\":" + i + "}", json("lister"));
        }
        var page = expect(200, null, "GET", P + "?page=0&page_size=2", null, bearer("lister"));
        assertEquals(3, page.json().get("count").asInt());
        expect(200, null, "GET", P, null, bearer("lister"));
        expect(200, null, "GET", P + "?shared=true&page=5", null, bearer("lister"));
        expect(200, null, "HEAD", P, null, bearer("lister"));
        expect(400, "INVALID_QUERY", "GET", P + "?page_size=101", null, bearer("lister"));
        expect(400, "INVALID_QUERY", "GET", P + "?page=-1", null, bearer("lister"));
        expect(400, null, "HEAD", P + "?page=x", null, bearer("lister"));
        expect(200, null, "GET", P + "?prefix=item", null, bearer("lister"));
        expect(400, "INVALID_QUERY", "GET", P + "?prefix=%01", null, bearer("lister"));
        // the ephemeral tier lists by key; a tier without a key takes no writes
        expect(200, null, "PUT", E + "/job1", "{\"value\":1,\"ttl\":60}", json("lister"));
        var ephemeral = expect(200, null, "GET", E + "?prefix=job&page_size=5", null, bearer("lister"));
        assertEquals(1, ephemeral.json().get("count").asInt());
        expect(200, null, "HEAD", E, null, bearer("lister"));
        for (String tier : new String[]{P, E}) {
            expect(400, "INVALID_KEY", "PUT", tier, "{\"value\":1,\"ttl\":5}", json("lister"));
            expect(400, "INVALID_KEY", "DELETE", tier, null, bearer("lister"));
            expect(401, "NOT_AUTHENTICATED", "PUT", tier, "{\"value\":1}", json(null));
            expect(404, "EXTENSION_NOT_FOUND", "DELETE", tier.replace("acme/notes", "acme/nothing"), null, bearer("lister"));
        }
        expect(401, "NOT_AUTHENTICATED", "GET", P, null, Map.of());
        expect(401, "NOT_AUTHENTICATED", "HEAD", E, null, Map.of());
        expect(404, "EXTENSION_NOT_FOUND", "GET", P.replace("acme/notes", "nobody/nothing"), null, bearer("lister"));
    }

    @Test
    void typicalErrorsOnKeys() throws Exception {
        for (String tier : new String[]{P, E}) {
            String k = tier + "/k";
            expect(401, "NOT_AUTHENTICATED", "GET", k, null, Map.of());
            expect(401, "NOT_AUTHENTICATED", "HEAD", k, null, Map.of());
            expect(401, "NOT_AUTHENTICATED", "PUT", k, "{\"value\":1,\"ttl\":5}", json(null));
            expect(401, "NOT_AUTHENTICATED", "DELETE", k, null, Map.of("Authorization", "Basic abc"));
            expect(400, "INVALID_KEY", "GET", tier + "/a%01b", null, bearer("alice"));
            expect(400, null, "HEAD", tier + "/a%7Fb", null, bearer("alice"));
            expect(400, "INVALID_KEY", "PUT", tier + "/" + "k".repeat(256), "{\"value\":1,\"ttl\":5}", json("alice"));
            expect(400, "INVALID_KEY", "DELETE", tier + "/%2E", null, bearer("alice"));
            String other = k.replace("acme/notes", "acme/nothing");
            expect(404, "EXTENSION_NOT_FOUND", "GET", other, null, bearer("alice"));
            expect(404, null, "HEAD", other, null, bearer("alice"));
            expect(404, "EXTENSION_NOT_FOUND", "PUT", other, "{\"value\":1,\"ttl\":5}", json("alice"));
            expect(404, "EXTENSION_NOT_FOUND", "DELETE", other, null, bearer("alice"));
            expect(415, "UNSUPPORTED_MEDIA_TYPE", "PUT", k, "{\"value\":1,\"ttl\":5}",
                    Map.of("Authorization", "Bearer " + TestServer.token("alice"), "Content-Type", "text/plain"));
            expect(400, "INVALID_BODY", "PUT", k, "not json", json("alice"));
            expect(400, "INVALID_BODY", "PUT", k, "[1]", json("alice"));
            expect(400, "INVALID_BODY", "PUT", k, "{\"ttl\":5}", json("alice"));
            expect(400, "INVALID_VALUE", "PUT", k, "{\"value\":" + "[".repeat(70) + "]".repeat(70) + ",\"ttl\":5}", json("alice"));
            var tooLarge = expect(400, "VALUE_TOO_LARGE", "PUT", k, "{\"value\":\"" + "v".repeat(1200) + "\",\"ttl\":5}", json("alice"));
            assertTrue(tooLarge.json().has("limit"), tooLarge.body());
            // a body far above the limits is refused before it is read
            expectTooLarge("PUT", k, 200_000, "alice");
        }
    }

    @Test
    void quotaExceeded() {
        String value = "{\"value\":\"" + "q".repeat(900) + "\"}";
        TestServer.Response last = null;
        for (int i = 0; i < 20 && (last == null || last.status() == 200); i++) {
            last = CONTRACT.check(server.put(TestServer.url("globex", "todo", "persistent", "fill" + i), "filler", value));
        }
        assertEquals(413, last.status(), last.body());
        assertEquals("QUOTA_EXCEEDED", last.code());
    }

    @Test
    void rateLimited() throws Exception {
        try (TestServer limited = new TestServer(Map.of(ServerConfig.RATE_PER_SECOND, "1", ServerConfig.RATE_BURST, "2"))) {
            Set<Integer> seen = new TreeSet<>();
            String[][] requests = {{"GET", P + "/k"}, {"HEAD", P + "/k"}, {"DELETE", E + "/k"}, {"GET", P}, {"HEAD", E}};
            for (String[] request : requests) {
                TestServer.Response r = null;
                for (int i = 0; i < 10 && (r == null || r.status() != 429); i++) {
                    r = CONTRACT.check(limited.send(request[0], request[1], null, bearer("alice")));
                    seen.add(r.status());
                }
                assertEquals(429, r.status(), request[0] + " " + request[1]);
                assertTrue(r.raw().headers().firstValue("Retry-After").isPresent());
            }
            TestServer.Response put = null;
            for (int i = 0; i < 10 && (put == null || put.status() != 429); i++) {
                put = CONTRACT.check(limited.send("PUT", E + "/k", "{\"value\":1,\"ttl\":5}", json("alice")));
            }
            assertEquals(429, put.status());
            assertEquals("RATE_LIMITED", put.code());
        }
    }

    @Test
    void lifecycleRoutes() {
        LifecycleConformance.exercise();
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void everyDocumentedOperationWasExercised() {
        Set<String> missed = new TreeSet<>(CONTRACT.operations());
        missed.removeAll(CONTRACT.exercised);
        assertEquals(Set.of(), missed, "documented operations no test request exercised");
    }
}
