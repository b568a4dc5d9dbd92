package dev.extstorage.e2e;

import dev.extstorage.testing.Chromium;
import dev.extstorage.testing.TestServices;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the end-to-end tests need from the machine: the built server jar and web/dist, Redis, Chromium and
 * chromedriver. A missing part skips the tests on a developer machine and fails them under {@code CI=true},
 * so CI can never pass by silently testing nothing.
 */
final class TestEnvironment {
    static final String REDIS_ENV = TestServices.REDIS_URL;

    private TestEnvironment() {
    }

    static boolean ci() {
        return TestServices.ci();
    }

    /** The repository root (set by the build; the parent of the working directory otherwise). */
    static Path repoRoot() {
        String configured = System.getProperty("e2e.repoRoot");
        return (configured != null ? Path.of(configured) : Path.of("..")).toAbsolutePath().normalize();
    }

    /** Where tests leave screenshots, logs and databases: {@code e2e/target}. */
    static Path targetDir() {
        String configured = System.getProperty("e2e.targetDir");
        return (configured != null ? Path.of(configured) : Path.of("target")).toAbsolutePath().normalize();
    }

    static Path serverJar() {
        return repoRoot().resolve("backend-javalin/target/extension-storage-server.jar");
    }

    static Path webDist() {
        return repoRoot().resolve("web/dist");
    }

    /** Checks every prerequisite; returns the Redis URL to give the server. */
    static String require() {
        requirePart(Files.isRegularFile(serverJar()), "server jar " + serverJar() + " (build backend-javalin)");
        requirePart(Files.isRegularFile(webDist().resolve("index.html")),
                "web/dist/index.html (build the web module)");
        Chromium.require();
        String redis = System.getenv(REDIS_ENV);
        requirePart(redis != null && !redis.isBlank(), "env " + REDIS_ENV + " (e.g. redis://127.0.0.1:6390/0)");
        requirePart(redisAnswers(redis), "Redis at " + redis);
        return redis;
    }

    /**
     * Checks what a REST-only test needs (the server jar and web/dist: no browser); returns the Redis URL to
     * give the server, or {@code null} when none is configured or answering (the server then runs the
     * ephemeral tier on its in-process cache).
     */
    static String requireServer() {
        requirePart(Files.isRegularFile(serverJar()), "server jar " + serverJar() + " (build backend-javalin)");
        requirePart(Files.isRegularFile(webDist().resolve("index.html")),
                "web/dist/index.html (build the web module)");
        String redis = System.getenv(REDIS_ENV);
        return redis != null && !redis.isBlank() && redisAnswers(redis) ? redis : null;
    }

    /** The Redis URL of {@link #REDIS_ENV}, required (skip, or fail under CI) like {@link #require()} does. */
    static String requireRedis() {
        String redis = System.getenv(REDIS_ENV);
        requirePart(redis != null && !redis.isBlank(), "env " + REDIS_ENV + " (e.g. redis://127.0.0.1:6390/0)");
        requirePart(redisAnswers(redis), "Redis at " + redis);
        return redis;
    }

    private static void requirePart(boolean present, String what) {
        TestServices.requirePart(present, what);
    }

    /** A PING over a plain socket: the tests need no Redis client of their own. */
    private static boolean redisAnswers(String url) {
        try {
            URI uri = URI.create(url);
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort()), 2000);
                socket.setSoTimeout(2000);
                OutputStream out = socket.getOutputStream();
                out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                byte[] reply = new byte[64];
                int n = in.read(reply);
                // +PONG, or -NOAUTH when a password is needed: either way a Redis is there
                return n > 0 && (reply[0] == '+' || reply[0] == '-');
            }
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }
}
