package dev.extstorage.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
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
            assertEquals(8, page.section(extension).findElements(By.cssSelector("tr[data-tier]")).size(),
                    extension + ": one row per tier and scope");
        }
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
        page.section(GLOBEX).findElement(By.className("todo-title")).sendKeys("ship the storage API");
        page.section(GLOBEX).findElement(By.cssSelector("button.add-todo")).click();
        wait.until(d -> page.section(GLOBEX).findElements(By.cssSelector("ul.todos li")).size() == 1);
        page.reload().signInAs(user("alice"));
        wait.until(d -> "remember the milk".equals(
                page.section(ACME).findElement(By.className("note")).getDomProperty("value")));
        wait.until(d -> page.section(GLOBEX).findElements(By.cssSelector("ul.todos li")).size() == 1);
        assertEquals("ship the storage API (" + user("alice") + ")",
                page.section(GLOBEX).findElement(By.cssSelector("ul.todos li")).getText());
        // the screenshot shows values read back after the reload
        assertEquals("\"hello from Acme\"", page.get(ACME, "persistent", "user", "greeting"));
        assertEquals("\"hello from Globex\"", page.get(GLOBEX, "persistent", "user", "greeting"));

        Path dir = Files.createDirectories(TestEnvironment.targetDir().resolve("screenshots"));
        byte[] png = ((TakesScreenshot) page.driver()).getScreenshotAs(OutputType.BYTES);
        Files.write(dir.resolve("host-with-extensions.png"), png);
        assertTrue(png.length > 10_000, "a real screenshot");
    }

    @Test
    @DisplayName("1. local persists across page reloads and browser restarts with the same profile")
    void localSurvivesReloadAndBrowserRestart() throws IOException {
        String alice = user("alice");
        WebDriver browser = browsers.launch("profile");
        HostPage page = page(browser).open().signInAs(alice);
        page.set(ACME, "local", "user", "greeting", "{\"text\":\"hi\",\"n\":1}");
        page.set(ACME, "local", "shared", "greeting", "[1,2,3]");

        page.reload().signInAs(alice);
        assertJson("{\"text\":\"hi\",\"n\":1}", page.get(ACME, "local", "user", "greeting"));
        assertJson("[1,2,3]", page.get(ACME, "local", "shared", "greeting"));

        browsers.quit(browser);
        page = page(browsers.reopen("profile")).open().signInAs(alice);
        assertJson("{\"text\":\"hi\",\"n\":1}", page.get(ACME, "local", "user", "greeting"));
        assertJson("[1,2,3]", page.get(ACME, "local", "shared", "greeting"));
    }

    @Test
    @DisplayName("2. session survives a reload of the tab, but not a new tab or closing the tab")
    void sessionIsPerTab() throws IOException {
        String alice = user("alice");
        WebDriver browser = browsers.launch("main");
        HostPage page = page(browser).open().signInAs(alice);
        String firstTab = browser.getWindowHandle();
        page.set(ACME, "session", "user", "greeting", "\"step 3\"");
        page.set(ACME, "session", "shared", "greeting", "true");

        page.reload().signInAs(alice);
        assertJson("\"step 3\"", page.get(ACME, "session", "user", "greeting"));
        assertJson("true", page.get(ACME, "session", "shared", "greeting"));

        browser.switchTo().newWindow(WindowType.TAB);
        HostPage secondTab = page(browser).open().signInAs(alice);
        assertEquals("null", secondTab.get(ACME, "session", "user", "greeting"), "a new tab has its own session");
        assertEquals("null", secondTab.get(ACME, "session", "shared", "greeting"));
        String secondHandle = browser.getWindowHandle();

        browser.switchTo().window(firstTab);
        assertJson("\"step 3\"", page.get(ACME, "session", "user", "greeting"));
        browser.close();

        browser.switchTo().window(secondHandle);
        browser.switchTo().newWindow(WindowType.WINDOW);
        HostPage afterClose = page(browser).open().signInAs(alice);
        assertEquals("null", afterClose.get(ACME, "session", "user", "greeting"), "gone with its tab");
        assertEquals("null", afterClose.get(ACME, "session", "shared", "greeting"));
        // the same user's local data is still there: only the session tier is per tab
        afterClose.set(ACME, "local", "user", "greeting", "1");
        assertEquals("1", afterClose.get(ACME, "local", "user", "greeting"));
    }

    @Test
    @DisplayName("3. ephemeral goes through the server (checked by REST) and a short TTL expires")
    void ephemeralThroughServerWithTtl() throws Exception {
        WebDriver browser = browsers.launch("main");
        HostPage page = page(browser).open().signInAs(user("alice"));
        String key = key("job");
        page.set(ACME, "ephemeral", "user", key, "{\"pct\":42}", 300);
        page.set(ACME, "ephemeral", "shared", key, "\"shared progress\"", 300);
        assertJson("{\"pct\":42}", page.get(ACME, "ephemeral", "user", key));
        assertJson("\"shared progress\"", page.get(ACME, "ephemeral", "shared", key));

        RestClient bearer = RestClient.bearerOf(browser, server.baseUrl());
        RestClient cookie = RestClient.cookieOf(browser, server.baseUrl());
        assertEquals(RestClient.parse("{\"pct\":42}"), bearer.get(ACME, "ephemeral", "user", key));
        assertEquals(RestClient.parse("\"shared progress\""), cookie.get(ACME, "ephemeral", "shared", key));

        page.remove(ACME, "ephemeral", "user", key);
        assertEquals("null", page.get(ACME, "ephemeral", "user", key));
        assertTrue(bearer.get(ACME, "ephemeral", "user", key).isNull(), "removed on the server");

        String shortLived = key("flash");
        page.set(ACME, "ephemeral", "user", shortLived, "\"soon gone\"", 2);
        assertJson("\"soon gone\"", page.get(ACME, "ephemeral", "user", shortLived));
        Thread.sleep(3_000);
        assertEquals("null", page.get(ACME, "ephemeral", "user", shortLived), "expired after its TTL");
        assertTrue(bearer.get(ACME, "ephemeral", "user", shortLived).isNull(), "expired on the server");
    }

    @Test
    @DisplayName("4. persistent survives a server restart")
    void persistentSurvivesServerRestart() throws Exception {
        String alice = user("alice");
        WebDriver browser = browsers.launch("main");
        HostPage page = page(browser).open().signInAs(alice);
        String key = key("preferences");
        page.set(ACME, "persistent", "user", key, "{\"theme\":\"dark\"}");
        page.set(ACME, "persistent", "shared", key, "{\"team\":\"blue\"}");

        server.process().restart();

        page.reload().signInAs(alice);
        assertJson("{\"theme\":\"dark\"}", page.get(ACME, "persistent", "user", key));
        assertJson("{\"team\":\"blue\"}", page.get(ACME, "persistent", "shared", key));
        assertEquals(RestClient.parse("{\"theme\":\"dark\"}"),
                RestClient.bearerOf(browser, server.baseUrl()).get(ACME, "persistent", "user", key));
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

    @Test
    @DisplayName("6. two users do not see each other's user-scoped data")
    void usersDoNotSeeEachOthersData() throws Exception {
        String alice = user("alice");
        String bob = user("bob");
        String key = key("private");
        HostPage alicePage = page(browsers.launch("alice")).open().signInAs(alice);
        HostPage bobPage = page(browsers.launch("bob")).open().signInAs(bob);

        for (String tier : List.of("ephemeral", "persistent")) {
            alicePage.set(ACME, tier, "user", key, "\"alice's " + tier + "\"");
            assertEquals("null", bobPage.get(ACME, tier, "user", key), "bob reads alice's " + tier);
            bobPage.set(ACME, tier, "user", key, "\"bob's " + tier + "\"");
            assertJson("\"alice's " + tier + "\"", alicePage.get(ACME, tier, "user", key));
            assertJson("\"bob's " + tier + "\"", bobPage.get(ACME, tier, "user", key));
        }

        // the browser tiers: one browser, one tab, the user changes; the key layout keeps them apart
        for (String tier : List.of("local", "session")) {
            alicePage.set(ACME, tier, "user", key, "\"alice's " + tier + "\"");
        }
        alicePage.signInAs(bob);
        for (String tier : List.of("local", "session")) {
            assertEquals("null", alicePage.get(ACME, tier, "user", key), "bob reads alice's " + tier);
        }
        alicePage.signInAs(alice);
        for (String tier : List.of("local", "session")) {
            assertJson("\"alice's " + tier + "\"", alicePage.get(ACME, tier, "user", key));
        }
    }

    @Test
    @DisplayName("7. shared data written by one user is read by the other")
    void sharedDataIsSharedBetweenUsers() throws Exception {
        String alice = user("alice");
        String bob = user("bob");
        String key = key("board");
        HostPage alicePage = page(browsers.launch("alice")).open().signInAs(alice);
        HostPage bobPage = page(browsers.launch("bob")).open().signInAs(bob);

        for (String tier : List.of("ephemeral", "persistent")) {
            alicePage.set(GLOBEX, tier, "shared", key, "{\"by\":\"alice\"}");
            assertJson("{\"by\":\"alice\"}", bobPage.get(GLOBEX, tier, "shared", key));
            bobPage.set(GLOBEX, tier, "shared", key, "{\"by\":\"bob\"}");
            assertJson("{\"by\":\"bob\"}", alicePage.get(GLOBEX, tier, "shared", key));
            assertEquals("null", alicePage.get(ACME, tier, "shared", key), "shared within one extension only");
        }

        // the browser tiers are per browser: users of the same browser share them
        for (String tier : List.of("local", "session")) {
            alicePage.set(GLOBEX, tier, "shared", key, "\"left by alice\"");
        }
        alicePage.signInAs(bob);
        for (String tier : List.of("local", "session")) {
            assertJson("\"left by alice\"", alicePage.get(GLOBEX, tier, "shared", key));
        }
    }
}
