package dev.extstorage.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The message bridge of sandboxed extensions (SPEC section 12), in Chromium: a frame-side context
 * ({@code createExtensionContext({..., port})}) talking over a real {@code MessageChannel} to
 * {@code serveBridge(port, hostOptions)} in the same page, whose server tiers reach a stand-in API that keeps
 * what is PUT (by URL) and records each request with its {@code Authorization}. Round trips on every tier and
 * scope through {@link RemoteArea}; the host's refusals of forged, malformed and oversized messages, posted
 * raw on the frame's port; the in-flight bound, with {@code fetch} made to hang so nothing depends on timing.
 */
class BridgeTest {
    private static final Map<String, String> stored = new ConcurrentHashMap<>();
    private static final List<String> requests = new CopyOnWriteArrayList<>();
    @RegisterExtension
    static final BrowserHarness browser = BrowserHarness.perClass(BridgeTest::answer);

    /** A host bridge for acme.notes / alice with a fixed bound token, and the frame's context over it. */
    private static final String SETUP = "localStorage.clear(); sessionStorage.clear();"
            + "const ch = new MessageChannel();"
            + "const frames = [];"
            + "const host = mh.serveBridge(ch.port1, {publisher: 'acme', name: 'notes', user: {id: 'alice'},"
            + " credentials: 'omit', token: 'bound-acme', onFrame: (e, d) => frames.push(e + ':' + d)});"
            + "const ctx = m.createExtensionContext({publisher: 'acme', name: 'notes', user: {id: 'alice'},"
            + " port: ch.port2});";

    /** SETUP plus {@code ask(message)}: posts a raw message on a second channel and resolves to the reply. */
    private static final String RAW = "localStorage.clear(); sessionStorage.clear();"
            + "const ch = new MessageChannel();"
            + "mh.serveBridge(ch.port1, {publisher: 'acme', name: 'notes', user: {id: 'alice'}, token: 'bound-acme'});"
            + "const replies = []; let wake = null;"
            + "ch.port2.onmessage = (e) => { replies.push(e.data); if (wake) wake(); };"
            + "const next = () => replies.length ? Promise.resolve(replies.shift())"
            + " : new Promise((ok) => { wake = () => { wake = null; ok(replies.shift()); }; });"
            + "const ask = (msg) => { ch.port2.postMessage(msg); return next(); };";

    @BeforeEach
    void reset() {
        stored.clear();
        requests.clear();
    }

    private static void answer(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath()
                + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(ex.getRequestMethod() + " " + path + " | " + ex.getRequestHeaders().getFirst("Authorization"));
        if (path.endsWith("/storage/usage")) {
            BrowserHarness.send(ex, 200, "application/json", "{\"result\":{\"persistent\":{\"bytes\":7},"
                    + "\"ephemeral\":{\"bytes\":0}}}");
        } else if (path.endsWith("/storage/events")) {
            BrowserHarness.send(ex, 404, "application/json", "{\"code\":\"EXTENSION_NOT_FOUND\",\"message\":\"no\"}");
        } else if (ex.getRequestMethod().equals("PUT")) {
            // {"value":<v>[,"isBinary":true][,"ttl":n]}: the stand-in keeps the body without the ttl
            stored.put(path, body.replaceAll(",\"ttl\":\\d+", ""));
            BrowserHarness.send(ex, 200, "application/json", "{\"message\":\"Value stored successfully\"}");
        } else if (ex.getRequestMethod().equals("DELETE")) {
            stored.remove(path);
            BrowserHarness.send(ex, 200, "application/json", "{\"message\":\"Value deleted successfully\"}");
        } else {
            String put = stored.get(path);
            ex.getResponseHeaders().set("ETag", "\"v1\"");
            BrowserHarness.send(ex, 200, "application/json", put == null ? "{\"result\":null}"
                    : put.replaceFirst("^\\{\"value\":", "{\"result\":"));
        }
    }

