package dev.extstorage.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WindowType;

/**
 * The compiled module in headless Chromium: versions, conditional writes, {@code update} and {@code onChange}
 * of the browser tiers (SPEC section 8), also across two tabs of one browser.
 */
class BrowserVersionsChangesTest {
    private static final String CTX = "const ctx = m.createExtensionContext({publisher: 'acme', name: 'notes',"
            + " user: {id: 'alice'}});";
    @RegisterExtension
    static final BrowserHarness browser = BrowserHarness.perClass(null);

    @BeforeEach
    void freshPage() {
        String first = browser.driver().getWindowHandles().iterator().next();
        for (String handle : new ArrayList<>(browser.driver().getWindowHandles())) {
            if (!handle.equals(first)) {
                browser.driver().switchTo().window(handle).close();
            }
        }
        browser.driver().switchTo().window(first);
        browser.run("localStorage.clear(); sessionStorage.clear();");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "session", "local.shared", "session.shared"})
    void versionsAndConditionalWrites(String area) {
        String out = browser.run(CTX + """
                const a = ctx.storage.%s;
                const r = [await a.getEntry('k')];
                await a.set('k', {n: 1}, {ifVersion: null});
                const e1 = await a.getEntry('k');
                r.push(e1.value, typeof e1.version, (await a.getEntry('k')).version === e1.version);
                const code = async (p) => { try { await p; return 'ok'; } catch (e) { return e.code + ':' + e.version; } };
                r.push(await code(a.set('k', 2, {ifVersion: null})) === 'PRECONDITION_FAILED:' + e1.version);
                await a.set('k', {n: 2}, {ifVersion: e1.version});
                const e2 = await a.getEntry('k');
                r.push(e2.version !== e1.version, await code(a.set('k', 3, {ifVersion: e1.version})) ===
                    'PRECONDITION_FAILED:' + e2.version, (await a.get('k')).n);
                r.push(await code(a.remove('k', {ifVersion: e1.version})) === 'PRECONDITION_FAILED:' + e2.version);
                await a.remove('k', {ifVersion: e2.version});
                r.push(await a.getEntry('k'), await code(a.set('k', 1, {ifVersion: 'x'})),
                       await code(a.set('k', 1, {ifVersion: 5})), await code(a.remove('k', {ifVersion: null})));
                await a.set('k', 'last', {ifVersion: undefined});
                return r.concat(await a.get('k'));
                """.formatted(area));
        assertEquals("{\"ok\":[null,{\"n\":1},\"string\",true,true,true,true,2,true,null,"
                + "\"PRECONDITION_FAILED:null\",\"INVALID_BODY:undefined\",\"INVALID_BODY:undefined\",\"last\"]}", out);
    }

    @Test
    void versionIsDerivedFromTheStoredTextAlone() {
        String out = browser.run(CTX + """
                await ctx.storage.local.set('k', {a: [1, 'x']});
                const v1 = (await ctx.storage.local.getEntry('k')).version;
                localStorage.setItem('ext-storage:acme.notes:user:alice:k', '{"a":[1,"x"]}');
                const v2 = (await ctx.storage.local.getEntry('k')).version;
                localStorage.setItem('ext-storage:acme.notes:user:alice:k', '{"a": [1,"x"]}');
                const v3 = (await ctx.storage.local.getEntry('k')).version;
                return [v1 === v2, v1 !== v3, /^[0-9a-f]{16}$/.test(v1)];
                """);
        assertEquals("{\"ok\":[true,true,true]}", out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "session", "local.shared", "session.shared"})
    void updateAppliesTheFunctionAndRejectsWhatSetRejects(String area) {
        String out = browser.run(CTX + """
                const a = ctx.storage.%s;
                const r = [await a.update('n', (v) => (v ?? 0) + 1), await a.update('n', async (v) => v + 10)];
                const code = async (p) => { try { await p; return 'ok'; } catch (e) { return e.code || e.message; } };
                r.push(await code(a.update('n', () => undefined)), await code(a.update('n', 'nope')),
                       await code(a.update('n', () => { throw new Error('boom'); })),
                       await code(a.update('n', (v) => v, {retries: -1})), await code(a.update('', (v) => v)));
                // a write between the read and the write: the update computes again
                let calls = 0;
                r.push(await a.update('n', (v) => { if (calls++ === 0) localStorage.length >= 0 && a.set('n', 100); return v + 1; }));
                r.push(calls);
                let never = 0;
                r.push(await code(a.update('n', (v) => { never++; return a.set('n', never).then(() => v + 1); },
                                           {retries: 2})), never);
                return r.concat(await a.get('n'));
                """.formatted(area));
        assertEquals("{\"ok\":[1,11,\"INVALID_VALUE\",\"INVALID_BODY\",\"boom\",\"INVALID_BODY\",\"INVALID_KEY\","
                + "101,2,\"PRECONDITION_FAILED\",3,3]}", out);
    }

    @Test
    void listenersSeeThisTabsChangesOfTheirAreaOnlyUntilUnsubscribed() {
        String out = browser.run(CTX + """
                const seen = [];
                const log = (name) => (c) => seen.push(name + ' ' + c.tier + '/' + c.scope + ' ' + c.key + ' '
                    + JSON.stringify(c.value) + ' ' + c.deleted + ' ' + (c.version === null ? 'null' : typeof c.version));
                const offLocal = ctx.storage.local.onChange(log('local'));
                const offShared = ctx.storage.session.shared.onChange(log('session.shared'));
                const offAll = ctx.storage.onChange(log('all'));
                ctx.storage.local.onChange(() => { throw new Error('a broken listener does not stop the others'); });
                await ctx.storage.local.set('a', {x: 1});
                await ctx.storage.local.set('a', {x: 1});     // unchanged: no event
                await ctx.storage.session.shared.set('b', [2]);
                await ctx.storage.session.set('c', 3);
                await ctx.storage.local.remove('a');
                await ctx.storage.local.remove('a');          // nothing there: no event
                offLocal(); offLocal(); offAll();
                await ctx.storage.local.set('d', 4);
                await ctx.storage.session.shared.update('b', (v) => v.concat(5));
                offShared();
                await ctx.storage.session.shared.set('b', 6);
                let bad; try { ctx.storage.onChange('x'); } catch (e) { bad = e.code; }
                return seen.concat(bad);
                """);
        assertEquals("{\"ok\":[\"local local/user a {\\\"x\\\":1} false string\",\"all local/user a {\\\"x\\\":1} false string\","
                + "\"session.shared session/shared b [2] false string\",\"all session/shared b [2] false string\","
                + "\"all session/user c 3 false string\",\"local local/user a undefined true null\","
                + "\"all local/user a undefined true null\",\"session.shared session/shared b [2,5] false string\","
                + "\"INVALID_BODY\"]}", out);
    }

    @Test
    void otherTabsSeeLocalChangesOfTheirExtensionAndUserOnly() {
        JavascriptExecutor first = (JavascriptExecutor) browser.driver();
        String firstHandle = browser.driver().getWindowHandle();
        browser.run("""
                window.seen = [];
                const ctx = m.createExtensionContext({publisher: 'acme', name: 'notes', user: {id: 'alice'}});
                window.off = ctx.storage.onChange((c) => window.seen.push(c.tier + '/' + c.scope + ' ' + c.key + '='
                    + JSON.stringify(c.value) + (c.deleted ? ' deleted ' : ' ') + c.version));
                """);
        browser.driver().switchTo().newWindow(WindowType.TAB);
        browser.open(browser.origin() + "/");
        String written = browser.run("""
                const mk = (publisher, name, id) => m.createExtensionContext({publisher, name, user: {id}});
                const ctx = mk('acme', 'notes', 'alice');
                await ctx.storage.local.set('k:1', {v: 1});
                const v1 = (await ctx.storage.local.getEntry('k:1')).version;
                await ctx.storage.local.shared.set('s', 'shared');
                await mk('acme', 'notes', 'bob').storage.local.set('k:1', 'bob');           // another user
                await mk('acme', 'notes', 'alice:x').storage.local.set('k', 'alice:x');     // a user id with ':'
                await mk('globex', 'todo', 'alice').storage.local.set('k:1', 'other ext');  // another extension
                await ctx.storage.session.set('tab-only', 1);                                // session: this tab
                localStorage.setItem('ext-storage:acme.notes:user:alice:bad', '{not json'); // not ours
                await ctx.storage.local.remove('k:1');
                return ['local/user k:1={"v":1} ' + v1,
                        'local/shared s="shared" ' + (await ctx.storage.local.shared.getEntry('s')).version,
                        'local/user k:1=undefined deleted null'];
                """);
        browser.driver().switchTo().window(firstHandle);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Object seen;
        do {
            seen = first.executeScript("return window.seen.length >= 3 ? 1 : null;");
        } while (seen == null && System.nanoTime() < deadline);
        // and nothing else arrives later
        first.executeAsyncScript("setTimeout(arguments[0], 300);");
        seen = first.executeScript("window.off(); return JSON.stringify({ok: window.seen});");
        assertEquals(written, seen);
    }

    @org.junit.jupiter.api.RepeatedTest(6)
    void concurrentUpdatesFromTwoTabsLoseNothing() {
        String firstHandle = browser.driver().getWindowHandle();
        String loop = """
                const ctx = m.createExtensionContext({publisher: 'acme', name: 'notes', user: {id: 'alice'}});
                for (let i = 0; i < 50; i++) {
                  await ctx.storage.local.update('counter', (n) => (n ?? 0) + 1);
                  await ctx.storage.local.shared.update('list', (l) => (l ?? []).concat(window.name + i));
                }
                return 'done';
                """;
        browser.driver().switchTo().newWindow(WindowType.TAB);
        browser.open(browser.origin() + "/");
        String secondHandle = browser.driver().getWindowHandle();
        List<String> handles = List.of(firstHandle, secondHandle);
        for (int t = 0; t < 2; t++) {
            browser.driver().switchTo().window(handles.get(t));
            ((JavascriptExecutor) browser.driver()).executeScript("window.name = 't" + t + "-'; window.result = null;"
                    + "import('/pkg/index.js').then(async (m) => {" + loop + "}).then(r => window.result = r,"
                    + " e => window.result = 'error ' + e.code + ' ' + e.message);");
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<Object> results = new ArrayList<>();
        for (String h : handles) {
            browser.driver().switchTo().window(h);
            Object r;
            do {
                r = ((JavascriptExecutor) browser.driver()).executeScript("return window.result;");
            } while (r == null && System.nanoTime() < deadline);
            results.add(r);
        }
        assertEquals(List.of("done", "done"), results);
        String out = browser.run(CTX + """
                const list = await ctx.storage.local.shared.get('list');
                return [await ctx.storage.local.get("counter"), list.length, new Set(list).size];
                """);
        assertEquals("{\"ok\":[100,100,100]}", out);
        assertTrue(browser.driver().getWindowHandles().size() == 2);
    }
}
