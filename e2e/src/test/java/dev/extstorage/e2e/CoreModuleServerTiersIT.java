package dev.extstorage.e2e;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebDriver;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The browser module's server tiers driven directly (no extension UI) against the real server, with the module
 * exactly as the server serves it to host pages ({@code /core/index.js}). Moved here from frontend-teavm, whose
 * build runs before the server jar exists.
 */
class CoreModuleServerTiersIT {
    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
    private static final String ALICE = "alice-core-" + RUN;
    private static final String BOB = "bob-core-" + RUN;
    private static final String LOGIN = "const login = async (u) => (await fetch('/api/v1/dev/login', {method: 'POST',"
            + " headers: {'Content-Type': 'application/json'}, body: JSON.stringify({user: u})})).json();";
    private static final String AS_ALICE = ModuleScripts.signedIn(ALICE);

    @RegisterExtension
    static final ServerProcessExtension server =
            new ServerProcessExtension(Map.of("EXT_STORAGE_MAX_VALUE_BYTES", "100000"));
    @RegisterExtension
    final Browsers browsers = new Browsers();
    private WebDriver browser;

    @BeforeEach
    void openPage() {
        browser = browsers.launch("main");
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        browser.get(server.baseUrl() + "/");
    }

    private String run(String body) {
        return ModuleScripts.run(browser, body);
    }

    @Test
    void serverTiersRoundTripEveryJsonKindInBothScopes() {
        String out = run(AS_ALICE + """
                const values = [{a: 1, b: [true, null, 'x']}, [1, 'two', false], 'text \\u00e9 \\ud83d\\ude00', '',
                                42, -0.5, true, false, null, {}, []];
                const bad = [];
                for (const area of [ctx.storage.ephemeral, ctx.storage.ephemeral.shared,
                                    ctx.storage.persistent, ctx.storage.persistent.shared]) {
                  for (let i = 0; i < values.length; i++) {
                    const key = 'k/' + i + ' :%';
                    await area.set(key, values[i], {ttl: 60});
                    const got = await area.get(key);
                    if (JSON.stringify(got) !== JSON.stringify(values[i])) bad.push(key + '=' + JSON.stringify(got));
                  }
                  await area.remove('k/0 :%');
                  if (await area.get('k/0 :%') !== null) bad.push('not removed');
                }
                const page = await ctx.storage.persistent.list({page: 0, pageSize: 100});
                return [bad, page.count, page.result.length, await ctx.storage.persistent.get('never')];
                """);
        assertEquals("{\"ok\":[[],10,10,null]}", out);
    }

    @Test
    void usersAndExtensionsAreIsolatedSharedIsShared() {
        String out = run(LOGIN + """
                const a = await login('%1$s');
                const b = await login('%2$s');   // the cookie now belongs to bob: both continue by bearer token
                const bearer = (publisher, name, user, token) => m.createExtensionContext({publisher, name,
                    user: {id: user}, credentials: 'omit', headers: {Authorization: 'Bearer ' + token}});
                const alice = bearer('acme', 'notes', '%1$s', a.token);
                const bob = bearer('acme', 'notes', '%2$s', b.token);
                const aliceTodo = bearer('globex', 'todo', '%1$s', a.token);
                await alice.storage.persistent.set('iso', 'alice-notes');
                await alice.storage.persistent.shared.set('iso', 'notes-shared');
                return [await bob.storage.persistent.get('iso'), await bob.storage.persistent.shared.get('iso'),
                        await alice.storage.persistent.get('iso'), await aliceTodo.storage.persistent.shared.get('iso')];
                """.formatted(ALICE, BOB));
        assertEquals("{\"ok\":[null,\"notes-shared\",\"alice-notes\",null]}", out);
    }

    @Test
    void serverErrorsMapToCodeAndStatus() {
        String out = run(AS_ALICE + """
                const other = m.createExtensionContext({publisher: 'nobody', name: 'here', user: {id: '%1$s'},
                    headers: {'X-CSRF-Token': a.csrf}});
                const anon = m.createExtensionContext({publisher: 'acme', name: 'notes', user: {id: '%1$s'},
                    credentials: 'omit'});
                const noCsrf = m.createExtensionContext({publisher: 'acme', name: 'notes', user: {id: '%1$s'}});
                const r = [];
                for (const f of [() => other.storage.persistent.get('k'), () => anon.storage.persistent.get('k'),
                                 () => noCsrf.storage.persistent.set('k', 1),
                                 () => ctx.storage.persistent.set('big', 'x'.repeat(200000))]) {
                  try { await f(); r.push('resolved'); } catch (e) { r.push(e.code + ':' + e.status); }
                }
                return r;
                """.formatted(ALICE));
        assertEquals("{\"ok\":[\"EXTENSION_NOT_FOUND:404\",\"NOT_AUTHENTICATED:401\",\"FORBIDDEN:403\","
                + "\"VALUE_TOO_LARGE:400\"]}", out);
    }

    @Test
    void ephemeralValuesExpire() {
        String out = run(AS_ALICE + """
                await ctx.storage.ephemeral.set('short', 'v', {ttl: 1});
                const before = await ctx.storage.ephemeral.get('short');
                await new Promise(ok => setTimeout(ok, 2100));
                return [before, await ctx.storage.ephemeral.get('short')];
                """);
        assertEquals("{\"ok\":[\"v\",null]}", out);
    }

    @Test
    void servedModuleCarriesThePackageVersion() throws Exception {
        String pkg = Files.readString(TestEnvironment.repoRoot()
                .resolve("frontend-teavm/target/npm-package/package.json"));
        String out = run("return m.version;");
        String version = out.substring("{\"ok\":".length(), out.length() - 1);
        assertTrue(version.startsWith("\"") && pkg.contains("\"version\": " + version), out + " vs " + pkg);
    }
}
