package dev.extstorage.testing;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Headless Chromium for browser tests and the browser benchmark: the machine's Debian {@code chromium} and
 * {@code chromedriver} ({@code CHROME_BIN} and {@code CHROMEDRIVER} override the paths), never a browser or a
 * driver that Selenium Manager would download.
 */
public final class Chromium {
    public static final Path BINARY = Path.of(env("CHROME_BIN", "/usr/bin/chromium"));
    public static final Path DRIVER = Path.of(env("CHROMEDRIVER", "/usr/bin/chromedriver"));

    private Chromium() {
    }

    /** Skips the calling test, or fails it under CI, unless the browser and its driver are installed. */
    public static void require() {
        TestServices.requirePart(Files.isExecutable(BINARY), BINARY + " (Debian package chromium)");
        TestServices.requirePart(Files.isExecutable(DRIVER), DRIVER + " (Debian package chromium-driver)");
    }

    /** Options of a quiet headless browser with its own profile folder; callers may add to them. */
    public static ChromeOptions options(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile);
        return options;
    }

    /** A browser with {@code options}, driven through the Debian driver on a free port. */
    public static ChromeDriver start(ChromeOptions options) {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
