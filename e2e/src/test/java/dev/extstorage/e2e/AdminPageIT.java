package dev.extstorage.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;
import java.util.Map;

import static dev.extstorage.e2e.HostPage.ACME;
import static dev.extstorage.e2e.HostPage.GLOBEX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The host page's administration panel in Chromium (SPEC section 9): an administrator sees every extension with
 * stored data and its usage as bars against the quotas, and purges one behind a confirmation; other users see
 * no panel. The server runs with a Redis key prefix of its own, so the purge touches no other test's data.
 */
class AdminPageIT {
    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);

    @RegisterExtension
    static final ServerProcessExtension server =
            new ServerProcessExtension(Map.of("EXT_STORAGE_REDIS_PREFIX", "e2e-admin-" + RUN));
    @RegisterExtension
    final Browsers browsers = new Browsers();

    private static HostPage signIn(WebDriver browser, String user, boolean admin) {
        HostPage page = new HostPage(browser, server.baseUrl()).open();
        browser.findElement(By.id("user-name")).clear();
        browser.findElement(By.id("user-name")).sendKeys(user);
        if (admin) {
            browser.findElement(By.id("as-admin")).click();
        }
        browser.findElement(By.id("sign-in-button")).click();
        page.assertExtensionsLoaded();
        return page;
    }

    private static WebElement item(WebDriver browser, String extension) {
        return browser.findElement(By.cssSelector("#admin li[data-extension='" + extension + "']"));
    }

    private static long figure(WebElement item, String tier, String name) {
        return Long.parseLong(item.findElement(By.cssSelector(".usage-bar[data-tier='" + tier + "']"))
                .getDomAttribute("data-" + name));
    }

    @Test
    void anAdministratorSeesUsageAndPurgesAnExtension() {
        WebDriver browser = browsers.launch("admin");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        HostPage page = signIn(browser, "root-" + RUN, true);
        page.set(ACME, "persistent", "user", "note", "\"kept until purged\"");
        page.set(ACME, "persistent", "shared", "config", "{\"v\":1}");
        page.set(ACME, "ephemeral", "user", "job", "{\"pct\":42}", 300);
        page.set(GLOBEX, "persistent", "user", "todo", "\"stays\"");

        wait.until(d -> "shown".equals(d.findElement(By.tagName("body")).getDomAttribute("data-admin")));
        browser.findElement(By.cssSelector("#admin .refresh")).click();
        wait.until(d -> !d.findElements(By.cssSelector("#admin li[data-extension='" + ACME + "']")).isEmpty());
        WebElement acme = item(browser, ACME);
        assertEquals(2, figure(acme, "persistent", "entries"));
        assertEquals(1, figure(acme, "persistent-shared", "entries"));
        assertEquals(1, figure(acme, "ephemeral", "entries"));
        long bytes = figure(acme, "persistent", "bytes");
        assertTrue(bytes > 1024 && bytes < figure(acme, "persistent", "quota"), "bytes " + bytes);
        String width = acme.findElement(By.cssSelector(".usage-bar[data-tier='persistent'] .bar-fill"))
                .getCssValue("width");
        assertTrue(!width.equals("0px"), "the bar shows the bytes: " + width);

        acme.findElement(By.className("purge")).click();
        WebElement confirm = acme.findElement(By.className("confirm-purge"));
        assertTrue(confirm.isDisplayed(), "purging asks first");
        confirm.click();
        wait.until(d -> (ACME + ":3").equals(d.findElement(By.id("admin")).getDomAttribute("data-last-purge")));
        wait.until(d -> d.findElements(By.cssSelector("#admin li[data-extension='" + ACME + "']")).isEmpty());
        assertEquals("null", page.get(ACME, "persistent", "user", "note"));
        assertEquals("null", page.get(ACME, "ephemeral", "user", "job"));
        assertEquals("\"stays\"", page.get(GLOBEX, "persistent", "user", "todo"));
        assertEquals(1, figure(item(browser, GLOBEX), "persistent", "entries"));
    }

    @Test
    void otherUsersSeeNoPanel() {
        WebDriver browser = browsers.launch("user");
        signIn(browser, "plain-" + RUN, false);
        new WebDriverWait(browser, Duration.ofSeconds(20))
                .until(d -> d.findElement(By.tagName("body")).getDomAttribute("data-admin") != null);
        assertEquals("none", browser.findElement(By.tagName("body")).getDomAttribute("data-admin"));
        assertTrue(browser.findElements(By.id("admin")).isEmpty(), "no administration panel");
    }
}
