package dev.extstorage.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;
import java.util.Map;

import static dev.extstorage.e2e.HostPage.GLOBEX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Versions, conditional writes, {@code update} and change events (SPEC section 8) through the browser module as
 * the real server serves it, in Chromium: every tier and scope, two tabs of one browser on {@code local}, and
 * two users in two browsers on the globex to-do list.
 */
class VersionsAndChangesIT {
    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);

    @RegisterExtension
    static final ServerProcessExtension server = new ServerProcessExtension(Map.of());
    @RegisterExtension
    final Browsers browsers = new Browsers();

    private WebDriver browserOnServer(String name) {
        WebDriver b = browsers.launch(name);
        b.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        b.get(server.baseUrl() + "/");
        return b;
    }

    /** {@code body} as an async function with a fresh module instance {@code m} and {@code ctx} of {@code user}. */
    private static String run(WebDriver b, String user, String body) {
        return ModuleScripts.run(b, ModuleScripts.signedIn(user) + body);
    }

    @Test
    void versionsConditionsAndUpdateOnEveryTierAndScope() {
        WebDriver b = browserOnServer("main");
        String out = run(b, "alice-v-" + RUN, """
                const bad = [];
                const code = async (p) => { try { await p; return 'ok'; } catch (e) { return e.code; } };
                for (const [name, area] of [['local', ctx.storage.local], ['local.shared', ctx.storage.local.shared],
                    ['session', ctx.storage.session], ['session.shared', ctx.storage.session.shared],
                    ['ephemeral', ctx.storage.ephemeral], ['ephemeral.shared', ctx.storage.ephemeral.shared],
                    ['persistent', ctx.storage.persistent], ['persistent.shared', ctx.storage.persistent.shared]]) {
                  const o = {ttl: 60};
                  const key = 'v/' + name + ' ' + Math.random();
                  const check = (what, cond) => { if (!cond) bad.push(name + ': ' + what); };
                  check('absent', await area.getEntry(key) === null);
                  await area.set(key, {n: 1}, {...o, ifVersion: null});
                  const e1 = await area.getEntry(key);
                  check('entry', e1 && e1.value.n === 1 && typeof e1.version === 'string');
                  check('only if absent', await code(area.set(key, 2, {...o, ifVersion: null})) === 'PRECONDITION_FAILED');
                  await area.set(key, {n: 2}, {...o, ifVersion: e1.version});
                  const e2 = await area.getEntry(key);
                  check('new version', e2.version !== e1.version);
                  check('stale version', await code(area.set(key, 3, {...o, ifVersion: e1.version})) === 'PRECONDITION_FAILED');
                  check('stale remove', await code(area.remove(key, {ifVersion: e1.version})) === 'PRECONDITION_FAILED');
                  const updates = [];
                  for (let i = 0; i < 10; i++) updates.push(area.update(key, (v) => ({n: v.n + 1}), {...o, retries: 50}));
                  await Promise.all(updates);
                  check('concurrent updates', (await area.get(key)).n === 12);
                  await area.remove(key, {ifVersion: (await area.getEntry(key)).version});
                  check('removed', await area.get(key) === null);
                }
                return bad;
                """);
        assertEquals("{\"ok\":[]}", out);
    }

    @Test
    void concurrentLocalUpdatesFromTwoTabsLoseNothing() {
        WebDriver b = browserOnServer("main");
        String user = "alice-tabs-" + RUN;
        String first = b.getWindowHandle();
        b.switchTo().newWindow(WindowType.TAB);
        b.get(server.baseUrl() + "/");
        String second = b.getWindowHandle();
        for (String tab : new String[] {first, second}) {
            b.switchTo().window(tab);
            ((JavascriptExecutor) b).executeScript("window.result = null;"
                    + "import('/core/index.js?tab').then(async (m) => {"
                    + " const ctx = m.createExtensionContext({publisher: 'acme', name: 'notes', user: {id: '" + user + "'}});"
                    + " for (let i = 0; i < 50; i++) await ctx.storage.local.update('counter', (n) => (n ?? 0) + 1);"
                    + "}).then(() => window.result = 'done', (e) => window.result = 'error ' + e.code);");
        }
        for (String tab : new String[] {first, second}) {
            b.switchTo().window(tab);
            new WebDriverWait(b, Duration.ofSeconds(60)).until(d ->
                    ((JavascriptExecutor) d).executeScript("return window.result;") != null);
            assertEquals("done", ((JavascriptExecutor) b).executeScript("return window.result;"));
        }
        assertEquals("{\"ok\":100}", run(b, user, "return await ctx.storage.local.get('counter');"));
    }

    @Test
    void twoTabsSeeLocalChangesLive() {
        WebDriver b = browserOnServer("main");
        String user = "alice-live-" + RUN;
        String first = b.getWindowHandle();
        run(b, user, "window.seen = []; ctx.storage.local.onChange((c) => window.seen.push(c.key + '='"
                + " + JSON.stringify(c.value))); ctx.storage.local.shared.onChange((c) => window.seen.push('shared '"
                + " + c.key + (c.deleted ? ' deleted' : '')));");
        b.switchTo().newWindow(WindowType.TAB);
        b.get(server.baseUrl() + "/");
        run(b, user, "await ctx.storage.local.set('k', {n: 1}); await ctx.storage.local.shared.set('s', 1);"
                + " await ctx.storage.local.shared.remove('s');");
        b.switchTo().window(first);
        new WebDriverWait(b, Duration.ofSeconds(5)).until(d ->
                ((Number) ((JavascriptExecutor) d).executeScript("return window.seen.length;")).intValue() >= 3);
        assertEquals("[\"k={\\\"n\\\":1}\",\"shared s\",\"shared s deleted\"]",
                ((JavascriptExecutor) b).executeScript("return JSON.stringify(window.seen);"));
    }

    @Test
    void twoUsersSeeTheSharedTodoListChangeWithinOneSecond() {
        HostPage alice = new HostPage(browserOnServer("alice"), server.baseUrl()).open().signInAs("alice-todo-" + RUN);
        HostPage bob = new HostPage(browserOnServer("bob"), server.baseUrl()).open().signInAs("bob-todo-" + RUN);
        String title = "live item " + RUN;
        // globex.todo runs sandboxed in the demo: its panel is in a frame (HostPage.inPanel), its changes come
        // through the host's bridge
        int before = bob.inPanel(GLOBEX, p -> p.findElements(By.cssSelector("ul.todos li")).size());
        alice.inPanel(GLOBEX, p -> {
            p.findElement(By.className("todo-title")).sendKeys(title);
            p.findElement(By.cssSelector("button.add-todo")).click();
            return null;
        });
        alice.awaitInPanel(GLOBEX, p -> p.findElements(By.cssSelector("ul.todos li")).size() > before);
        long added = System.nanoTime();
        // bob's page was not reloaded: the item comes through the change stream
        WebDriver bobs = bob.driver();
        bobs.switchTo().frame(bob.section(GLOBEX).findElement(By.cssSelector("iframe.sandboxed")));
        try {
            new WebDriverWait(bobs, Duration.ofSeconds(5), Duration.ofMillis(20)).until(d ->
                    d.findElements(By.cssSelector("ul.todos li")).stream()
                            .anyMatch(li -> li.getText().equals(title + " (alice-todo-" + RUN + ")")));
        } finally {
            bobs.switchTo().defaultContent();
        }
        long millis = (System.nanoTime() - added) / 1_000_000;
        assertTrue(millis <= 1000, "bob saw alice's item after " + millis + " ms");
    }
}
