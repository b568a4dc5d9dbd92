package dev.extstorage.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.extstorage.e2e.HostPage.ACME;
import static dev.extstorage.e2e.HostPage.GLOBEX;
import static dev.extstorage.e2e.HostPage.SCOPES;
import static dev.extstorage.e2e.HostPage.TIERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The test plan of the seed (Superset PR 39171), run against the whole system: the server jar with Redis and a
 * SQLite file, the host page loading both example extensions through Module Federation, and headless
 * Chromium. Users and keys carry a per-run suffix because Redis outlives a test run.
 */
class StorageTestPlanIT {
    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);


    @RegisterExtension
    static final ServerProcessExtension server = new ServerProcessExtension(Map.of());
    @RegisterExtension
    final Browsers browsers = new Browsers();

    /**
     * The extensions each test of the plan runs on: acme.notes in the page and globex.todo in its sandboxed
     * frame (the demo's manifests), so the plan holds in both modes (SPEC section 12).
     */
    static Stream<Arguments> modes() {
        return Stream.of(Arguments.of(Named.of("in the page (" + ACME + ")", ACME)),
                Arguments.of(Named.of("sandboxed (" + GLOBEX + ")", GLOBEX)));
    }

    /** The other example extension. */
    private static String other(String extension) {
        return extension.equals(ACME) ? GLOBEX : ACME;
    }

    private HostPage page(WebDriver browser) {
        return new HostPage(browser, server.baseUrl());
    }

    private static String user(String name) {
        return name + "-" + RUN;
    }

    private static String key(String name) {
        return name + "-" + RUN;
    }

    private static void assertJson(String expected, String actual) throws IOException {
        assertEquals(RestClient.parse(expected), RestClient.parse(actual));
    }

    @Test
    @DisplayName("the host page loads both extensions (screenshot in target/screenshots)")
    void hostPageLoadsBothExtensions() throws IOException {
        HostPage page = page(browsers.launch("main")).open().signInAs(user("alice"));
        for (String extension : List.of(ACME, GLOBEX)) {
            assertEquals(8, (int) page.<Integer>inPanel(extension, p -> p.findElements(By.cssSelector("tr[data-tier]")).size()),
                    extension + ": one row per tier and scope");
        }
        assertTrue(page.sandboxed(GLOBEX) && !page.sandboxed(ACME), "the demo runs globex.todo sandboxed");
        page.set(ACME, "persistent", "user", "greeting", "\"hello from Acme\"");
        page.set(GLOBEX, "persistent", "user", "greeting", "\"hello from Globex\"");
        assertEquals("\"hello from Acme\"", page.get(ACME, "persistent", "user", "greeting"));
        assertEquals("\"hello from Globex\"", page.get(GLOBEX, "persistent", "user", "greeting"));

        // the examples' own features: a note (persistent, user) and a team to-do list (persistent, shared)
        WebDriver browser = page.driver();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        page.section(ACME).findElement(By.className("note")).sendKeys("remember the milk");
        page.section(ACME).findElement(By.cssSelector("button.save-note")).click();
        wait.until(d -> "saved".equals(page.section(ACME).findElement(By.className("note-status")).getText()));
        page.inPanel(GLOBEX, p -> {
            p.findElement(By.className("todo-title")).sendKeys("ship the storage API");
            p.findElement(By.cssSelector("button.add-todo")).click();
            return null;
        });
        page.awaitInPanel(GLOBEX, p -> p.findElements(By.cssSelector("ul.todos li")).size() == 1);
        page.reload().signInAs(user("alice"));
        wait.until(d -> "remember the milk".equals(
                page.section(ACME).findElement(By.className("note")).getDomProperty("value")));
        page.awaitInPanel(GLOBEX, p -> p.findElements(By.cssSelector("ul.todos li")).size() == 1);
        assertEquals("ship the storage API (" + user("alice") + ")",
                page.inPanel(GLOBEX, p -> p.findElement(By.cssSelector("ul.todos li")).getText()));
        // the screenshot shows values read back after the reload
        assertEquals("\"hello from Acme\"", page.get(ACME, "persistent", "user", "greeting"));
        assertEquals("\"hello from Globex\"", page.get(GLOBEX, "persistent", "user", "greeting"));

        Path dir = Files.createDirectories(TestEnvironment.targetDir().resolve("screenshots"));
        byte[] png = ((TakesScreenshot) page.driver()).getScreenshotAs(OutputType.BYTES);
        Files.write(dir.resolve("host-with-extensions.png"), png);
        assertTrue(png.length > 10_000, "a real screenshot");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    @DisplayName("1. local persists across page reloads and browser restarts with the same profile")
    void localSurvivesReloadAndBrowserRestart(String ext) throws IOException {
        String alice = user("alice");
        WebDriver browser = browsers.launch("profile");
        HostPage page = page(browser).open().signInAs(alice);
        page.set(ext, "local", "user", "greeting", "{\"text\":\"hi\",\"n\":1}");
        page.set(ext, "local", "shared", "greeting", "[1,2,3]");

        page.reload().signInAs(alice);
        assertJson("{\"text\":\"hi\",\"n\":1}", page.get(ext, "local", "user", "greeting"));
        assertJson("[1,2,3]", page.get(ext, "local", "shared", "greeting"));

        browsers.quit(browser);
        page = page(browsers.reopen("profile")).open().signInAs(alice);
        assertJson("{\"text\":\"hi\",\"n\":1}", page.get(ext, "local", "user", "greeting"));
        assertJson("[1,2,3]", page.get(ext, "local", "shared", "greeting"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    @DisplayName("2. session survives a reload of the tab, but not a new tab or closing the tab")
    void sessionIsPerTab(String ext) throws IOException {
        String alice = user("alice");
        WebDriver browser = browsers.launch("main");
        HostPage page = page(browser).open().signInAs(alice);
        String firstTab = browser.getWindowHandle();
        page.set(ext, "session", "user", "greeting", "\"step 3\"");
        page.set(ext, "session", "shared", "greeting", "true");

        page.reload().signInAs(alice);
        assertJson("\"step 3\"", page.get(ext, "session", "user", "greeting"));
        assertJson("true", page.get(ext, "session", "shared", "greeting"));

        browser.switchTo().newWindow(WindowType.TAB);
        HostPage secondTab = page(browser).open().signInAs(alice);
        assertEquals("null", secondTab.get(ext, "session", "user", "greeting"), "a new tab has its own session");
        assertEquals("null", secondTab.get(ext, "session", "shared", "greeting"));
        String secondHandle = browser.getWindowHandle();

        browser.switchTo().window(firstTab);
        assertJson("\"step 3\"", page.get(ext, "session", "user", "greeting"));
        browser.close();

        browser.switchTo().window(secondHandle);
        browser.switchTo().newWindow(WindowType.WINDOW);
        HostPage afterClose = page(browser).open().signInAs(alice);
        assertEquals("null", afterClose.get(ext, "session", "user", "greeting"), "gone with its tab");
        assertEquals("null", afterClose.get(ext, "session", "shared", "greeting"));
        // the same user's local data is still there: only the session tier is per tab
        afterClose.set(ext, "local", "user", "greeting", "1");
        assertEquals("1", afterClose.get(ext, "local", "user", "greeting"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    @DisplayName("3. ephemeral goes through the server (checked by REST) and a short TTL expires")
    void ephemeralThroughServerWithTtl(String ext) throws Exception {
        WebDriver browser = browsers.launch("main");
        HostPage page = page(browser).open().signInAs(user("alice"));
        String key = key("job");
        page.set(ext, "ephemeral", "user", key, "{\"pct\":42}", 300);
        page.set(ext, "ephemeral", "shared", key, "\"shared progress\"", 300);
        assertJson("{\"pct\":42}", page.get(ext, "ephemeral", "user", key));
        assertJson("\"shared progress\"", page.get(ext, "ephemeral", "shared", key));

        RestClient bearer = RestClient.bearerOf(browser, server.baseUrl());
        RestClient cookie = RestClient.cookieOf(browser, server.baseUrl());
        assertEquals(RestClient.parse("{\"pct\":42}"), bearer.get(ext, "ephemeral", "user", key));
        assertEquals(RestClient.parse("\"shared progress\""), cookie.get(ext, "ephemeral", "shared", key));

        page.remove(ext, "ephemeral", "user", key);
        assertEquals("null", page.get(ext, "ephemeral", "user", key));
        assertTrue(bearer.get(ext, "ephemeral", "user", key).isNull(), "removed on the server");

        String shortLived = key("flash");
        page.set(ext, "ephemeral", "user", shortLived, "\"soon gone\"", 2);
        assertJson("\"soon gone\"", page.get(ext, "ephemeral", "user", shortLived));
        Thread.sleep(3_000);
        assertEquals("null", page.get(ext, "ephemeral", "user", shortLived), "expired after its TTL");
        assertTrue(bearer.get(ext, "ephemeral", "user", shortLived).isNull(), "expired on the server");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    @DisplayName("4. persistent survives a server restart")
    void persistentSurvivesServerRestart(String ext) throws Exception {
        String alice = user("alice");
        WebDriver browser = browsers.launch("main");
        HostPage page = page(browser).open().signInAs(alice);
        String key = key("preferences");
        page.set(ext, "persistent", "user", key, "{\"theme\":\"dark\"}");
        page.set(ext, "persistent", "shared", key, "{\"team\":\"blue\"}");

        server.process().restart();

        page.reload().signInAs(alice);
        assertJson("{\"theme\":\"dark\"}", page.get(ext, "persistent", "user", key));
        assertJson("{\"team\":\"blue\"}", page.get(ext, "persistent", "shared", key));
        assertEquals(RestClient.parse("{\"theme\":\"dark\"}"),
                RestClient.bearerOf(browser, server.baseUrl()).get(ext, "persistent", "user", key));
    }

    @Test
    @DisplayName("5. the same key in two extensions does not collide, on every tier and scope")
    void sameKeyInTwoExtensionsDoesNotCollide() throws Exception {
        WebDriver browser = browsers.launch("main");
        HostPage page = page(browser).open().signInAs(user("alice"));
        String key = key("greeting");
        for (String tier : TIERS) {
            for (String scope : SCOPES) {
                page.set(ACME, tier, scope, key, "\"acme " + tier + " " + scope + "\"");
                page.set(GLOBEX, tier, scope, key, "\"globex " + tier + " " + scope + "\"");
            }
        }
        for (String tier : TIERS) {
            for (String scope : SCOPES) {
                assertJson("\"acme " + tier + " " + scope + "\"", page.get(ACME, tier, scope, key));
                assertJson("\"globex " + tier + " " + scope + "\"", page.get(GLOBEX, tier, scope, key));
            }
        }
        for (String tier : TIERS) {
            for (String scope : SCOPES) {
                page.remove(ACME, tier, scope, key);
                assertEquals("null", page.get(ACME, tier, scope, key), tier + "/" + scope);
                assertJson("\"globex " + tier + " " + scope + "\"", page.get(GLOBEX, tier, scope, key));
            }
        }
        RestClient rest = RestClient.bearerOf(browser, server.baseUrl());
        assertEquals(RestClient.parse("\"globex persistent user\""), rest.get(GLOBEX, "persistent", "user", key));
        assertTrue(rest.get(ACME, "persistent", "user", key).isNull());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    @DisplayName("6. two users do not see each other's user-scoped data")
    void usersDoNotSeeEachOthersData(String ext) throws Exception {
        String alice = user("alice");
        String bob = user("bob");
        String key = key("private");
        HostPage alicePage = page(browsers.launch("alice")).open().signInAs(alice);
        HostPage bobPage = page(browsers.launch("bob")).open().signInAs(bob);

        for (String tier : List.of("ephemeral", "persistent")) {
            alicePage.set(ext, tier, "user", key, "\"alice's " + tier + "\"");
            assertEquals("null", bobPage.get(ext, tier, "user", key), "bob reads alice's " + tier);
            bobPage.set(ext, tier, "user", key, "\"bob's " + tier + "\"");
            assertJson("\"alice's " + tier + "\"", alicePage.get(ext, tier, "user", key));
            assertJson("\"bob's " + tier + "\"", bobPage.get(ext, tier, "user", key));
        }

        // the browser tiers: one browser, one tab, the user changes; the key layout keeps them apart
        for (String tier : List.of("local", "session")) {
            alicePage.set(ext, tier, "user", key, "\"alice's " + tier + "\"");
        }
        alicePage.signInAs(bob);
        for (String tier : List.of("local", "session")) {
            assertEquals("null", alicePage.get(ext, tier, "user", key), "bob reads alice's " + tier);
        }
        alicePage.signInAs(alice);
        for (String tier : List.of("local", "session")) {
            assertJson("\"alice's " + tier + "\"", alicePage.get(ext, tier, "user", key));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    @DisplayName("7. shared data written by one user is read by the other")
    void sharedDataIsSharedBetweenUsers(String ext) throws Exception {
        String alice = user("alice");
        String bob = user("bob");
        String key = key("board-" + ext);  // each run its own: the other extension must not hold it
        HostPage alicePage = page(browsers.launch("alice")).open().signInAs(alice);
        HostPage bobPage = page(browsers.launch("bob")).open().signInAs(bob);

        for (String tier : List.of("ephemeral", "persistent")) {
            alicePage.set(ext, tier, "shared", key, "{\"by\":\"alice\"}");
            assertJson("{\"by\":\"alice\"}", bobPage.get(ext, tier, "shared", key));
            bobPage.set(ext, tier, "shared", key, "{\"by\":\"bob\"}");
            assertJson("{\"by\":\"bob\"}", alicePage.get(ext, tier, "shared", key));
            assertEquals("null", alicePage.get(other(ext), tier, "shared", key), "shared within one extension only");
        }

        // the browser tiers are per browser: users of the same browser share them
        for (String tier : List.of("local", "session")) {
            alicePage.set(ext, tier, "shared", key, "\"left by alice\"");
        }
        alicePage.signInAs(bob);
        for (String tier : List.of("local", "session")) {
            assertJson("\"left by alice\"", alicePage.get(ext, tier, "shared", key));
        }
    }
}