    @ParameterizedTest
    @CsvSource({"local,''", "local,.shared", "session,''", "session,.shared", "ephemeral,''", "ephemeral,.shared",
            "persistent,''", "persistent,.shared"})
    void everyTierAndScopeRoundTripsThroughTheHost(String tier, String shared) {
        String area = "ctx.storage." + tier + shared;
        String out = browser.run(SETUP + "const a = " + area + ";"
                + "await a.set('k:1', {n: 1, s: 'x'}, {ttl: 60});"
                + "const v = await a.get('k:1'); const e = await a.getEntry('k:1');"
                + "await a.set('bytes', new Uint8Array([1, 2, 255]), {ttl: 60});"
                + "const b = await a.get('bytes');"
                + "const missing = await a.get('nothing');"
                + "await a.remove('bytes');"
                + "return [v, typeof e.version, b instanceof Uint8Array ? Array.from(b) : b, missing,"
                + " await a.get('bytes')];");
        assertEquals("{\"ok\":[{\"n\":1,\"s\":\"x\"},\"string\",[1,2,255],null,null]}", out);
        String scope = shared.isEmpty() ? "user:alice:" : "shared:";
        if (tier.equals("local") || tier.equals("session")) {
            String slot = browser.run("return " + tier + "Storage.getItem('ext-storage:acme.notes:" + scope + "k:1');");
            assertEquals("{\"ok\":\"{\\\"n\\\":1,\\\"s\\\":\\\"x\\\"}\"}", slot, "in the host's " + tier + "Storage");
        } else {
            assertTrue(requests.stream().allMatch(r -> r.contains("/api/v1/extensions/acme/notes/storage/" + tier)
                    && r.endsWith("| Bearer bound-acme")), () -> "the host's bound token: " + requests);
        }
    }

    @Test
    void batchesGoThroughTheBridgeAsOneCallEach() {
        String out = browser.run(SETUP + "const r = [];"
                + "for (const a of [ctx.storage.local, ctx.storage.session.shared]) {"
                + "  const versions = await a.setMany({x: {n: 1}, bytes: new Uint8Array([0, 255]), __proto__x: 2});"
                + "  const got = await a.getMany(['x', 'bytes', 'none', '__proto__x']);"
                + "  await a.removeMany(['x', 'never']);"
                + "  r.push([Object.keys(versions).length, got.x, Array.from(got.bytes), got.none, got.__proto__x,"
                + "    await a.get('x')]);"
                + "}"
                + "let code; try { await ctx.storage.local.getMany(['a', 'a']); } catch (e) { code = e.code; }"
                + "const slot = localStorage.getItem('ext-storage:acme.notes:user:alice:bytes');"
                + "return [r, code, slot !== null];");
        assertEquals("{\"ok\":[[[3,{\"n\":1},[0,255],null,2,null],[3,{\"n\":1},[0,255],null,2,null]],"
                + "\"INVALID_BODY\",true]}", out);
        String forged = browser.run(RAW + "return [await ask({id: 1, tier: 'local', scope: 'user', method: 'setMany',"
                + " args: ['[\"a\",\"b\"]', '[\"1\"]', 0, false]}),"
                + " await ask({id: 2, tier: 'local', scope: 'user', method: 'getMany', args: ['not json']}),"
                + " localStorage.length];");
        assertEquals("{\"ok\":[{\"id\":1,\"error\":{\"code\":\"INVALID_BODY\",\"message\":\"setMany carries its keys"
                + " and their values' texts as two JSON arrays of strings of one length\"}},{\"id\":2,\"error\":"
                + "{\"code\":\"INVALID_BODY\",\"message\":\"A batch needs an array of keys (strings)\"}},0]}", forged);
    }

    @Test
    void aStorageCallOfNoTierIsRefused() {
        String out = browser.run(RAW + "return [await ask({id: 1, tier: 'cookies', scope: 'user', method: 'get',"
                + " args: ['k']}), await ask({id: 2, tier: 'LOCAL', scope: 'user', method: 'get', args: ['k']})];");
        String refusal = "\"error\":{\"code\":\"INVALID_BODY\",\"message\":\"tier must be local, session,"
                + " ephemeral or persistent and scope user or shared\"}}";
        assertEquals("{\"ok\":[{\"id\":1," + refusal + ",{\"id\":2," + refusal + "]}", out);
    }

