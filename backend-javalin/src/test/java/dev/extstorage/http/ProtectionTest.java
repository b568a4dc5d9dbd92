package dev.extstorage.http;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.extstorage.config.ServerConfig;
import dev.extstorage.model.RestPaths;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The protections of SPEC section 11 on a real server: each limit exactly at and one past. */
class ProtectionTest {
    private static final String KEY_URL = TestServer.url("acme", "notes", "persistent", "k");

    @Test
    void dotSegmentsAnywhereInAStorageUrlAreRefused() throws IOException {
        try (TestServer s = new TestServer()) {
            String sneaky = "/api/v1/extensions/globex/todo/storage/persistent/x/../../../../../acme/notes/storage/persistent/k";
            TestServer.Response r = s.rawRequest("PUT", sneaky, "alice", "{\"value\":1}");
            assertEquals(400, r.status());
            assertEquals("INVALID_KEY", r.code());
            assertEquals(400, s.rawRequest("GET", "/api/v1/extensions/acme/notes/storage/persistent/./k", "alice", null).status());
            assertEquals(400, s.rawRequest("GET", "/api/v1/extensions/acme/notes/storage/persistent/k/..", "alice", null).status());
            assertEquals("null", s.get(KEY_URL, "alice").result());
            assertEquals("null", s.get(TestServer.url("globex", "todo", "persistent", "x%2F..%2F..%2F..%2F..%2F..%2Facme%2Fnotes%2Fstorage%2Fpersistent%2Fk"), "alice").result());
            // a percent-encoded dot is a plain character of a key
            assertEquals(200, s.put(TestServer.url("acme", "notes", "persistent", "a.%2E"), "alice", "{\"value\":1}").status());
            assertEquals("1", s.get(TestServer.url("acme", "notes", "persistent", "a.."), "alice").result());
        }
    }

