package dev.extstorage.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The host options {@code token} and {@code getToken} (SPEC section 12), in Chromium, against a stand-in API
 * that records each request's method, path and {@code Authorization} header and answers 401 to the tokens in
 * {@link #revoked}: which token each request carries, when {@code getToken} is called again, and the one retry
 * after a 401. The renewal moment is tested on the JVM ({@link #renewalComesAtFourFifthsOfTheLifetime}), so
 * nothing here depends on timing: lifetimes are 0 (renew every time) or long (never within a test).
 */
class BearerTokenTest {
    private static final List<String> requests = new CopyOnWriteArrayList<>();
    private static volatile Set<String> revoked = Set.of();
    @RegisterExtension
    static final BrowserHarness browser = BrowserHarness.perClass(BearerTokenTest::answer);

    @BeforeEach
    void reset() {
        requests.clear();
        revoked = Set.of();
    }

    private static void answer(HttpExchange ex) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        requests.add(ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath() + " | " + auth);
        if (auth != null && revoked.contains(auth.substring("Bearer ".length()))) {
            BrowserHarness.send(ex, 401, "application/json",
                    "{\"code\":\"NOT_AUTHENTICATED\",\"message\":\"token expired\"}");
        } else if (ex.getRequestURI().getPath().endsWith("/storage/events")) {
            BrowserHarness.send(ex, 404, "application/json", "{\"code\":\"NOT_FOUND\",\"message\":\"no\"}");
        } else {
            BrowserHarness.send(ex, 200, "application/json", "{\"result\":\"v\"}");
        }
    }

    /** A context whose {@code getToken} hands out t1, t2, ... with {@code expiresIn} and counts its calls. */
    private static String minting(String expiresIn) {
        return "let calls = 0;"
                + "const ctx = m.createExtensionContext({publisher: 'acme', name: 'notes', user: {id: 'alice'},"
                + " getToken: async () => ({token: 't' + (++calls), expiresIn: " + expiresIn + "})});";
    }

    private static final String KEY = "GET /api/v1/extensions/acme/notes/storage/persistent/k | ";

    @Test
    void aFixedTokenIsSentByEveryServerRequestAndTheChangeStream() throws Exception {
        String out = browser.run("const ctx = m.createExtensionContext({publisher: 'acme', name: 'notes',"
                + " user: {id: 'alice'}, token: 'fixed', headers: {'X-Other': '1'}});"
                + "await ctx.storage.persistent.get('k'); await ctx.storage.ephemeral.shared.set('k', 1, {ttl: 60});"
                + "ctx.storage.ephemeral.onChange(() => {}); return 'ok';");
        assertEquals("{\"ok\":\"ok\"}", out);
        String events = "GET /api/v1/extensions/acme/notes/storage/events | Bearer fixed";
        for (int i = 0; i < 200 && !requests.contains(events); i++) {
            Thread.sleep(25); // waits for the stream's first request, asserts nothing about time
        }
        assertEquals(List.of(KEY + "Bearer fixed",
                "PUT /api/v1/extensions/acme/notes/storage/ephemeral/k | Bearer fixed", events),
                new ArrayList<>(requests).subList(0, 3));
    }

    @Test
    void concurrentRequestsShareOneGetTokenCallAndALongLivedTokenIsKept() {
        String out = browser.run(minting("300") + "const s = ctx.storage.persistent;"
                + "await Promise.all([s.get('k'), s.get('k'), s.get('k')]); await s.get('k'); return calls;");
        assertEquals("{\"ok\":1}", out);
        assertEquals(List.of(KEY + "Bearer t1", KEY + "Bearer t1", KEY + "Bearer t1", KEY + "Bearer t1"), requests);
    }

    @Test
    void aTokenWithNoLifetimeLeftIsRenewedBeforeTheNextRequest() {
        String out = browser.run(minting("0") + "const s = ctx.storage.persistent;"
                + "await s.get('k'); await s.get('k'); return calls;");
        assertEquals("{\"ok\":2}", out);
        assertEquals(List.of(KEY + "Bearer t1", KEY + "Bearer t2"), requests);
    }

    @Test
    void withoutExpiresInTheJwtExpTimesTheRenewal() {
        // unsigned JWTs: the module reads exp only to time the renewal
        String out = browser.run("""
                const jwt = (exp) => 'x.' + btoa(JSON.stringify({exp: exp})).replace(/=+$/, '') + '.y';
                const now = Math.floor(Date.now() / 1000);
                const tokens = [jwt(now - 10), jwt(now + 3600)];
                let calls = 0;
                const ctx = m.createExtensionContext({publisher: 'acme', name: 'notes', user: {id: 'alice'},
                    getToken: () => tokens[Math.min(calls++, 1)]});
                const s = ctx.storage.persistent;
                await s.get('k'); await s.get('k'); await s.get('k');
                return calls;
                """);
        assertEquals("{\"ok\":2}", out);
        assertEquals(3, requests.size());
        assertEquals(requests.get(1), requests.get(2));
    }

    @Test
    void a401RenewsTheTokenAndSendsTheRequestOnceMore() {
        revoked = Set.of("t1");
        String out = browser.run(minting("300") + "const v = await ctx.storage.persistent.get('k');"
                + "await ctx.storage.persistent.get('k'); return [v, calls];");
        assertEquals("{\"ok\":[\"v\",2]}", out);
        assertEquals(List.of(KEY + "Bearer t1", KEY + "Bearer t2", KEY + "Bearer t2"), requests);
    }

    @Test
    void aSecond401RejectsWithNotAuthenticated() {
        revoked = Set.of("t1", "t2", "fixed");
        String out = browser.run(minting("300") + "return await ctx.storage.persistent.get('k');");
        assertTrue(out.contains("\"code\":\"NOT_AUTHENTICATED\",\"status\":401"), out);
        assertEquals(List.of(KEY + "Bearer t1", KEY + "Bearer t2"), requests);
        requests.clear();
        out = browser.run("return await m.createExtensionContext({publisher: 'acme', name: 'notes',"
                + " user: {id: 'a'}, token: 'fixed'}).storage.persistent.get('k');");
        assertTrue(out.contains("\"status\":401"), out);
        assertEquals(List.of(KEY + "Bearer fixed"), requests, "a fixed token cannot be renewed: no retry");
    }

    @Test
    void aFailingGetTokenRejectsTheRequestWithItsReasonAndSendsNothing() {
        String out = browser.run("return await m.createExtensionContext({publisher: 'acme', name: 'notes',"
                + " user: {id: 'a'}, getToken: async () => { throw new Error('signed out'); }})"
                + ".storage.persistent.get('k');");
        assertTrue(out.contains("\"status\":0") && out.contains("signed out"), out);
        out = browser.run("return await m.createExtensionContext({publisher: 'acme', name: 'notes',"
                + " user: {id: 'a'}, getToken: () => ({expiresIn: 5})}).storage.persistent.get('k');");
        assertTrue(out.contains("\"status\":0") && out.contains("getToken() must resolve"), out);
        assertEquals(List.of(), requests);
    }

    @Test
    void badTokenOptionsAreRefused() {
        String out = browser.run("const r = [];"
                + "for (const o of [{token: 5}, {token: ''}, {getToken: 'x'}]) {"
                + " try { m.createExtensionContext({publisher: 'acme', name: 'notes', ...o}); r.push('accepted'); }"
                + " catch (e) { r.push(e.code + ': ' + e.message); } } return r;");
        assertEquals("{\"ok\":[\"INVALID_OPTIONS: token must be a non-empty string\","
                + "\"INVALID_OPTIONS: token must be a non-empty string\","
                + "\"INVALID_OPTIONS: getToken must be a function returning (a promise of) {token, expiresIn}"
                + " or a token string\"]}", out);
    }

    @Test
    void renewalComesAtFourFifthsOfTheLifetime() {
        assertEquals(1000 + 240_000, BearerToken.renewAt(1000, 300));
        assertEquals(1000, BearerToken.renewAt(1000, 0));
        assertEquals(1000, BearerToken.renewAt(1000, -5));
        assertEquals(Double.POSITIVE_INFINITY, BearerToken.renewAt(1000, Double.NaN));
    }
}
