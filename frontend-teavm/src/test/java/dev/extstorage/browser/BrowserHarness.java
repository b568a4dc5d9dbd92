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
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.chrome.ChromeDriver;
import dev.extstorage.testing.Chromium;

/**
 * Real headless Chromium (driven by Selenium, nothing downloaded) on a page served over HTTP, since ES modules
 * do not load from {@code file://}. Serves the npm package folder under {@code /pkg/} and an empty page at
 * {@code /}; an optional handler answers {@code /api/}.
 *
 * <p>A test class shares one: {@code @RegisterExtension static final BrowserHarness browser =
 * BrowserHarness.perClass(api)} starts the page server and the browser before the class's first test, opens a
 * fresh page (a fresh instance of the module) before each test and closes both after the last.
 */
public final class BrowserHarness implements AutoCloseable, BeforeAllCallback, BeforeEachCallback,
        AfterAllCallback {
    private final HttpHandler api;
    private HttpServer server;
    private ChromeDriver driver;
    private Path profile;
    private String origin;

    private BrowserHarness(HttpHandler api) {
        this.api = api;
    }

    /** A harness whose {@code /api/} is answered by {@code api} ({@code null}: none), started by JUnit. */
    public static BrowserHarness perClass(HttpHandler api) {
        return new BrowserHarness(api);
    }

    /** The package folder the Maven build assembled. */
    public static Path packageDir() {
        return Paths.get(System.getProperty("npm.package.dir", "target/npm-package")).toAbsolutePath();
    }

    /** Starts the page server and a browser; skips (fails under CI) when Chromium is not installed. */
    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        Chromium.require();
        Path packageDir = packageDir();
        if (!Files.isRegularFile(packageDir.resolve("index.js"))) {
            throw new IllegalStateException("no package at " + packageDir + ": run the Maven build first");
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/pkg/", ex -> serveFile(ex, packageDir));
        server.createContext("/", ex -> send(ex, 200, "text/html; charset=utf-8",
                "<!doctype html><html><head><title>extension storage test</title></head><body></body></html>"));
        if (api != null) {
            server.createContext("/api/", api);
        }
        server.start();
        origin = "http://127.0.0.1:" + server.getAddress().getPort();
        profile = Files.createTempDirectory("chromium-profile");
        driver = Chromium.start(Chromium.options(profile));
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        open(origin + "/");
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
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
     * Runs {@code body} as the body of an async function that has the module as {@code m} and the host's module
     * ({@code @extension-storage/core/host}) as {@code mh}, and returns the
     * JSON text of {@code {ok: result}} or, if it throws or rejects, of
     * {@code {error: {name, code, status, message, limit, actual}}}.
     */
    public String run(String body) {
        String script = "const done = arguments[arguments.length - 1];"
                + "Promise.all([import('/pkg/index.js'), import('/pkg/host.js')]).then(async ([m, mh]) => {" + body + "\n})"
                + ".then(r => done(JSON.stringify({ok: r === undefined ? '<undefined>' : r})),"
                + " e => done(JSON.stringify({error: {name: e && e.name, code: e && e.code, status: e && e.status,"
                + " message: String(e && e.message), limit: e && e.limit, actual: e && e.actual}})));";
        Object result = ((JavascriptExecutor) driver).executeAsyncScript(script);
        return String.valueOf(result);
    }

    @Override
    public void close() {
        try {
            if (driver != null) {
                driver.quit();
            }
        } finally {
            if (server != null) {
                server.stop(0);
            }
            if (profile != null) {
                deleteTree(profile);
            }
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
