package dev.extstorage.e2e;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The browser side of SPEC sections 9 and 10 in Chromium against the real server, through the module as the
 * server serves it ({@code /core/index.js}): the host's start-up purge of an uninstalled extension's Web
 * Storage keys, binary values on every tier (all 256 byte values, 1 MiB accepted, 1 MiB + 1 refused), and
 * listing with a prefix and usage on every tier.
 */
class LifecycleAndBinaryIT {
    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
    private static final Map<String, String> ENV = Map.of("EXT_STORAGE_REDIS_PREFIX", "e2e-life-" + RUN);

    @RegisterExtension
    static final ServerProcessExtension serverProcess = new ServerProcessExtension(ENV);
    @RegisterExtension
    final Browsers browsers = new Browsers();
    private ServerProcess server;

    @BeforeEach
    void server() {
        server = serverProcess.process();
    }

    private static String run(WebDriver browser, String body) {
        return ModuleScripts.run(browser, body);
    }

    /** Signs {@code user} in through the dev login and builds {@code ctx} for {@code publisher.name}. */
    private static String as(String user, String publisher, String name) {
        return "const login = await (await fetch('/api/v1/dev/login', {method: 'POST', headers: {'Content-Type':"
                + " 'application/json'}, body: JSON.stringify({user: '" + user + "'})})).json();"
                + "const ctx = m.createExtensionContext({publisher: '" + publisher + "', name: '" + name + "',"
                + " user: {id: '" + user + "'}, headers: () => ({'X-CSRF-Token': login.csrf})});"
                + "const areas = {local: ctx.storage.local, 'local.shared': ctx.storage.local.shared,"
                + " session: ctx.storage.session, 'session.shared': ctx.storage.session.shared,"
                + " ephemeral: ctx.storage.ephemeral, 'ephemeral.shared': ctx.storage.ephemeral.shared,"
                + " persistent: ctx.storage.persistent, 'persistent.shared': ctx.storage.persistent.shared};";
    }

    private WebDriver page() {
        WebDriver browser = browsers.launch("main");
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        browser.get(server.baseUrl() + "/");
        return browser;
    }

    @Test
    void binaryValuesRoundTripOnEveryTierUpToOneMebibyte() {
        String out = run(page(), as("bin-" + RUN, "acme", "notes") + """
                const all = new Uint8Array(256); for (let i = 0; i < 256; i++) all[i] = i;
                const same = (x, y) => x instanceof Uint8Array && x.length === y.length && x.every((v, i) => v === y[i]);
                const out = [];
                for (const [name, a] of Object.entries(areas)) {
                  const o = name.startsWith('ephemeral') ? {ttl: 120} : undefined;
                  await a.set('bytes', all, o);
                  const big = new Uint8Array(1048576).fill(9);
                  await a.set('big', big.buffer, o);
                  let refused = 'stored';
                  try { await a.set('too-big', new Uint8Array(1048577), o); } catch (e) { refused = e.code; }
                  const got = await a.get('bytes'), entry = await a.getEntry('bytes'), gotBig = await a.get('big');
                  const listed = (await a.list({prefix: 'bytes'})).result;
                  out.push(name + ':' + same(got, all) + ',' + same(entry.value, all) + ',' + same(listed[0].value, all)
                      + ',' + (gotBig.length === 1048576 && gotBig[1048575] === 9) + ',' + refused + ','
                      + (await a.get('too-big')));
                }
                // change events carry the bytes too: this tab's for local/session, the server's stream for the others
                const seen = {};
                const off = ctx.storage.onChange((c) => {
                  if (c.key === 'ev' && !c.deleted) seen[c.tier + '.' + c.scope] = same(c.value, all);
                });
                for (let i = 0; i < 50 && Object.keys(seen).length < 8; i++) {
                  for (const [name, a] of Object.entries(areas)) {
                    await a.set('ev', all, name.startsWith('ephemeral') ? {ttl: 120} : undefined);
                  }
                  await new Promise((ok) => setTimeout(ok, 200));
                }
                off();
                out.push(Object.entries(seen).map(([k, v]) => k + '=' + v).sort().join(' '));
                return out;
                """);
        String row = ":true,true,true,true,VALUE_TOO_LARGE,null";
        assertEquals("{\"ok\":[\"local" + row + "\",\"local.shared" + row + "\",\"session" + row
                + "\",\"session.shared" + row + "\",\"ephemeral" + row + "\",\"ephemeral.shared" + row
                + "\",\"persistent" + row + "\",\"persistent.shared" + row + "\",\"ephemeral.shared=true ephemeral.user=true"
                + " local.shared=true local.user=true persistent.shared=true persistent.user=true session.shared=true"
                + " session.user=true\"]}", out);
    }

