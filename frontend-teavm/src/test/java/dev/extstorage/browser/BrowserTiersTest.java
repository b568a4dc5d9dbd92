package dev.extstorage.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The compiled module in headless Chromium: browser tiers, argument checks, binding, exports. */
class BrowserTiersTest {
    private static final String CTX = "const ctx = m.createExtensionContext({publisher: 'acme', name: 'notes',"
            + " user: {id: 'alice'}});";
    @RegisterExtension
    static final BrowserHarness browser = BrowserHarness.perClass(null);

    @BeforeEach
    void freshPage() {
        browser.run("localStorage.clear(); sessionStorage.clear();");
    }

    private static String run(String body) {
        return browser.run(body);
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "session", "local.shared", "session.shared"})
    void everyJsonKindRoundTrips(String area) {
        String out = run(CTX + """
                const a = ctx.storage.%s;
                const values = [{a: 1, b: [true, null, 'x'], c: {d: -2.5e-3}}, [1, 'two', false, null, []],
                    'text with "quotes" \\u00e9 \\ud83d\\ude00', '', 42, -0.5, 1e21, true, false, null, {}, []];
                const got = [];
                for (let i = 0; i < values.length; i++) {
                  await a.set('k' + i, values[i]);
                  got.push(await a.get('k' + i));
                }
                return JSON.stringify(got) === JSON.stringify(values) ? 'same' : JSON.stringify(got);
                """.formatted(area));
        assertEquals("{\"ok\":\"same\"}", out);
    }

    /** Values that are not plain objects and arrays are stored as {@code JSON.stringify} gives them. */
    @Test
    void nonPlainValuesStoreTheirJsonText() {
        String out = run(CTX + """
                class Point { constructor() { this.x = 1; } }
                const bare = Object.create(null); bare.a = 1;
                const values = [new Date(0), {toJSON() { return 5; }}, new Point(), bare, new String('s'),
                    {u: undefined, a: [new Number(2)]}, Object.assign([1], {extra: 2})];
                const got = [];
                for (let i = 0; i < values.length; i++) {
                  await ctx.storage.local.set('k' + i, values[i]);
                  got.push(localStorage.getItem('ext-storage:acme.notes:user:alice:k' + i));
                }
                return got.join(' ');
                """);
        assertEquals("{\"ok\":\"\\\"1970-01-01T00:00:00.000Z\\\" 5 {\\\"x\\\":1} {\\\"a\\\":1} \\\"s\\\""
                + " {\\\"a\\\":[2]} [1]\"}", out);
    }

    @Test
    void exactStorageKeysAndStoredText() {
        String out = run("""
                const ctx = m.createExtensionContext({publisher: 'acme', name: 'notes', user: {id: 'a:b%c'}});
                await ctx.storage.local.set('my key/\u00fc:%', {x: 1});
                await ctx.storage.local.shared.set('device_id', 'abc-123');
                await ctx.storage.session.set('wizard_step', 3);
                await ctx.storage.session.shared.set('s', [true]);
                const su = m.createExtensionContext({publisher: 'acme', name: 'notes', user: {id: 42},
                    keyPrefix: 'superset-ext'});
                await su.storage.local.set('k', null);
                const dump = s => Object.keys(s).sort().map(k => k + '=' + s.getItem(k)).join('|');
                return dump(localStorage) + ' || ' + dump(sessionStorage);
                """);
        assertEquals("{\"ok\":\"ext-storage:acme.notes:shared:device_id=\\\"abc-123\\\"|"
                + "ext-storage:acme.notes:user:a%3Ab%25c:my key/\u00fc:%={\\\"x\\\":1}|"
                + "superset-ext:acme.notes:user:42:k=null || "
                + "ext-storage:acme.notes:shared:s=[true]|ext-storage:acme.notes:user:a%3Ab%25c:wizard_step=3\"}",
                out);
    }

    @Test
    void missingKeyIsNullAndRemoveDeletes() {
        String out = run(CTX + """
                const l = ctx.storage.local;
                const before = await l.get('nothing');
                await l.set('k', 'v');
                const removed = await l.remove('k');
                await l.remove('never-there');
                return [before, await l.get('k'), removed === undefined, localStorage.length,
                        await ctx.storage.session.shared.get('nothing')];
                """);
        assertEquals("{\"ok\":[null,null,true,0,null]}", out);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "local.set(123, 1)|INVALID_KEY",
        "local.get()|INVALID_KEY",
        "local.get(null)|INVALID_KEY",
        "local.remove({})|INVALID_KEY",
        "local.shared.get(undefined)|INVALID_KEY",
        "local.set('', 1)|INVALID_KEY",
        "local.set('k'.repeat(256), 1)|INVALID_KEY",
        "local.set('a\\u0000b', 1)|INVALID_KEY",
        "local.set('a\\nb', 1)|INVALID_KEY",
        "local.set('a\\u007fb', 1)|INVALID_KEY",
        "local.set('..', 1)|INVALID_KEY",
        "local.set('\\ud800', 1)|INVALID_KEY",
        "local.set('k', undefined)|INVALID_VALUE",
        "local.set('k')|INVALID_VALUE",
        "local.set('k', () => 1)|INVALID_VALUE",
        "local.set('k', {f() {}})|INVALID_VALUE",
        "local.set('k', [1, undefined])|INVALID_VALUE",
        "local.set('k', [1, , 2])|INVALID_VALUE",
        "local.set('k', [{a: [() => 1]}])|INVALID_VALUE",
        "local.set('k', Symbol('s'))|INVALID_VALUE",
        "local.set('k', 10n)|INVALID_VALUE",
        "local.set('k', NaN)|INVALID_VALUE",
        "local.set('k', {a: Infinity})|INVALID_VALUE",
        "local.set('k', (() => { const c = {}; c.self = c; return c; })())|INVALID_VALUE",
        "local.set('k', JSON.parse('['.repeat(65) + ']'.repeat(65)))|INVALID_VALUE",
        "local.set('k', '\\udc00')|INVALID_VALUE",
        "local.set('k', 'x'.repeat(1048575))|VALUE_TOO_LARGE",
        "session.set('k', () => 1)|INVALID_VALUE",
        "ephemeral.set('k', 1)|INVALID_TTL",
        "ephemeral.set('k', 1, {})|INVALID_TTL",
        "ephemeral.set('k', 1, {ttl: 0})|INVALID_TTL",
        "ephemeral.set('k', 1, {ttl: 1.5})|INVALID_TTL",
        "ephemeral.set('k', 1, {ttl: -5})|INVALID_TTL",
        "ephemeral.set('k', 1, {ttl: '300'})|INVALID_TTL",
        "ephemeral.set('k', 1, {ttl: 604801})|INVALID_TTL",
        "ephemeral.shared.set('k', 1, 300)|INVALID_TTL",
        "persistent.list({pageSize: 101})|INVALID_QUERY",
        "persistent.list({page: -1})|INVALID_QUERY",
        "persistent.list({page: 0.5})|INVALID_QUERY",
        "persistent.list({page: '1'})|INVALID_QUERY",
        "persistent.list(5)|INVALID_QUERY",
        "local.set('k', new Uint8Array(1048577))|VALUE_TOO_LARGE",
        "session.shared.set('k', new ArrayBuffer(1048577))|VALUE_TOO_LARGE",
        "persistent.set('k', new Uint8Array(1048577))|VALUE_TOO_LARGE",
        "ephemeral.set('k', new Uint8Array(1048577), {ttl: 5})|VALUE_TOO_LARGE",
        "local.set('k', 1, {encrypt: true})|INVALID_BODY",
        "session.shared.set('k', 1, {encrypt: true})|INVALID_BODY",
        "ephemeral.set('k', 1, {ttl: 5, encrypt: true})|INVALID_BODY",
        "persistent.set('k', 1, {encrypt: 'yes'})|INVALID_BODY",
        "local.list({pageSize: 101})|INVALID_QUERY",
        "session.shared.list({page: -1})|INVALID_QUERY",
        "ephemeral.list({prefix: 5})|INVALID_QUERY",
        "local.list({prefix: 'a\\u0001'})|INVALID_QUERY",
        "session.list({prefix: 'x'.repeat(256)})|INVALID_QUERY",
        "persistent.get(7)|INVALID_KEY"})
    void invalidInputRejectsWithCodeAndNoStatus(String call, String code) {
        String out = run(CTX + "const r = ctx.storage." + call + ";"
                + "if (!(r instanceof Promise)) throw new Error('not a promise');"
                + "try { await r; } finally { if (localStorage.length || sessionStorage.length) "
                + "throw new Error('something was stored'); }");
        assertTrue(out.startsWith("{\"error\":{\"name\":\"StorageError\",\"code\":\"" + code + "\",\"message\":"),
                out);
    }

    @Test
    void limitErrorsCarryLimitAndActual() {
        String out = run(CTX + "await ctx.storage.local.set('k', 'x'.repeat(1048575));");
        assertTrue(out.contains("\"code\":\"VALUE_TOO_LARGE\""), out);
        assertTrue(out.contains("\"limit\":1048576,\"actual\":1048577"), out);
    }

    @Test
    void noUserRejectsUserScopeButNotSharedBrowserScope() {
        String out = run("""
                const ctx = m.createExtensionContext({publisher: 'acme', name: 'notes', user: null});
                const codes = [];
                for (const f of [() => ctx.storage.local.get('k'), () => ctx.storage.session.set('k', 1),
                                 () => ctx.storage.local.remove('k'), () => ctx.storage.persistent.get('k'),
                                 () => ctx.storage.ephemeral.set('k', 1, {ttl: 5}),
                                 () => ctx.storage.persistent.list()]) {
                  try { await f(); codes.push('resolved'); } catch (e) { codes.push(e.code); }
                }
                await ctx.storage.local.shared.set('k', 'shared ok');
                const noId = m.createExtensionContext({publisher: 'acme', name: 'notes', user: {}});
                try { await noId.storage.local.get('k'); } catch (e) { codes.push(e.code); }
                codes.push(await ctx.storage.local.shared.get('k'), ctx.userId);
                return codes;
                """);
        assertEquals("{\"ok\":[\"NOT_AUTHENTICATED\",\"NOT_AUTHENTICATED\",\"NOT_AUTHENTICATED\","
                + "\"NOT_AUTHENTICATED\",\"NOT_AUTHENTICATED\",\"NOT_AUTHENTICATED\",\"NOT_AUTHENTICATED\","
                + "\"shared ok\",null]}", out);
    }

    @Test
    void fullQuotaRejectsAndKeepsTheOldValue() {
        String out = run(CTX + """
                await ctx.storage.local.set('k', 'old');
                // fill the origin's quota with ever smaller chunks until not even one character fits
                let i = 0;
                for (let size = 1 << 20; size >= 1; size = size >> 1) {
                  try { for (;;) localStorage.setItem('fill' + (i++), 'x'.repeat(size)); } catch (e) { }
                }
                let code;
                try { await ctx.storage.local.set('k', 'y'.repeat(100000)); } catch (e) { code = e.code; }
                const still = await ctx.storage.local.get('k');
                localStorage.clear();
                return [code, still];
                """);
        assertEquals("{\"ok\":[\"QUOTA_EXCEEDED\",\"old\"]}", out);
    }

    @Test
    void unavailableStorageRejectsWithStoreUnavailable() {
        String out = run(CTX + """
                Object.defineProperty(window, 'localStorage', {configurable: true,
                    get() { throw new DOMException('denied', 'SecurityError'); }});
                const codes = [];
                for (const f of [() => ctx.storage.local.get('k'), () => ctx.storage.local.set('k', 1),
                                 () => ctx.storage.local.remove('k')]) {
                  try { await f(); codes.push('resolved'); } catch (e) { codes.push(e.code); }
                }
                return codes;
                """);
        assertEquals("{\"ok\":[\"STORE_UNAVAILABLE\",\"STORE_UNAVAILABLE\",\"STORE_UNAVAILABLE\"]}", out);
    }

    @Test
    void corruptStoredTextRejectsWithInvalidValue() {
        String out = run(CTX + """
                localStorage.setItem('ext-storage:acme.notes:user:alice:k', '{not json');
                await ctx.storage.local.get('k');
                """);
        assertTrue(out.contains("\"code\":\"INVALID_VALUE\""), out);
    }

    @Test
    void extensionsAndUsersNeverSeeEachOthersData() {
        String out = run("""
                const mk = (p, n, u) => m.createExtensionContext({publisher: p, name: n, user: {id: u}});
                const all = [mk('acme', 'notes', 'alice'), mk('acme', 'notes', 'bob'),
                             mk('globex', 'todo', 'alice'), mk('globex', 'todo', 'bob'),
                             mk('acme', 'notes', 'a:b'), mk('acme', 'notes', 'a')];
                for (let i = 0; i < all.length; i++) {
                  for (const t of ['local', 'session']) {
                    await all[i].storage[t].set('k', 'user' + i);
                    await all[i].storage[t].set(i === 5 ? 'b:k' : 'other' + i, i);
                  }
                }
                await all[0].storage.local.shared.set('s', 'acme shared');
                await all[2].storage.local.shared.set('s', 'globex shared');
                const seen = [];
                for (const c of all) {
                  seen.push(await c.storage.local.get('k'), await c.storage.session.get('k'),
                            await c.storage.local.shared.get('s'));
                }
                // user 'a' with key 'b:k' must not be user 'a:b' with key 'k'
                seen.push(await all[4].storage.local.get('k'), await all[0].storage.local.get('other1'));
                return seen;
                """);
        assertEquals("{\"ok\":[\"user0\",\"user0\",\"acme shared\",\"user1\",\"user1\",\"acme shared\","
                + "\"user2\",\"user2\",\"globex shared\",\"user3\",\"user3\",\"globex shared\","
                + "\"user4\",\"user4\",\"acme shared\",\"user5\",\"user5\",\"acme shared\",\"user4\",null]}", out);
    }

    @Test
    void getContextWithNothingBoundThrowsNotBound() {
        String out = run("return m.getContext();");
        assertTrue(out.startsWith("{\"error\":{\"name\":\"Error\",\"code\":\"NOT_BOUND\""), out);
        assertTrue(out.contains("bindContext"), out);
    }

    @Test
    void bindContextMakesGetContextReturnIt() {
        String out = run(CTX + """
                const r = [m.bindContext(ctx) === ctx, m.getContext() === ctx, m.getContext().id];
                await m.getContext().storage.local.set('sidebar_collapsed', true);
                r.push(await ctx.storage.local.get('sidebar_collapsed'));
                const fromOptions = m.bindContext({publisher: 'globex', name: 'todo', user: {id: 'bob'}});
                r.push(m.getContext() === fromOptions, m.getContext().publisher, m.getContext().name,
                       m.getContext().userId);
                r.push(m.bindContext(null));
                try { m.getContext(); r.push('still bound'); } catch (e) { r.push(e.code); }
                return r;
                """);
        assertEquals("{\"ok\":[true,true,\"acme.notes\",true,true,\"globex\",\"todo\",\"bob\",null,\"NOT_BOUND\"]}",
                out);
    }

    @Test
    void separateModuleInstancesHoldSeparateBindings() {
        // what Module Federation does: every container loads its own instance of the module
        String out = run(CTX + """
                const other = await import('/pkg/extension-storage.js?container=2');
                const theirs = other.createExtensionContext({publisher: 'globex', name: 'todo', user: {id: 'bob'}});
                other.bindContext(theirs);
                m.bindContext(ctx);
                const r = [m.getContext().id, other.getContext().id];
                // a context made by another instance can still be bound and used
                m.bindContext(theirs);
                await m.getContext().storage.local.set('k', 1);
                r.push(m.getContext() === theirs, Object.keys(localStorage));
                return r;
                """);
        assertEquals("{\"ok\":[\"acme.notes\",\"globex.todo\",true,[\"ext-storage:globex.todo:user:bob:k\"]]}", out);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "undefined", "'acme.notes'", "{name: 'notes'}", "{publisher: 'Acme', name: 'notes'}",
        "{publisher: 'acme', name: 'no.tes'}", "{publisher: 'acme', name: 'x'.repeat(65)}",
        "{publisher: 'acme', name: 'notes', keyPrefix: 'a:b'}", "{publisher: 'acme', name: 'notes', keyPrefix: ''}",
        "{publisher: 'acme', name: 'notes', keyPrefix: 5}", "{publisher: 'acme', name: 'notes', credentials: 'all'}",
        "{publisher: 'acme', name: 'notes', headers: 'Bearer x'}", "{publisher: 'acme', name: 'notes', apiBase: 1}",
        "{publisher: 'acme', name: 'notes', user: 'alice'}", "{publisher: 'acme', name: 'notes', user: {id: ''}}",
        "{publisher: 'acme', name: 'notes', user: {id: NaN}}", "{publisher: 'acme', name: 'notes', user: {id: {}}}",
        "{publisher: 'acme', name: 'notes', limits: 900}", "{publisher: 'acme', name: 'notes', limits: 'big'}",
        "{publisher: 'acme', name: 'notes', limits: {maxTtlSeconds: '900'}}",
        "{publisher: 'acme', name: 'notes', limits: {maxTtlSeconds: 0}}",
        "{publisher: 'acme', name: 'notes', limits: {maxTtlSeconds: -900}}",
        "{publisher: 'acme', name: 'notes', limits: {maxTtlSeconds: 900.5}}",
        "{publisher: 'acme', name: 'notes', limits: {maxValueBytes: '2097152'}}",
        "{publisher: 'acme', name: 'notes', limits: {maxValueBytes: 0}}",
        "{publisher: 'acme', name: 'notes', limits: {maxValueBytes: -1}}",
        "{publisher: 'acme', name: 'notes', limits: {maxValueBytes: 1.5}}",
        "{publisher: 'acme', name: 'notes', limits: {maxValueBytes: NaN}}",
        "{publisher: 'acme', name: 'notes', limits: {maxValueBytes: Infinity}}"})
    void badOptionsThrowInvalidOptions(String options) {
        String out = run("return m.createExtensionContext(" + options + ");");
        assertTrue(out.startsWith("{\"error\":{\"name\":\"Error\",\"code\":\"INVALID_OPTIONS\""), out);
    }

    @Test
    void valueLimitOptionAppliesToTheBrowserTiersToo() {
        // 2 MiB of JSON: above the default 1 MiB limit, within Chromium's localStorage quota (5 M UTF-16 units)
        String out = run("""
                const big = 'x'.repeat(2 * 1048576 - 2);
                const dflt = m.createExtensionContext({publisher: 'acme', name: 'notes', user: {id: 'alice'}});
                const raised = m.createExtensionContext({publisher: 'acme', name: 'notes', user: {id: 'alice'},
                    limits: {maxValueBytes: 2 * 1048576}});
                const r = [];
                try { await dflt.storage.local.set('k', big); r.push('stored'); } catch (e) { r.push(e.code, e.limit); }
                r.push(localStorage.length);
                await raised.storage.local.set('k', big);
                r.push((await raised.storage.local.get('k')).length);
                try { await raised.storage.session.set('k', big + 'x'); r.push('stored'); }
                catch (e) { r.push(e.code, e.limit); }
                return r;
                """);
        assertEquals("{\"ok\":[\"VALUE_TOO_LARGE\",1048576,0,2097150,\"VALUE_TOO_LARGE\",2097152]}", out);
    }

    @Test
    void contextExposesIdentity() {
        String out = run(CTX + "return [ctx.publisher, ctx.name, ctx.id, ctx.userId, "
                + "ctx.storage.local.shared === ctx.storage.local.shared, "
                + "typeof ctx.storage.persistent.shared.list, typeof ctx.storage.local.list];");
        assertEquals("{\"ok\":[\"acme\",\"notes\",\"acme.notes\",\"alice\",true,\"function\",\"function\"]}", out);
    }

    @Test
    void versionIsThePackageVersion() throws Exception {
        String pkg = Files.readString(BrowserHarness.packageDir().resolve("package.json"), StandardCharsets.UTF_8);
        String out = run("return [m.version, Object.keys(m).sort(), Object.keys(mh).sort()];");
        String version = out.substring("{\"ok\":[\"".length(), out.indexOf('"', "{\"ok\":[\"".length()));
        assertTrue(pkg.contains("\"version\": \"" + version + "\""), pkg + " vs " + out);
        assertTrue(out.endsWith("[\"bindContext\",\"createExtensionContext\",\"getContext\",\"purgeUninstalled\",\"version\"],"
                + "[\"purgeUninstalled\",\"serveBridge\"]]}"), out);
    }

    /** Web Storage listing: this area's entries only, prefix taken literally, key order, server paging rules. */
    @ParameterizedTest
    @ValueSource(strings = {"local", "session", "local.shared", "session.shared"})
    void listShowsThisAreasKeysUnderThePrefixInKeyOrder(String area) {
        String out = run(CTX + """
                const a = ctx.storage.%s;
                const other = m.createExtensionContext({publisher: 'acme', name: 'notes2', user: {id: 'alice'}});
                const bob = m.createExtensionContext({publisher: 'acme', name: 'notes', user: {id: 'alice:x'}});
                for (const k of ['b*', 'a*?[\\\\:%%x', 'a*?[\\\\:%%y', 'a*', 'ab', 'a', 'c']) await a.set(k, k.length);
                await other.storage.%s.set('a*1', 'no');
                await bob.storage.local.set('a*2', 'no'); await bob.storage.session.set('a*2', 'no');
                const tier = ctx.storage['%s'];
                await (a === tier ? tier.shared : tier).set('a*4', 'the other scope');
                localStorage.setItem('a*3', 'no'); sessionStorage.setItem('a*3', 'no');
                const all = await a.list();
                const star = await a.list({prefix: 'a*'});
                const literal = await a.list({prefix: 'a*?[\\\\:%%'});
                const paged = [await a.list({prefix: 'a', pageSize: 2}), await a.list({prefix: 'a', page: 1, pageSize: 2}),
                    await a.list({prefix: 'a', page: 9, pageSize: 2}), await a.list({pageSize: 0})];
                const keys = (p) => p.result.map((e) => e.key).join(' ') + ' #' + p.count;
                return [keys(all), keys(star), keys(literal), ...paged.map(keys), all.result[0]];
                """.formatted(area, area, area.split("\\.")[0]));
        assertEquals("{\"ok\":[\"a a* a*?[\\\\:%x a*?[\\\\:%y ab b* c #7\",\"a* a*?[\\\\:%x a*?[\\\\:%y #3\","
                + "\"a*?[\\\\:%x a*?[\\\\:%y #2\",\"a a* #5\",\"a*?[\\\\:%x a*?[\\\\:%y #5\",\" #5\",\" #7\","
                + "{\"key\":\"a\",\"value\":1}]}", out);
    }

    @Test
    void purgeUninstalledRemovesOnlyOurLayoutsKeysOfExtensionsNotInstalled() {
        String out = run("""
                const mk = (name, prefix) => m.createExtensionContext({publisher: 'acme', name, user: {id: 'u:1%'},
                    keyPrefix: prefix});
                for (const c of [mk('kept'), mk('gone'), mk('gone', 'superset-ext')]) {
                  for (const a of [c.storage.local, c.storage.local.shared, c.storage.session, c.storage.session.shared]) {
                    await a.set('k', 1);
                  }
                }
                for (const k of ['theme', 'ext-storage:acme.gone', 'ext-storage:acme.gone:other:k', 'ext-storage-x:acme.gone:shared:k']) {
                  localStorage.setItem(k, 'other app');
                }
                const bad = [];
                for (const args of [[null], ['acme.kept'], [[1]], [[], 'a:b'], [[], 5]]) {
                  try { mh.purgeUninstalled(...args); } catch (e) { bad.push(e.code); }
                }
                const removed = [m.purgeUninstalled(['acme.kept']), mh.purgeUninstalled(['acme.kept'])];
                return [bad.join(), removed, Object.keys(localStorage).sort(), Object.keys(sessionStorage).sort()];
                """);
        assertEquals("{\"ok\":[\"INVALID_OPTIONS,INVALID_OPTIONS,INVALID_OPTIONS,INVALID_OPTIONS,INVALID_OPTIONS\","
                + "[4,0],[\"ext-storage-x:acme.gone:shared:k\",\"ext-storage:acme.gone\",\"ext-storage:acme.gone:other:k\","
                + "\"ext-storage:acme.kept:shared:k\",\"ext-storage:acme.kept:user:u%3A1%25:k\","
                + "\"superset-ext:acme.gone:shared:k\",\"superset-ext:acme.gone:user:u%3A1%25:k\",\"theme\"],"
                + "[\"ext-storage:acme.kept:shared:k\",\"ext-storage:acme.kept:user:u%3A1%25:k\","
                + "\"superset-ext:acme.gone:shared:k\",\"superset-ext:acme.gone:user:u%3A1%25:k\"]]}", out);
    }

    /** All 256 byte values, 1 MiB accepted; stored as JSON.stringify of the marked base64 string; events carry bytes. */
    @ParameterizedTest
    @ValueSource(strings = {"local", "session", "local.shared", "session.shared"})
    void binaryValuesRoundTripAsMarkedBase64(String area) {
        String out = run(CTX + """
                const a = ctx.storage.%s;
                const all = new Uint8Array(256); for (let i = 0; i < 256; i++) all[i] = i;
                const events = []; const stop = a.onChange((c) => events.push(c.value));
                await a.set('bytes', all);
                await a.set('buffer', all.buffer.slice(1, 3));
                await a.set('big', new Uint8Array(1048576).fill(7));
                stop();
                const got = await a.get('bytes'), entry = await a.getEntry('buffer'), big = await a.get('big');
                const listed = (await a.list({prefix: 'b'})).result;
                const storage = '%s'.startsWith('local') ? localStorage : sessionStorage;
                const slot = Object.keys(storage).find((k) => k.endsWith(':buffer'));
                const same = (x, y) => x instanceof Uint8Array && x.length === y.length && x.every((v, i) => v === y[i]);
                return [same(got, all), Array.from(entry.value), big.length, big[1048575],
                    listed.map((e) => e.key + ':' + (e.value instanceof Uint8Array) + ':' + e.value.length).join(' '),
                    storage.getItem(slot) === JSON.stringify('\\uD800b64:' + btoa('\\u0001\\u0002')),
                    events.length, same(events[0], all), await a.get('plain') === null];
                """.formatted(area, area));
        assertEquals("{\"ok\":[true,[1,2],1048576,7,\"big:true:1048576 buffer:true:2 bytes:true:256\",true,3,true,true]}",
                out);
    }
}