    @Test
    void eachUserAndExtensionHasItsOwnRate() throws IOException {
        try (TestServer s = new TestServer(Map.of(ServerConfig.RATE_PER_SECOND, "1", ServerConfig.RATE_BURST, "3"))) {
            // a bucket of 3 refilled at 1/s: of 20 requests in t seconds at most 3 + t (+1 for rounding) pass
            long start = System.nanoTime();
            int passed = 0;
            TestServer.Response limited = null;
            for (int i = 0; i < 20; i++) {
                TestServer.Response r = s.get(KEY_URL, "alice");
                if (r.status() == 200) {
                    passed++;
                } else {
                    limited = r;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(passed >= 3, "the burst passes: " + passed);
            assertTrue(passed <= 3 + Math.ceil(seconds) + 1, passed + " passed in " + seconds + " s");
            assertTrue(limited != null, "some requests were refused");
            assertEquals(429, limited.status());
            assertEquals("RATE_LIMITED", limited.code());
            long retryAfter = Long.parseLong(limited.raw().headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter >= 1, "Retry-After " + retryAfter);
            assertEquals(200, s.get(KEY_URL, "bob").status());
            assertEquals(200, s.get(TestServer.url("globex", "todo", "persistent", "k"), "alice").status());
            // the probe routes are never limited
            assertEquals(200, s.get("/api/v1/ping", "alice").status());
        }
    }

    @Test
    void theExportOfAUsersDataHasTheUsersRateLimit() throws IOException {
        try (TestServer s = new TestServer(Map.of(ServerConfig.RATE_PER_SECOND, "1", ServerConfig.RATE_BURST, "3"))) {
            TestServer.Response limited = null;
            int passed = 0;
            for (int i = 0; i < 20 && limited == null; i++) {
                TestServer.Response r = s.get(RestPaths.ME_STORAGE_PATH, "alice");
                if (r.status() == 200) {
                    passed++;
                } else {
                    limited = r;
                }
            }
            assertTrue(passed >= 3, "the burst passes: " + passed);
            assertTrue(limited != null, "some exports were refused");
            assertEquals(429, limited.status());
            assertEquals("RATE_LIMITED", limited.code());
            assertTrue(limited.raw().headers().firstValue("Retry-After").isPresent());
            assertEquals(200, s.get(RestPaths.ME_STORAGE_PATH, "bob").status());
            // a bucket of its own: alice's storage requests of an extension still pass
            assertEquals(200, s.get(KEY_URL, "alice").status());
        }
    }

    @Test
    void rateZeroDisablesTheLimit() throws IOException {
        try (TestServer s = new TestServer(Map.of(ServerConfig.RATE_PER_SECOND, "0", ServerConfig.RATE_BURST, "1"))) {
            for (int i = 0; i < 20; i++) {
                assertEquals(200, s.get(KEY_URL, "alice").status());
            }
        }
    }

    @Test
    void aUserMayHaveItsNumberOfRequestsUnderWayNotMore() throws Exception {
        Map<String, String> env = new HashMap<>(Map.of(ServerConfig.USER_IN_FLIGHT, "2",
                ServerConfig.MIN_REQUEST_DATA_RATE, "0", ServerConfig.RATE_PER_SECOND, "0"));
        try (TestServer s = new TestServer(env);
             Socket first = s.startPut(KEY_URL, "alice", 100);
             Socket second = s.startPut(KEY_URL, "alice", 100)) {
            s.awaitInFlight(2);
            TestServer.Response third = s.put(KEY_URL, "alice", "{\"value\":3}");
            assertEquals(429, third.status());
            assertEquals("RATE_LIMITED", third.code());
            assertTrue(third.raw().headers().firstValue("Retry-After").isPresent());
            // the export of the user's data across extensions counts against the same requests under way
            TestServer.Response export = s.get(RestPaths.ME_STORAGE_PATH, "alice");
            assertEquals(429, export.status());
            assertEquals("RATE_LIMITED", export.code());
            assertEquals(200, s.get(RestPaths.ME_STORAGE_PATH, "bob").status());
            assertEquals(200, s.put(KEY_URL, "bob", "{\"value\":3}").status());
            finish(first, 100);
            finish(second, 100);
            assertEquals(200, s.put(KEY_URL, "alice", "{\"value\":3}").status());
        }
    }

    @Test
    void heavyRequestsShareTheServersBudget() throws Exception {
        // value limit 100 KiB: a body holds 3 copies of each whole 64 KiB it has sent: 192 KiB once 64 KiB have
        // arrived; five such stalled bodies hold 960 KiB of the 1 MiB budget, and a sixth does not fit
        Map<String, String> env = new HashMap<>(Map.of(ServerConfig.IN_FLIGHT_BYTES, "1048576",
                ServerConfig.MAX_VALUE_BYTES, "102400", ServerConfig.MIN_REQUEST_DATA_RATE, "0",
                ServerConfig.RATE_PER_SECOND, "0"));
        String big = "{\"value\":\"" + "x".repeat(90_000) + "\"}";
        try (TestServer s = new TestServer(env);
             Socket idle = s.startPut(KEY_URL, "erin", big.length());
             Socket a = s.startPut(KEY_URL, "alice", big.length());
             Socket b = s.startPut(KEY_URL, "bob", big.length());
             Socket c = s.startPut(KEY_URL, "dave", big.length());
             Socket d = s.startPut(KEY_URL, "frank", big.length());
             Socket e = s.startPut(KEY_URL, "grace", big.length())) {
            s.awaitInFlight(6);
            // a body that has not arrived holds nothing: a large PUT still fits
            assertEquals(200, s.put(KEY_URL, "carol", big).status());
            for (Socket stalled : List.of(a, b, c, d, e)) {
                // 80,000 bytes of the value sent, then nothing: past 64 KiB of text, so it holds its share
                stalled.getOutputStream().write(big.substring(0, 80_000).getBytes(StandardCharsets.US_ASCII));
                stalled.getOutputStream().flush();
            }
            assertTrue(eventually(() -> s.server.budgetBytesInUse() == 5 * 3 * 64 * 1024),
                    "five stalled bodies hold 3 x 64 KiB each: " + s.server.budgetBytesInUse());
            TestServer.Response refused = s.put(KEY_URL, "carol", big);
            assertEquals(503, refused.status());
            assertEquals("SERVER_BUSY", refused.code());
            assertTrue(refused.raw().headers().firstValue("Retry-After").isPresent());
            // small requests take no budget: they still pass
            assertEquals(200, s.put(KEY_URL, "carol", "{\"value\":1}").status());
            for (Socket stalled : List.of(a, b, c, d, e)) {
                stalled.close();
            }
            assertTrue(eventually(() -> s.put(KEY_URL, "carol", big).status() == 200),
                    "room again once the stalled ones are gone");
        }
    }

    private static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    @Test
    void aTricklingBodyIsCutAfterTheGrace() throws Exception {
        try (TestServer s = new TestServer(Map.of(ServerConfig.MIN_REQUEST_DATA_RATE, "1000"));
             Socket slow = s.startPut(KEY_URL, "alice", 10_000)) {
            slow.setSoTimeout(15_000);
            OutputStreamTrickle.send(slow, 6);
            String answer = TestServer.readAnswer(slow.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
            assertTrue(answer.contains("\"code\":\"INVALID_BODY\""), answer);
        }
    }

    @Test
    void bodiesAreCappedExactly() throws IOException {
        // value limit 100: bodies up to 6 * 100 + 65536 bytes are read
        try (TestServer s = new TestServer(Map.of(ServerConfig.MAX_VALUE_BYTES, "100"))) {
            long cap = 6 * 100 + 65_536;
            String at = "{\"value\":1" + " ".repeat((int) cap - 11) + "}";
            assertEquals(cap, at.length());
            assertEquals(200, s.put(KEY_URL, "alice", at).status());
            TestServer.Response past = s.put(KEY_URL, "alice", at + " ");
            assertEquals(413, past.status());
            assertEquals("QUOTA_EXCEEDED", past.code());
            TestServer.Response chunked = s.rawRequest("PUT", KEY_URL, "alice", at + " ");
            assertEquals(413, chunked.status());
        }
    }

    @Test
    void tokensNeedAnExpiryAndTheConfiguredIssuerAndAudience() throws IOException {
        Algorithm hs = Algorithm.HMAC256(TestServer.SECRET);
        try (TestServer s = new TestServer(Map.of(ServerConfig.JWT_ISSUER, "https://idp.example",
                ServerConfig.JWT_AUDIENCE, "ext-storage"))) {
            Instant exp = Instant.now().plusSeconds(600);
            String good = JWT.create().withSubject("alice").withIssuer("https://idp.example")
                    .withAudience("ext-storage").withExpiresAt(exp).sign(hs);
            String noExp = JWT.create().withSubject("alice").withIssuer("https://idp.example")
                    .withAudience("ext-storage").sign(hs);
            String otherIssuer = JWT.create().withSubject("alice").withIssuer("https://evil.example")
                    .withAudience("ext-storage").withExpiresAt(exp).sign(hs);
            String otherAudience = JWT.create().withSubject("alice").withIssuer("https://idp.example")
                    .withAudience("other").withExpiresAt(exp).sign(hs);
            assertEquals(200, s.send("GET", KEY_URL, null, Map.of("Authorization", "Bearer " + good)).status());
            for (String bad : new String[] {noExp, otherIssuer, otherAudience}) {
                TestServer.Response r = s.send("GET", KEY_URL, null, Map.of("Authorization", "Bearer " + bad));
                assertEquals(401, r.status());
                assertEquals("NOT_AUTHENTICATED", r.code());
            }
            // the development login issues tokens this server accepts
            String dev = s.send("POST", "/api/v1/dev/login", "{\"user\":\"alice\"}",
                    Map.of("Content-Type", "application/json")).json().get("token").asText();
            assertEquals(200, s.send("GET", KEY_URL, null, Map.of("Authorization", "Bearer " + dev)).status());
        }
    }

    @Test
    void theDevelopmentLogoutNeedsTheCsrfHeaderWithACookie() throws IOException {
        try (TestServer s = new TestServer()) {
            var login = s.send("POST", "/api/v1/dev/login", "{\"user\":\"alice\"}", Map.of("Content-Type", "application/json"));
            String token = login.json().get("token").asText();
            String csrf = login.json().get("csrf").asText();
            TestServer.Response refused = s.send("POST", "/api/v1/dev/logout", null, Map.of("Cookie", "session=" + token));
            assertEquals(403, refused.status());
            assertEquals("FORBIDDEN", refused.code());
            assertEquals(200, s.send("POST", "/api/v1/dev/logout", null,
                    Map.of("Cookie", "session=" + token, "X-CSRF-Token", csrf)).status());
        }
    }

    @Test
    void idleConnectionsAreClosed() throws Exception {
        try (TestServer s = new TestServer(Map.of(ServerConfig.IDLE_TIMEOUT_MS, "300"));
             Socket idle = new Socket("127.0.0.1", s.server.port())) {
            idle.setSoTimeout(10_000);
            InputStream in = idle.getInputStream();
            assertEquals(-1, in.read(), "the server closes a connection that sends nothing");
        }
    }

    @Test
    void headersTricklingWithoutEverCompletingARequestAreCut() throws Exception {
        try (TestServer s = new TestServer(Map.of(ServerConfig.IDLE_TIMEOUT_MS, "2000"));
             Socket slow = new Socket("127.0.0.1", s.server.port())) {
            slow.setSoTimeout(500);
            byte[] headers = ("GET " + KEY_URL + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: "
                    + "a".repeat(200) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            long deadline = System.nanoTime() + 20_000_000_000L;
            boolean closed = false;
            for (int i = 0; i < headers.length && !closed && System.nanoTime() < deadline; i++) {
                try {
                    slow.getOutputStream().write(headers[i]);
                    slow.getOutputStream().flush();
                    closed = slow.getInputStream().read() == -1;
                } catch (SocketTimeoutException stillOpen) {
                    // 500 ms between bytes, below the idle time-out
                } catch (IOException reset) {
                    closed = true;
                }
            }
            assertTrue(closed, "a connection trickling its headers is closed");
            // a connection that sends whole requests, with pauses between them, is kept
            try (Socket keptAlive = new Socket("127.0.0.1", s.server.port())) {
                keptAlive.setSoTimeout(10_000);
                for (int i = 0; i < 3; i++) {
                    String request = "GET /api/v1/ping HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
                    keptAlive.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                    keptAlive.getOutputStream().flush();
                    byte[] answer = new byte[512];
                    int n = keptAlive.getInputStream().read(answer);
                    assertTrue(new String(answer, 0, n, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200"));
                    Thread.sleep(1500);
                }
            }
        }
    }

    @Test
    void theConnectionLimitHoldsExactly() throws Exception {
        try (TestServer s = new TestServer(Map.of(ServerConfig.MAX_CONNECTIONS, "16",
                ServerConfig.IDLE_TIMEOUT_MS, "60000"))) {
            List<Socket> open = new ArrayList<>();
            try {
                for (int i = 0; i < 15; i++) {
                    open.add(new Socket("127.0.0.1", s.server.port()));
                }
                assertTrue(ping(s, 5_000), "the 16th connection is served");
                open.add(new Socket("127.0.0.1", s.server.port()));
                assertFalse(ping(s, 1_500), "a 17th connection is not served while 16 are open");
                open.remove(0).close();
                assertTrue(ping(s, 10_000), "once one closes, a new connection is served");
            } finally {
                for (Socket socket : open) {
                    socket.close();
                }
            }
        }
    }

    private static boolean ping(TestServer s, int timeoutMs) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", s.server.port())) {
            socket.setSoTimeout(timeoutMs);
            socket.getOutputStream().write("GET /api/v1/ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            return TestServer.readAnswer(socket.getInputStream()).startsWith("HTTP/1.1 200");
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    private static void finish(Socket socket, int bytes) throws IOException {
        String body = "{\"value\":" + " ".repeat(bytes - 11) + "1}";
        socket.getOutputStream().write(body.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        String answer = TestServer.readAnswer(socket.getInputStream());
        assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
    }

    /** Sends a body's bytes one a second. */
    private static final class OutputStreamTrickle {
        static void send(Socket socket, int bytes) throws IOException, InterruptedException {
            for (int i = 0; i < bytes; i++) {
                try {
                    socket.getOutputStream().write(' ');
                    socket.getOutputStream().flush();
                } catch (IOException closedByServer) {
                    return;
                }
                Thread.sleep(1000);
            }
        }
    }
}
