package dev.extstorage.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real server jar as a child process. {@link #restart()} stops it and starts a new process on the same
 * port with the same SQLite file and JWT secret, so the browser's session cookie stays valid across it.
 */
final class ServerProcess implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final int port;
    private final Path database;
    private final Path log;
    private final String jwtSecret;
    private final String redisUrl;
    private final Map<String, String> extraEnv;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Thread killOnExit = new Thread(this::kill, "e2e-server-kill");
    private Process process;

    private ServerProcess(int port, Path database, Path log, String redisUrl, Map<String, String> extraEnv) {
        this.port = port;
        this.extraEnv = Map.copyOf(extraEnv);
        this.database = database;
        this.log = log;
        this.redisUrl = redisUrl;
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.jwtSecret = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /** Starts a server on a free port with a new SQLite file under {@code target/e2e-data}. */
    static ServerProcess start(String redisUrl) throws IOException, InterruptedException {
        return start(redisUrl, Map.of());
    }

    /** As {@link #start(String)}, with more {@code EXT_STORAGE_*} settings (e.g. smaller limits). */
    static ServerProcess start(String redisUrl, Map<String, String> extraEnv) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(TestEnvironment.targetDir().resolve("e2e-data"));
        Path database = Files.createTempFile(dir, "storage-", ".db");
        Files.delete(database);
        Path logs = Files.createDirectories(TestEnvironment.targetDir().resolve("server-logs"));
        Path log = logs.resolve(database.getFileName().toString().replace(".db", ".log"));
        ServerProcess server = new ServerProcess(freePort(), database, log, redisUrl, extraEnv);
        Runtime.getRuntime().addShutdownHook(server.killOnExit);
        server.launch();
        return server;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    Path log() {
        return log;
    }

    void restart() throws IOException, InterruptedException {
        stop();
        launch();
    }

    /** A crash: SIGKILL, no shutdown hook runs; then a new process on the same port, database and secret. */
    void crashAndRestart() throws IOException, InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        process = null;
        launch();
    }

    /** A graceful stop (SIGTERM), as an operator would do it; forced after 20 s. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        process = null;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException alreadyExiting) {
            // the hook is running or about to: it only kills what is already gone
        }
    }

    private void kill() {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
        }
    }

    private void launch() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-jar",
                TestEnvironment.serverJar().toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(TestEnvironment.repoRoot().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        // only what this test sets: a developer's own EXT_STORAGE_* settings must not leak in
        env.keySet().removeIf(name -> name.startsWith("EXT_STORAGE_"));
        env.put("EXT_STORAGE_HOST", "127.0.0.1");
        env.put("EXT_STORAGE_PORT", Integer.toString(port));
        env.put("EXT_STORAGE_JWT_SECRET", jwtSecret);
        env.put("EXT_STORAGE_DEV_LOGIN", "true");
        env.put("EXT_STORAGE_EXTENSIONS", "acme.notes,globex.todo");
        env.put("EXT_STORAGE_DB_URL", "jdbc:sqlite:" + database);
        env.put("EXT_STORAGE_REDIS_URL", redisUrl);
        env.put("EXT_STORAGE_WEB_DIR", TestEnvironment.webDist().toString());
        env.putAll(extraEnv);
        process = builder.start();
        awaitHealthy();
    }

    private void awaitHealthy() throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        HttpRequest health = HttpRequest.newBuilder(URI.create(baseUrl() + "/health"))
                .timeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with status " + process.exitValue()
                        + " before it was ready; see " + log);
            }
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // keep polling
            }
            Thread.sleep(200);
        }
        kill();
        throw new IllegalStateException("the server was not healthy within " + READY_TIMEOUT + "; see " + log);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
