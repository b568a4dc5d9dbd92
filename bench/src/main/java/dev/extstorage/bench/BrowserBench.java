package dev.extstorage.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The browser benchmark: serves {@code bench.html} and the npm package folder on 127.0.0.1 (a free port),
 * opens it in headless Chromium through the Debian chromedriver, runs {@code window.runBench(ms)} and prints
 * its result as one JSON object ({@code module_set}, {@code raw_set}, {@code module_get}, {@code raw_get},
 * {@code raw_set_sync}, {@code raw_get_sync} in operations per second).
 *
 * <p>Usage: {@code java -cp bench.jar dev.extstorage.bench.BrowserBench WEB_DIR PACKAGE_DIR MILLIS}.
 * Environment: {@code CHROME_BIN} (default {@code /usr/bin/chromium}), {@code CHROMEDRIVER} (default
 * {@code /usr/bin/chromedriver}). The browser profile is a fresh temporary folder, deleted at the end.
 */
public final class BrowserBench {
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "map", "application/json",
            "json", "application/json");

    public static void main(String[] args) throws Exception {
        Path web = Path.of(args[0]).toAbsolutePath().normalize();
        Path pkg = Path.of(args[1]).toAbsolutePath().normalize();
        long millis = Long.parseLong(args[2]);

        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", ex -> serve(ex, web, pkg));
        http.start();
        Path profile = Files.createTempDirectory("bench-chromium-");
        ChromeDriver driver = null;
        try {
            ChromeOptions options = new ChromeOptions();
            options.setBinary(env("CHROME_BIN", "/usr/bin/chromium"));
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                    "--user-data-dir=" + profile);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File(env("CHROMEDRIVER", "/usr/bin/chromedriver")))
                    .usingAnyFreePort()
                    .build();
            driver = new ChromeDriver(service, options);
            driver.manage().timeouts().scriptTimeout(Duration.ofMillis(millis * 12 + 60_000));
            driver.get("http://127.0.0.1:" + http.getAddress().getPort() + "/bench.html");
            JavascriptExecutor js = driver;
            long deadline = System.currentTimeMillis() + 20_000;
            while (!Boolean.TRUE.equals(js.executeScript("return window.benchReady === true"))) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("bench page did not load the module; console: "
                            + driver.getPageSource());
                }
                Thread.sleep(50);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> r = (Map<String, Object>) js.executeAsyncScript(
                    "const done = arguments[arguments.length - 1];"
                            + "window.runBench(arguments[0]).then(done, e => done({error: String(e && e.stack || e)}));",
                    millis);
            if (r.containsKey("error")) {
                throw new IllegalStateException("bench page failed: " + r.get("error"));
            }
            System.out.println(String.format(Locale.ROOT,
                    "{\"module_set\":%.0f,\"raw_set\":%.0f,\"module_get\":%.0f,\"raw_get\":%.0f,"
                            + "\"raw_set_sync\":%.0f,\"raw_get_sync\":%.0f,\"user_agent\":\"%s\"}",
                    num(r, "module_set"), num(r, "raw_set"), num(r, "module_get"), num(r, "raw_get"),
                    num(r, "raw_set_sync"), num(r, "raw_get_sync"),
                    String.valueOf(r.get("user_agent")).replace("\"", "'")));
        } finally {
            if (driver != null) {
                driver.quit();
            }
            http.stop(0);
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static double num(Map<String, Object> r, String k) {
        return ((Number) r.get(k)).doubleValue();
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    /** {@code /pkg/...} from the package folder, anything else from the web folder; nothing outside them. */
    private static void serve(HttpExchange ex, Path web, Path pkg) throws IOException {
        String path = ex.getRequestURI().getPath();
        Path root = web;
        if (path.startsWith("/pkg/")) {
            root = pkg;
            path = path.substring("/pkg".length());
        }
        Path file = root.resolve(path.substring(1)).normalize();
        byte[] body;
        int status = 200;
        String type = "text/plain";
        if (!file.startsWith(root) || !Files.isRegularFile(file)) {
            status = 404;
            body = "not found".getBytes();
        } else {
            body = Files.readAllBytes(file);
            String name = file.getFileName().toString();
            type = TYPES.getOrDefault(name.substring(name.lastIndexOf('.') + 1), "application/octet-stream");
        }
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}