    @Test
    void updateListUsageAndChangesWorkThroughTheBridge() {
        String out = browser.run(SETUP + "const seen = [];"
                + "const stop = ctx.storage.local.onChange((c) => seen.push(c.key + '=' + JSON.stringify(c.value)));"
                + "await ctx.storage.local.set('a', 1);"
                + "await ctx.storage.local.update('a', (old) => old + 1);"
                + "await ctx.storage.local.shared.set('b', 2);"
                + "const page = await ctx.storage.local.list({prefix: 'a'});"
                + "await new Promise((ok) => setTimeout(ok, 0)); stop();"
                + "return [page, seen, ctx.id, ctx.userId];");
        assertEquals("{\"ok\":[{\"result\":[{\"key\":\"a\",\"value\":2}],\"count\":1},[\"a=1\",\"a=2\"],"
                + "\"acme.notes\",\"alice\"]}", out);
    }

    @Test
    void usageComesFromTheHostWithItsWebStorageBytes() {
        String out = browser.run(SETUP + "await ctx.storage.local.set('k', 1);"
                + "const u = await ctx.storage.usage();"
                + "return [u.persistent.bytes, u.local.userBytes, u.session.bytes];");
        // 2 bytes per UTF-16 unit of 'ext-storage:acme.notes:user:alice:k' (35) and '1'
        assertEquals("{\"ok\":[7,72,0]}", out);
    }

    @Test
    void atMostMaxSubscriptionsAreOpenAndEventsCarryTheirSubscription() {
        int max = BridgeHost.MAX_SUBSCRIPTIONS;
        String out = browser.run(RAW + "const codes = [];"
                + "for (let i = 1; i <= " + (max + 1) + "; i++)"
                + " codes.push((await ask({id: i, method: 'subscribe', args: [i]})).error?.code ?? 'ok');"
                + "await ask({id: 50, method: 'unsubscribe', args: [2]});"
                + "const again = await ask({id: 51, method: 'subscribe', args: [9]});"
                + "ch.port2.postMessage({id: 52, tier: 'session', scope: 'user', method: 'set', args: ['k', '1']});"
                + "const seen = [];"
                + "for (let r = await next(); r.id !== 52; r = await next()) seen.push(r.sub + ':' + r.change.key);"
                + "return [codes, again.ok, seen.sort()];");
        assertEquals("{\"ok\":[[\"ok\",\"ok\",\"ok\",\"ok\",\"RATE_LIMITED\"],true,"
                + "[\"1:k\",\"3:k\",\"4:k\",\"9:k\"]]}", out);
    }

    @Test
    void errorsArriveAsTheSameStorageErrors() {
        String out = browser.run(SETUP + "const codes = [];"
                + "for (const p of [ctx.storage.ephemeral.set('k', 1), ctx.storage.local.set('', 1),"
                + " ctx.storage.persistent.set('k', 1, {ifVersion: 'v0'}).then(() => 'written'),"
                + " ctx.storage.local.set('k', 1, {ifVersion: 'nope'})])"
                + " codes.push(await p.then(() => 'ok', (e) => e.name + ' ' + e.code));"
                + "return codes;");
        // the stand-in ignores If-Match, so the persistent write goes through
        assertEquals("{\"ok\":[\"StorageError INVALID_TTL\",\"StorageError INVALID_KEY\",\"ok\","
                + "\"StorageError PRECONDITION_FAILED\"]}", out);
    }

