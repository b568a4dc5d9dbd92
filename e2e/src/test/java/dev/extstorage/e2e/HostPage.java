package dev.extstorage.e2e;

import org.openqa.selenium.By;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The host page as a user drives it: sign in, then use an extension's panel. Each panel row is one tier and
 * scope ({@code tr[data-tier][data-scope]}) with key, value and TTL fields, Set/Get/Remove buttons and an
 * {@code output} whose {@code data-state} turns {@code done} or {@code error} when the call has settled.
 *
 * <p>A sandboxed extension's panel ({@code data-mode="sandboxed"}, SPEC section 12) is inside its frame:
 * {@link #inPanel} enters the frame for the action and comes back to the page after it, so every method here
 * works on both kinds of panel.
 */
final class HostPage {
    static final String ACME = "acme.notes";
    static final String GLOBEX = "globex.todo";
    static final List<String> TIERS = List.of("local", "session", "ephemeral", "persistent");
    static final List<String> SCOPES = List.of("user", "shared");

    private final WebDriver driver;
    private final String baseUrl;
    private final WebDriverWait wait;

    HostPage(WebDriver driver, String baseUrl) {
        this.driver = driver;
        this.baseUrl = baseUrl;
        this.wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        // the page reloads on sign-out
        wait.ignoring(StaleElementReferenceException.class);
    }

    WebDriver driver() {
        return driver;
    }

    /** Opens the page and waits until it shows either the sign-in form or the loaded extensions. */
    HostPage open() {
        driver.get(baseUrl + "/");
        awaitSettled();
        return this;
    }

    HostPage reload() {
        driver.navigate().refresh();
        awaitSettled();
        return this;
    }

    /** Makes {@code user} the signed-in user, signing out whoever else is. */
    HostPage signInAs(String user) {
        if (signedIn() && !user.equals(currentUser())) {
            driver.findElement(By.id("sign-out-button")).click();
            wait.until(d -> d.findElement(By.id("sign-in")).isDisplayed());
        }
        if (!signedIn()) {
            WebElement name = driver.findElement(By.id("user-name"));
            name.clear();
            name.sendKeys(user);
            driver.findElement(By.id("sign-in-button")).click();
            wait.until(d -> d.findElement(By.tagName("body")).getDomAttribute("data-extensions") != null
                    || "error".equals(d.findElement(By.id("status")).getDomAttribute("data-state")));
        }
        assertEquals(user, currentUser(), "signed-in user");
        assertExtensionsLoaded();
        return this;
    }

    boolean signedIn() {
        return driver.findElement(By.id("signed-in")).isDisplayed();
    }

    String currentUser() {
        return driver.findElement(By.id("current-user")).getText();
    }

    void assertExtensionsLoaded() {
        wait.until(d -> d.findElement(By.tagName("body")).getDomAttribute("data-extensions") != null);
        assertEquals("ready", driver.findElement(By.tagName("body")).getDomAttribute("data-extensions"),
                () -> "extensions did not load: " + driver.findElement(By.id("status")).getText());
        for (String extension : List.of(ACME, GLOBEX)) {
            assertEquals("ready", section(extension).getDomAttribute("data-state"), extension + " state");
        }
    }

    WebElement section(String extension) {
        return driver.findElement(By.id("ext-" + extension));
    }

    boolean sandboxed(String extension) {
        return "sandboxed".equals(section(extension).getDomAttribute("data-mode"));
    }

    /**
     * {@code action} applied to the extension's panel: the section's body in the page, or the root of the
     * sandboxed frame's document, with the driver inside that frame until the action returns.
     */
    <T> T inPanel(String extension, Function<SearchContext, T> action) {
        if (!sandboxed(extension)) {
            return action.apply(section(extension));
        }
        driver.switchTo().frame(section(extension).findElement(By.cssSelector("iframe.sandboxed")));
        try {
            return action.apply(driver.findElement(By.id("root")));
        } finally {
            driver.switchTo().defaultContent();
        }
    }

    /** Waits (in the panel, see {@link #inPanel}) until {@code condition} holds. */
    void awaitInPanel(String extension, Function<SearchContext, Boolean> condition) {
        wait.until(d -> inPanel(extension, condition));
    }

    /** As {@link #awaitInPanel(String, Function)}, for at most {@code timeout}. */
    void awaitInPanel(String extension, Function<SearchContext, Boolean> condition, Duration timeout) {
        new WebDriverWait(driver, timeout).until(d -> inPanel(extension, condition));
    }

    /** Stores {@code json} (a JSON text) under {@code key}; {@code ttlSeconds} is used by the ephemeral tier. */
    void set(String extension, String tier, String scope, String key, String json, int ttlSeconds) {
        String outcome = inPanel(extension, panel -> {
            WebElement row = row(panel, tier, scope);
            type(row.findElement(By.className("key")), key);
            type(row.findElement(By.className("value")), json);
            if ("ephemeral".equals(tier)) {
                type(row.findElement(By.className("ttl")), Integer.toString(ttlSeconds));
            }
            return click(row, "set");
        });
        assertEquals("stored", outcome, () -> "set " + describe(extension, tier, scope, key));
    }

    void set(String extension, String tier, String scope, String key, String json) {
        set(extension, tier, scope, key, json, 300);
    }

    /** What the panel read: the JSON text of the value, {@code null} for a missing key. */
    String get(String extension, String tier, String scope, String key) {
        return inPanel(extension, panel -> {
            WebElement row = row(panel, tier, scope);
            type(row.findElement(By.className("key")), key);
            return click(row, "get");
        });
    }

    void remove(String extension, String tier, String scope, String key) {
        String outcome = inPanel(extension, panel -> {
            WebElement row = row(panel, tier, scope);
            type(row.findElement(By.className("key")), key);
            return click(row, "remove");
        });
        assertEquals("removed", outcome, () -> "remove " + describe(extension, tier, scope, key));
    }

    private static WebElement row(SearchContext panel, String tier, String scope) {
        return panel.findElement(By.cssSelector("tr[data-tier='" + tier + "'][data-scope='" + scope + "']"));
    }

    /** Clicks a button of the row; the handler marks the output pending at once, so any settled state is ours. */
    private String click(WebElement row, String button) {
        WebElement output = row.findElement(By.cssSelector("output.result"));
        row.findElement(By.className(button)).click();
        wait.until(d -> {
            String state = output.getDomAttribute("data-state");
            return "done".equals(state) || "error".equals(state);
        });
        String text = output.getText();
        if ("error".equals(output.getDomAttribute("data-state"))) {
            throw new AssertionError("the panel reported " + text);
        }
        return text;
    }

    private static void type(WebElement input, String text) {
        input.clear();
        input.sendKeys(text);
    }

    private void awaitSettled() {
        wait.until(d -> d.findElement(By.id("sign-in")).isDisplayed()
                || d.findElement(By.tagName("body")).getDomAttribute("data-extensions") != null);
    }

    private static String describe(String extension, String tier, String scope, String key) {
        return extension + " " + tier + "/" + scope + " '" + key + "'";
    }
}
