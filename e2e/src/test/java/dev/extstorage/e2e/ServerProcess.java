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
 * The real server jar as a child process, started as {@code scripts/run} starts it: by the launcher of
 * {@code scripts/server-java} with the JVM flags of {@code scripts/server-jvm-options} (bounded heap, serial GC,
 * exit on OutOfMemoryError, start-up cache) before {@code -jar}. {@link #restart()} stops it and starts a new process on the same port with the same
 * SQLite file and JWT secret, so the browser's session cookie stays valid across it.
 */
final class ServerProcess implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final int port;
    private final Path database;
    private final Path log;
    private final String jwtSecret;
    private final String redisUrl;
    private Map<String, String> extraEnv;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Thread killOnExit = new Thread(this::kill, "e2e-server-kill");
    private Process process;
    private List<String> jvmOptions = List.of();

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

    /**
     * Starts a server on a free port with a new SQLite file under {@code target/e2e-data}; {@code redisUrl}
     * {@code null} runs the ephemeral tier on the in-process cache (the embedded default).
     */
    static ServerProcess start(String redisUrl) throws IOException, InterruptedException {
        return start(redisUrl, Map.of());
    }

    /**
     * As {@link #start(String)}, with more {@code EXT_STORAGE_*} settings (e.g. smaller limits);
     * {@code EXT_STORAGE_JAVA_OPTS} among them adds JVM flags, as it does for {@code scripts/run}.
     */
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

    /** Whether the process is running (it may have exited on its own, e.g. on an OutOfMemoryError). */
    boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** The exit status of a process that ended, or {@code null} while it runs (or was never started). */
    Integer exitValue() {
        Process p = process;
        return p == null || p.isAlive() ? null : p.exitValue();
    }

    /** The JVM flags the server runs with, as {@code scripts/server-jvm-options} printed them. */
    List<String> jvmOptions() {
        return jvmOptions;
    }

    /**
     * A graceful stop, then a new process on the same port, database and secret (so the same browser origin and
     * sign-in) with {@code extraEnv} in place of the settings it was started with: e.g. another registry.
     */
    void restartWith(Map<String, String> extraEnv) throws IOException, InterruptedException {
        stop();
        this.extraEnv = Map.copyOf(extraEnv);
        launch();
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
        jvmOptions = shippedJvmOptions();
        List<String> command = new ArrayList<>(script("scripts/server-java"));
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(TestEnvironment.serverJar().toString());
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
        if (redisUrl != null) {
            env.put("EXT_STORAGE_REDIS_URL", redisUrl);
        }
        env.put("EXT_STORAGE_WEB_DIR", TestEnvironment.webDist().toString());
        env.putAll(extraEnv);
        process = builder.start();
        awaitHealthy();
    }

    /**
     * The output of {@code scripts/server-jvm-options <jar>} split into arguments: the flags {@code scripts/run}
     * gives the server. Only this test's {@code EXT_STORAGE_JAVA_OPTS} reaches the script.
     */
    private List<String> shippedJvmOptions() throws IOException, InterruptedException {
        return script("scripts/server-jvm-options", TestEnvironment.serverJar().toString());
    }

    /** What a script of the repository prints, split into words; only this test's EXT_STORAGE_JAVA_OPTS reach it. */
    private List<String> script(String path, String... args) throws IOException, InterruptedException {
        Path script = TestEnvironment.repoRoot().resolve(path);
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(TestEnvironment.repoRoot().toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().remove("EXT_STORAGE_JAVA_OPTS");
        if (extraEnv.containsKey("EXT_STORAGE_JAVA_OPTS")) {
            builder.environment().put("EXT_STORAGE_JAVA_OPTS", extraEnv.get("EXT_STORAGE_JAVA_OPTS"));
        }
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(script + " did not finish");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(script + " failed with status " + p.exitValue());
        }
        List<String> words = new ArrayList<>();
        for (String word : out.trim().split("\\s+")) {
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
        return List.copyOf(words);
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