    @Test
    void theFrameReportsReachOnFrameAndBadOnesAreRefused() {
        String out = browser.run(SETUP + "ch.port2.postMessage({id: 0, method: 'frame', args: ['size', 240]});"
                + "ch.port2.postMessage({id: 0, method: 'frame', args: ['size', 1e9]});"
                + "ch.port2.postMessage({id: 0, method: 'frame', args: ['ready']});"
                + "await ctx.storage.session.get('k');"
                + "return frames;");
        assertEquals("{\"ok\":[\"size:240\",\"ready:undefined\"]}", out);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{id: 1, tier: 'local', scope: 'user', method: 'set', args: ['k', '1'], extension: 'globex.todo'} | 1 | INVALID_BODY",
        "{id: 2, tier: 'local', scope: 'user', method: 'set', args: ['k', '1'], publisher: 'globex'} | 2 | INVALID_BODY",
        "{id: 3, tier: 'cookies', scope: 'user', method: 'get', args: ['k']} | 3 | INVALID_BODY",
        "{id: 4, tier: 'local', scope: 'global', method: 'get', args: ['k']} | 4 | INVALID_BODY",
        "{id: 5, tier: 'local', scope: 'user', method: 'purge', args: []} | 5 | INVALID_BODY",
        "{id: 6, tier: 'local', scope: 'user', method: 'constructor', args: []} | 6 | INVALID_BODY",
        "{id: 7, tier: 'local', scope: 'user', method: 'get', args: [{key: 'k'}]} | 7 | INVALID_BODY",
        "{id: 8, tier: 'local', scope: 'user', method: 'set', args: ['k', 'x'.repeat(1500000)]} | 8 | VALUE_TOO_LARGE",
        "{id: 9, tier: 'local', scope: 'user', resource: {type: 'chart', uuid: '0f8fad5b-d9cb-469f-a165-70867728950e'}, method: 'get', args: ['k']} | 9 | INVALID_BODY",
        "{id: 10, tier: 'persistent', scope: 'user', resource: {type: 'a b', uuid: 'x'}, method: 'get', args: ['k']} | 10 | INVALID_QUERY",
        "{id: 11, tier: 'local', scope: 'user', method: 'set', args: ['k', 'not json']} | 11 | INVALID_VALUE",
        "{id: 12, tier: 'local', scope: 'user', method: 'get', args: ['a\\u0000b']} | 12 | INVALID_KEY",
        "{id: 13, method: 'usage', tier: 'local', args: []} | 13 | INVALID_BODY",
        "String.fromCharCode(104, 105) | null | INVALID_BODY",
        "{id: 'x', method: 'get', args: []} | null | INVALID_BODY",
        "[1, 2] | null | INVALID_BODY",
    })
    void forgedAndMalformedMessagesAreRefusedAndChangeNothing(String message, String id, String code) {
        String out = browser.run(RAW + "const r = await ask(" + message + ");"
                + "return [r.id, r.error && r.error.code, localStorage.length, sessionStorage.length];");
        assertEquals("{\"ok\":[" + id + ",\"" + code + "\",0,0]}", out);
        assertTrue(requests.isEmpty(), () -> "nothing reached the server: " + requests);
    }

    @Test
    void aCallNamingAnotherExtensionsKeyLayoutStaysInItsOwnNamespace() {
        String out = browser.run(RAW + "const r = await ask({id: 1, tier: 'local', scope: 'shared', method: 'set',"
                + " args: ['x:ext-storage:globex.todo:shared:k', '\"forged\"']});"
                + "return [r.ok, Object.keys(localStorage)];");
        assertEquals("{\"ok\":[true,[\"ext-storage:acme.notes:shared:x:ext-storage:globex.todo:shared:k\"]]}", out);
    }

    @Test
    void atMostMaxInFlightCallsAreUnderWayAtOnce() {
        int max = BridgeHost.MAX_IN_FLIGHT;
        String out = browser.run(RAW + "globalThis.fetch = () => new Promise(() => {});"
                + "for (let i = 1; i <= " + (max + 1) + "; i++)"
                + " ch.port2.postMessage({id: i, tier: 'persistent', scope: 'user', method: 'get', args: ['k']});"
                + "const r = await next();"
                + "const local = await ask({id: 99, tier: 'local', scope: 'user', method: 'get', args: ['k']});"
                + "return [r.id, r.error.code, local.id, local.error.code];");
        // the local tier is bounded too: the frame's calls under way are what counts, whatever the tier
        assertEquals("{\"ok\":[" + (max + 1) + ",\"RATE_LIMITED\",99,\"RATE_LIMITED\"]}", out);
    }
}
