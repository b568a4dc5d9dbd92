package dev.extstorage.browser;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import dev.extstorage.testing.Chromium;

/**
 * Real headless Chromium (driven by Selenium, nothing downloaded) on a page served over HTTP, since ES modules
 * do not load from {@code file://}. Serves the npm package folder under {@code /pkg/} and an empty page at
 * {@code /}; an optional handler answers {@code /api/}. Reusable from other modules (e2e) by pointing
 * {@link #open} at any origin that serves the package.
 */
public final class BrowserHarness implements AutoCloseable {

    private final HttpServer server;
    private final ChromeDriver driver;
    private final Path profile;

    private final String origin;

    private BrowserHarness(HttpServer server, String origin, ChromeDriver driver, Path profile) {
        this.server = server;
        this.origin = origin;
        this.driver = driver;
        this.profile = profile;
    }

    /** Skips the calling test when Chromium is not installed (fails it under CI: {@link Chromium#require}). */
    public static void assumeChromium() {
        Chromium.require();
    }

    /** The package folder the Maven build assembled. */
    public static Path packageDir() {
        return Paths.get(System.getProperty("npm.package.dir", "target/npm-package")).toAbsolutePath();
    }

    /** Starts the page server ({@code api} may be {@code null}) and a fresh browser showing the page. */
    public static BrowserHarness start(Path packageDir, HttpHandler api) throws IOException {
        assumeChromium();
        if (!Files.isRegularFile(packageDir.resolve("index.js"))) {
            throw new IllegalStateException("no package at " + packageDir + ": run the Maven build first");
        }
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/pkg/", ex -> serveFile(ex, packageDir));
        server.createContext("/", ex -> send(ex, 200, "text/html; charset=utf-8",
                "<!doctype html><html><head><title>extension storage test</title></head><body></body></html>"));
        if (api != null) {
            server.createContext("/api/", api);
        }
        server.start();
        Path profile = Files.createTempDirectory("chromium-profile");
        ChromeDriver driver;
        try {
            driver = newDriver(profile);
        } catch (RuntimeException e) {
            server.stop(0);
            deleteTree(profile);
            throw e;
        }
        BrowserHarness h = new BrowserHarness(server, "http://127.0.0.1:" + server.getAddress().getPort(), driver,
                profile);
        h.open(h.origin() + "/");
        return h;
    }

    /** A headless Chromium with explicit paths, so Selenium Manager never downloads anything. */
    public static ChromeDriver newDriver(Path profile) {
        ChromeDriver driver = Chromium.start(Chromium.options(profile));
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        return driver;
    }

    /**
     * A fresh browser on a page of {@code origin}, a server that itself serves the package under {@code /pkg/}
     * (the real storage server with {@code EXT_STORAGE_WEB_DIR}), so API calls are same-origin.
     */
    public static BrowserHarness attach(String origin) throws IOException {
        assumeChromium();
        Path profile = Files.createTempDirectory("chromium-profile");
        ChromeDriver driver;
        try {
            driver = newDriver(profile);
        } catch (RuntimeException e) {
            deleteTree(profile);
            throw e;
        }
        BrowserHarness h = new BrowserHarness(null, origin, driver, profile);
        h.open(origin + "/");
        return h;
    }

    public String origin() {
        return origin;
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** Loads {@code url}: a fresh page, so a fresh instance of the module. */
    public void open(String url) {
        driver.get(url);
    }

    /**
     * Runs {@code body} as the body of an async function that has the module as {@code m} and returns the
     * JSON text of {@code {ok: result}} or, if it throws or rejects, of
     * {@code {error: {name, code, status, message, limit, actual}}}.
     */
    public String run(String body) {
        String script = "const done = arguments[arguments.length - 1];"
                + "import('/pkg/index.js').then(async (m) => {" + body + "\n})"
                + ".then(r => done(JSON.stringify({ok: r === undefined ? '<undefined>' : r})),"
                + " e => done(JSON.stringify({error: {name: e && e.name, code: e && e.code, status: e && e.status,"
                + " message: String(e && e.message), limit: e && e.limit, actual: e && e.actual}})));";
        Object result = ((JavascriptExecutor) driver).executeAsyncScript(script);
        return String.valueOf(result);
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            if (server != null) {
                server.stop(0);
            }
            deleteTree(profile);
        }
    }

    private static void serveFile(HttpExchange ex, Path root) throws IOException {
        String rel = ex.getRequestURI().getPath().substring("/pkg/".length());
        Path file = root.resolve(rel).normalize();
        if (!file.startsWith(root) || !Files.isRegularFile(file)) {
            send(ex, 404, "text/plain", "not found");
            return;
        }
        String type = rel.endsWith(".js") ? "text/javascript; charset=utf-8" : "application/json; charset=utf-8";
        byte[] bytes = Files.readAllBytes(file);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
        ex.close();
    }

    static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp folder is harmless
        }
    }
}
