package dev.extstorage.e2e;

import dev.extstorage.testing.Chromium;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;

/**
 * Headless Chromium browsers for one test, each with its own profile folder. A profile can be reopened after
 * its browser quit (a browser restart). When a test fails, every open browser leaves a screenshot and its
 * console log under {@code target/failures/<test>/} before it is closed.
 */
final class Browsers implements BeforeEachCallback, AfterTestExecutionCallback, AfterEachCallback {
    private final Map<WebDriver, String> open = new LinkedHashMap<>();
    private final List<Path> profiles = new ArrayList<>();
    private String testName = "test";

    /** A browser with a new, empty profile. */
    WebDriver launch(String profileName) {
        Path profile = TestEnvironment.targetDir().resolve("profiles").resolve(testName + "-" + profileName);
        deleteRecursively(profile);
        profiles.add(profile);
        return launch(profile, profileName);
    }

    /** A browser on an existing profile folder; the previous browser on it must have quit. */
    WebDriver reopen(String profileName) {
        Path profile = TestEnvironment.targetDir().resolve("profiles").resolve(testName + "-" + profileName);
        return launch(profile, profileName + "-reopened");
    }

    /** Quits a browser: its profile stays on disk, as when a user closes the browser. */
    void quit(WebDriver driver) {
        open.remove(driver);
        driver.quit();
    }

    private WebDriver launch(Path profile, String label) {
        ChromeOptions options = Chromium.options(profile);
        options.addArguments("--window-size=1400,1100");
        LoggingPreferences logging = new LoggingPreferences();
        logging.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logging);
        ChromeDriver driver = Chromium.start(options);
        driver.manage().window().setSize(new Dimension(1400, 1100));
        open.put(driver, label);
        return driver;
    }

    /** Names the profiles and failure folders after the test method. */
    @Override
    public void beforeEach(ExtensionContext context) {
        testName = context.getTestMethod().map(java.lang.reflect.Method::getName).orElse("test");
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isEmpty()) {
            return;
        }
        Path dir = TestEnvironment.targetDir().resolve("failures").resolve(testName);
        try {
            Files.createDirectories(dir);
            for (Map.Entry<WebDriver, String> e : open.entrySet()) {
                saveEvidence(e.getKey(), dir, e.getValue());
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("could not save the failure evidence of " + testName + ": " + e);
        }
    }

    private static void saveEvidence(WebDriver driver, Path dir, String label) throws IOException {
        try {
            byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
            Files.write(dir.resolve(label + ".png"), png);
        } catch (RuntimeException e) {
            Files.writeString(dir.resolve(label + ".png.txt"), "no screenshot: " + e);
        }
        StringBuilder log = new StringBuilder();
        try {
            log.append("URL: ").append(driver.getCurrentUrl()).append('\n');
            for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
                log.append(Instant.ofEpochMilli(entry.getTimestamp())).append(' ').append(entry.getLevel())
                        .append(' ').append(entry.getMessage()).append('\n');
            }
        } catch (RuntimeException e) {
            log.append("no console log: ").append(e).append('\n');
        }
        Files.writeString(dir.resolve(label + "-console.log"), log);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (WebDriver driver : List.copyOf(open.keySet())) {
            try {
                driver.quit();
            } catch (RuntimeException e) {
                System.err.println("could not quit a browser: " + e);
            }
        }
        open.clear();
        profiles.forEach(Browsers::deleteRecursively);
        profiles.clear();
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }
}
