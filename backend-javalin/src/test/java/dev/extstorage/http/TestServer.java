package dev.extstorage.http;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.extstorage.config.ServerConfig;
import dev.extstorage.config.Settings;
import dev.extstorage.model.RestPaths;
import dev.extstorage.server.StorageServer;
import dev.extstorage.testing.PgDatabase;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A real server on a free port with a SQLite file of its own, and an HTTP client that speaks to it. A test
 * makes one for itself ({@code try (TestServer s = new TestServer(env))}), or a class shares one: {@code
 * @RegisterExtension static final TestServer server = TestServer.perClass(env)} starts it before the class's
 * first test and closes it after its last.
 */
final class TestServer implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
    static final String SECRET = "test-secret-for-integration-tests-0123456789";
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final Path dir;
    final Map<String, String> env;
    StorageServer server;
    /** The PostgreSQL database of a {@link #perClassOnPostgres} server, made before it starts; else {@code null}. */
    PgDatabase db;
    private boolean ownDatabase;

    TestServer(Map<String, String> extraEnv) throws IOException {
        this(extraEnv, true);
    }

    TestServer() throws IOException {
        this(Map.of());
    }

    private TestServer(Map<String, String> extraEnv, boolean startNow) throws IOException {
        this.dir = Files.createTempDirectory("ext-storage-it");
        this.env = new HashMap<>(Map.of(
                ServerConfig.PORT, "0",
                ServerConfig.JWT_SECRET, SECRET,
                ServerConfig.EXTENSIONS, "acme.notes,globex.todo",
                ServerConfig.DB_URL, "jdbc:sqlite:" + dir.resolve("storage.db"),
                ServerConfig.DEV_LOGIN, "true"));
        env.putAll(extraEnv);
        if (startNow) {
            start();
        }
    }

    /** A server for the tests of one class, started by {@link #beforeAll}; register it as a static field. */
    static TestServer perClass(Map<String, String> extraEnv) {
        try {
            return new TestServer(extraEnv, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TestServer perClass() {
        return perClass(Map.of());
    }

    /**
     * As {@link #perClass(Map)}, its persistent tier on a PostgreSQL database of its own ({@link #db}), created
     * before the server starts and dropped after it stops.
     */
    static TestServer perClassOnPostgres(Map<String, String> extraEnv) {
        TestServer s = perClass(extraEnv);
        s.ownDatabase = true;
        return s;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (ownDatabase) {
            db = PgDatabase.create("server");
            env.put(ServerConfig.DB_URL, db.url());
        }
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            close();
        } finally {
            if (db != null) {
                db.close();
            }
        }
    }

    void start() {
        server = StorageServer.start(ServerConfig.from(Settings.of(env)));
    }

    void stop() {
        server.close();
    }

    String base() {
        return "http://127.0.0.1:" + server.port();
    }

    /** A valid bearer token for {@code user}. */
    static String token(String user) {
        return JWT.create().withSubject(user).withExpiresAt(Instant.now().plusSeconds(600))
                .sign(Algorithm.HMAC256(SECRET));
    }

    static String url(String publisher, String name, String tier, String rawKey) {
        return RestPaths.tierPath(publisher, name, tier) + "/" + rawKey;
    }

    Response send(String method, String path, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30));
        headers.forEach(b::header);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        try {
            HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(r.statusCode(), r.body(), r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A GET written byte for byte on a socket, for request lines {@link java.net.URI} refuses to build
     * ({@code %zz}, a lone {@code %}).
     */
    Response rawGet(String path, String user) {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + (user == null ? "" : "Authorization: Bearer " + token(user) + "\r\n") + "\r\n";
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(response.substring(9, 12));
            String body = response.substring(response.indexOf("\r\n\r\n") + 4);
            if (response.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
                body = body.substring(body.indexOf("\r\n") + 2, body.lastIndexOf("\r\n0\r\n"));
            }
            return new Response(status, body, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A request written byte for byte on a socket, the path sent as it is (dot segments included); a body is
     * sent chunked, without a length.
     */
    Response rawRequest(String method, String path, String user, String body) {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(30_000);
            StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: close\r\n"
                    + (user == null ? "" : "Authorization: Bearer " + token(user) + "\r\n"));
            byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            if (body != null) {
                request.append("Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                        .append(Integer.toHexString(bytes.length)).append("\r\n");
            } else {
                request.append("\r\n");
            }
            var whole = new ByteArrayOutputStream();
            whole.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                whole.write(bytes);
                whole.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            try {
                s.getOutputStream().write(whole.toByteArray());
                s.getOutputStream().flush();
            } catch (SocketException answeredEarly) {
                // the server may answer from the headers alone and close before the body is in: read that answer
            }
            String response = readAnswer(s.getInputStream());
            int status = Integer.parseInt(response.substring(9, 12));
            String text = response.substring(response.indexOf("\r\n\r\n") + 4);
            if (response.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
                text = text.substring(text.indexOf("\r\n") + 2, text.lastIndexOf("\r\n0\r\n"));
            }
            return new Response(status, text, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A PUT whose headers (with {@code Content-Length: length}) are sent, its body not yet: for slow clients. */
    Socket startPut(String path, String user, int length) throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        s.setSoTimeout(30_000);
        String headers = "PUT " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + "Authorization: Bearer " + token(user) + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + length + "\r\n\r\n";
        s.getOutputStream().write(headers.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        return s;
    }

    /** Waits (at most 10 s) until exactly {@code n} storage requests are under way in the server. */
    void awaitInFlight(int n) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (server.requestsInFlight() != n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + n + " requests under way, found " + server.requestsInFlight());
            }
            Thread.sleep(20);
        }
    }

    /** What the server answers on a connection it closes afterwards: everything up to the end of the stream. */
    static String readAnswer(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    Response get(String path, String user) {
        return send("GET", path, null, auth(user));
    }

    Response delete(String path, String user) {
        return send("DELETE", path, null, auth(user));
    }

    Response put(String path, String user, String body) {
        Map<String, String> h = new HashMap<>(auth(user));
        h.put("Content-Type", "application/json");
        return send("PUT", path, body, h);
    }

    static Map<String, String> auth(String user) {
        return user == null ? Map.of() : Map.of("Authorization", "Bearer " + token(user));
    }

    @Override
    public void close() {
        stop();
    }

    record Response(int status, String body, HttpResponse<String> raw) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("Not JSON (status " + status + "): " + body, e);
            }
        }

        String code() {
            return json().path("code").asText(null);
        }

        /** The {@code result} member as compact JSON text. */
        String result() {
            return json().get("result").toString();
        }
    }
}
