package dev.extstorage.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The compiled module's batches ({@code getMany}, {@code setMany}, {@code removeMany}) in Chromium: the browser
 * tiers for real (one synchronous pass, rolled back on a full quota, a change per entry changed), the server
 * tiers against a stand-in endpoint that records the one request of each batch and answers as the server does.
 */
class BatchesTest {
    private static final String CTX = "const ctx = m.createExtensionContext({publisher: 'acme', name: 'notes',"
            + " user: {id: 'alice'}, headers: {'X-CSRF-Token': 'csrf-1'}});";
    private static final List<String> requests = new CopyOnWriteArrayList<>();
    private static volatile int answerStatus;
    private static volatile String answerBody;
    @RegisterExtension
    static final BrowserHarness browser = BrowserHarness.perClass(BatchesTest::answer);

    @BeforeEach
    void reset() {
        requests.clear();
        answerStatus = 200;
        answerBody = "{}";
        browser.run("localStorage.clear(); sessionStorage.clear();");
    }

    private static void answer(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath()
                + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery())
                + " | " + ex.getRequestHeaders().getFirst("X-CSRF-Token") + " | " + body);
        BrowserHarness.send(ex, answerStatus, "application/json", answerBody);
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "session", "local.shared", "session.shared"})
    void browserBatchesRoundTrip(String area) {
        String out = browser.run(CTX + """
                const a = ctx.storage.%s;
                const versions = await a.setMany({a: 1, 'b/c:%%': {x: [1, null]}, bytes: new Uint8Array([0, 255])});
                const got = await a.getMany(['bytes', 'missing', 'b/c:%%', 'a']);
                const entry = await a.getEntry('a');
                await a.removeMany(['a', 'never']);
                return [Object.keys(versions).length, versions.a === entry.version, Array.from(got.bytes),
                    got.missing, got['b/c:%%'], got.a, await a.get('a'), await a.get('b/c:%%')];
                """.formatted(area));
        assertEquals("{\"ok\":[3,true,[0,255],null,{\"x\":[1,null]},1,null,{\"x\":[1,null]}]}", out);
    }

    @Test
    void aFullQuotaUndoesTheWholeBatch() {
        String out = browser.run(CTX + """
                await ctx.storage.local.set('k', 'old');
                let i = 0;
                for (let size = 1 << 20; size >= 1; size = size >> 1) {
                  try { for (;;) localStorage.setItem('fill' + (i++), 'x'.repeat(size)); } catch (e) { }
                }
                let code;
                try { await ctx.storage.local.setMany({k: 'new', big: 'y'.repeat(100000)}); } catch (e) { code = e.code; }
                const after = await ctx.storage.local.getMany(['k', 'big']);
                localStorage.clear();
                return [code, after.k, after.big];
                """);
        assertEquals("{\"ok\":[\"QUOTA_EXCEEDED\",\"old\",null]}", out);
    }

    @Test
    void everyEntryChangedIsOneChange() {
        String out = browser.run(CTX + """
                const seen = [];
                ctx.storage.local.onChange(c => seen.push(c.key + (c.deleted ? '-' : '+')));
                await ctx.storage.local.set('same', 1);
                await ctx.storage.local.setMany({same: 1, n: 2});
                await ctx.storage.local.removeMany(['n', 'absent']);
                return seen;
                """);
        assertEquals("{\"ok\":[\"same+\",\"n+\",\"n-\"]}", out);
    }

    @Test
    void badArgumentsRejectBeforeAnythingHappens() {
        String out = browser.run(CTX + """
                const many = Array.from({length: 101}, (_, i) => 'k' + i);
                const codes = [];
                for (const f of [() => ctx.storage.local.getMany(many), () => ctx.storage.local.getMany('a'),
                                 () => ctx.storage.session.removeMany([1]), () => ctx.storage.local.getMany(['a', 'a']),
                                 () => ctx.storage.local.getMany(['']), () => ctx.storage.local.setMany([1]),
                                 () => ctx.storage.local.setMany({f: () => 1}),
                                 () => ctx.storage.ephemeral.setMany({a: 1}),
                                 () => ctx.storage.local.setMany({a: 1}, {encrypt: true}),
                                 () => ctx.storage.persistent.setMany({a: 'x'.repeat(600000), b: 'y'.repeat(600000)})]) {
                  try { await f(); codes.push('resolved'); } catch (e) { codes.push(e.code); }
                }
                return [codes, localStorage.length];
                """);
        assertEquals("{\"ok\":[[\"INVALID_BODY\",\"INVALID_BODY\",\"INVALID_BODY\",\"INVALID_BODY\",\"INVALID_KEY\","
                + "\"INVALID_BODY\",\"INVALID_VALUE\",\"INVALID_TTL\",\"INVALID_BODY\",\"VALUE_TOO_LARGE\"],0]}", out);
        assertEquals(List.of(), requests);
    }

    @Test
    void serverBatchesAreOnePostOnTheTier() {
        answerBody = "{\"results\":[{\"key\":\"a/b\",\"value\":{\"x\":1},\"version\":\"v1\"},{\"key\":\"bin\","
                + "\"value\":\"AP8=\",\"version\":\"v2\",\"isBinary\":true},{\"key\":\"none\",\"value\":null}]}";
        String got = browser.run(CTX + """
                const r = await ctx.storage.persistent.getMany(['a/b', 'bin', 'none']);
                return [r['a/b'], Array.from(r.bin), r.none];
                """);
        assertEquals("{\"ok\":[{\"x\":1},[0,255],null]}", got);
        answerBody = "{\"message\":\"Values stored successfully\",\"results\":[{\"key\":\"job\",\"version\":\"v9\"},"
                + "{\"key\":\"b\",\"version\":\"v8\"}]}";
        String set = browser.run(CTX + "return await ctx.storage.ephemeral.shared.setMany({job: {pct: 42},"
                + " b: new Uint8Array([1])}, {ttl: 300});");
        assertEquals("{\"ok\":{\"job\":\"v9\",\"b\":\"v8\"}}", set);
        answerBody = "{\"message\":\"Values deleted successfully\",\"results\":[]}";
        String removed = browser.run(CTX + "return await ctx.storage.persistent"
                + ".forResource('dashboard', '0B7E7E38-8d1c-4a45-9a5e-6f9b2b7c8d90').removeMany(['k']);");
        assertEquals("{\"ok\":\"<undefined>\"}", removed);
        String p = "POST /api/v1/extensions/acme/notes/storage/";
        assertEquals(List.of(p + "persistent | csrf-1 | {\"op\":\"get\",\"keys\":[\"a/b\",\"bin\",\"none\"]}",
                p + "ephemeral?shared=true | csrf-1 | {\"op\":\"set\",\"entries\":[{\"key\":\"job\",\"value\":{\"pct\":42},"
                        + "\"ttl\":300},{\"key\":\"b\",\"value\":\"AQ==\",\"isBinary\":true,\"ttl\":300}]}",
                p + "persistent?resource_type=dashboard&resource_uuid=0b7e7e38-8d1c-4a45-9a5e-6f9b2b7c8d90 | csrf-1 | "
                        + "{\"op\":\"remove\",\"keys\":[\"k\"]}"), requests);
    }

    @Test
    void aServerRefusalRejectsWithItsCode() {
        answerStatus = 412;
        answerBody = "{\"message\":\"The value has changed: its version is v3\",\"code\":\"PRECONDITION_FAILED\","
                + "\"version\":\"v3\"}";
        String out = browser.run(CTX + "return await ctx.storage.persistent.setMany({a: 1}, {encrypt: true});");
        assertEquals("PRECONDITION_FAILED", out.replaceAll(".*\"code\":\"([A-Z_]+)\".*", "$1"));
        assertEquals(List.of("POST /api/v1/extensions/acme/notes/storage/persistent | csrf-1 | {\"op\":\"set\","
                + "\"entries\":[{\"key\":\"a\",\"value\":1,\"encrypt\":true}]}"), requests);
    }
}