    @Test
    void listWithALiteralPrefixAndUsageOnEveryTier() {
        String out = run(page(), as("list-" + RUN, "globex", "todo") + """
                const out = [];
                for (const [name, a] of Object.entries(areas)) {
                  const o = name.startsWith('ephemeral') ? {ttl: 120} : undefined;
                  for (const k of ['a*?[\\\\:%1', 'a*?[\\\\:%2', 'a*x', 'ax', 'b']) await a.set(k, k, o);
                  const p = await a.list({prefix: 'a*?[\\\\:%'});
                  const second = await a.list({prefix: 'a*?[\\\\:%', page: 1, pageSize: 1});
                  const keys = p.result.map((e) => e.key + '=' + e.value).sort().join(' ') + ' ' + second.result.length;
                  let bad = 'ok';
                  try { await a.list({pageSize: 101}); } catch (e) { bad = e.code; }
                  out.push(name + ':' + p.count + ':' + keys + ':' + (await a.list({prefix: 'a'})).count + ':' + bad);
                }
                const u = await ctx.storage.usage();
                const expect = (s) => Object.keys(s).filter((k) => k.startsWith('ext-storage:globex.todo:'))
                    .reduce((n, k) => n + 2 * (k.length + s.getItem(k).length), 0);
                return [out, u.persistent.userEntries, u.persistent.sharedEntries >= 5, u.ephemeral.userEntries,
                    u.local.bytes === expect(localStorage), u.session.bytes === expect(sessionStorage),
                    u.local.userBytes > 0 && u.local.sharedBytes > 0];
                """);
        String row = ":2:a*?[\\\\:%1=a*?[\\\\:%1 a*?[\\\\:%2=a*?[\\\\:%2 1:4:INVALID_QUERY";
        assertEquals("{\"ok\":[[\"local" + row + "\",\"local.shared" + row + "\",\"session" + row
                + "\",\"session.shared" + row + "\",\"ephemeral" + row + "\",\"ephemeral.shared" + row
                + "\",\"persistent" + row + "\",\"persistent.shared" + row + "\"],5,true,5,true,true,true]}", out);
    }

    /**
     * The registry loses acme.notes (the server restarts without it); the host page, reloaded, purges its
     * Web Storage keys at start-up and keeps globex.todo's and other apps' keys.
     */
    @Test
    void anUninstalledExtensionsBrowserDataIsGoneAfterTheHostReloads() throws Exception {
        WebDriver browser = browsers.launch("main");
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        HostPage page = new HostPage(browser, server.baseUrl()).open();
        page.signInAs("uninstall-" + RUN);
        page.assertExtensionsLoaded();
        String user = "uninstall-" + RUN;
        String write = """
                for (const [p, n] of [['acme', 'notes'], ['globex', 'todo']]) {
                  const c = m.createExtensionContext({publisher: p, name: n, user: {id: '%s'}});
                  for (const a of [c.storage.local, c.storage.local.shared, c.storage.session, c.storage.session.shared]) {
                    await a.set('uninstall-test', n);
                  }
                }
                localStorage.setItem('other-app', 'stays'); localStorage.setItem('superset-ext:acme.notes:shared:x', '1');
                return 1;
                """.formatted(user);
        assertEquals("{\"ok\":1}", run(browser, write));
        Path noManifests = Files.createTempDirectory(TestEnvironment.targetDir(), "no-extensions");
        try {
            server.restartWith(Map.of(ENV.keySet().iterator().next(), ENV.values().iterator().next(),
                    "EXT_STORAGE_EXTENSIONS", "globex.todo", "EXT_STORAGE_EXTENSIONS_DIR", noManifests.toString()));
            browser.navigate().refresh();
            new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> {
                String purged = d.findElement(By.tagName("body")).getDomAttribute("data-purged");
                return purged != null && !purged.isEmpty();
            });
            int purged = Integer.parseInt(browser.findElement(By.tagName("body")).getDomAttribute("data-purged"));
            assertEquals(true, purged >= 4, "purged " + purged);
            String left = run(browser, "const keys = (s) => Object.keys(s).filter((k) => k.indexOf('uninstall-test') > 0"
                    + " || !k.startsWith('ext-storage:')).sort();"
                    + " const acme = (s) => Object.keys(s).filter((k) => k.startsWith('ext-storage:acme.notes:')).length;"
                    + " return [keys(localStorage), keys(sessionStorage), acme(localStorage) + acme(sessionStorage)];");
            String g = "ext-storage:globex.todo:";
            assertEquals("{\"ok\":[[\"" + g + "shared:uninstall-test\",\"" + g + "user:" + user + ":uninstall-test\","
                    + "\"other-app\",\"superset-ext:acme.notes:shared:x\"],[\"" + g + "shared:uninstall-test\",\""
                    + g + "user:" + user + ":uninstall-test\"],0]}", left);
        } finally {
            server.restartWith(ENV);
        }
    }
}
