package dev.extstorage.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The server tiers' side of the wire, in Chromium, against a stand-in HTTP endpoint that records each request
 * and answers with a canned SPEC section 3/4 response: the requests the module sends (method, URL, body,
 * headers) and how answers map to results and to {@code code} + {@code status}. Behaviour against the real
 * server is the e2e module's job (see {@link BrowserHarness}).
 */
class ServerTiersRequestTest {
    private static final String CTX = "const ctx = m.createExtensionContext({publisher: 'acme', name: 'notes',"
            + " user: {id: 'alice'}, headers: {'X-CSRF-Token': 'csrf-1'}});";
    private static final List<String> requests = new CopyOnWriteArrayList<>();
    private static volatile int answerStatus;
    private static volatile String answerType;
    private static volatile String answerBody;
    private static volatile String answerRetryAfter;
    @RegisterExtension
    static final BrowserHarness browser = BrowserHarness.perClass(ServerTiersRequestTest::answer);

    @BeforeEach
    void reset() {
        requests.clear();
        answerRetryAfter = null;
        answer(200, "application/json", "{\"message\":\"Value stored successfully\"}");
    }

    private static void answer(int status, String type, String body) {
        answerStatus = status;
        answerType = type;
        answerBody = body;
    }

    /** Records {@code METHOD raw-uri | content-type | accept | csrf | authorization | body}. */
    private static void answer(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath()
                + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery())
                + " | " + ex.getRequestHeaders().getFirst("Content-Type")
                + " | " + ex.getRequestHeaders().getFirst("Accept")
                + " | " + ex.getRequestHeaders().getFirst("X-CSRF-Token")
                + " | " + ex.getRequestHeaders().getFirst("Authorization")
                + " | " + body);
        if (answerRetryAfter != null) {
            ex.getResponseHeaders().set("Retry-After", answerRetryAfter);
        }
        BrowserHarness.send(ex, answerStatus, answerType, answerBody);
    }

    @Test
    void getSendsTheKeyUrlAndResolvesResult() {
        answer(200, "application/json", "{\"result\":{\"theme\":\"dark\",\"n\":[1,null]}}");
        String out = browser.run(CTX + "return await ctx.storage.persistent.get('prefs/a b:%\u00fc');");
        assertEquals("{\"ok\":{\"theme\":\"dark\",\"n\":[1,null]}}", out);
        assertEquals(List.of("GET /api/v1/extensions/acme/notes/storage/persistent/prefs%2Fa%20b%3A%25%C3%BC"
                + " | null | application/json | csrf-1 | null | "), requests);
    }

    @Test
    void nullOrMissingResultResolvesNull() {
        answer(200, "application/json", "{\"result\":null}");
        assertEquals("{\"ok\":null}", browser.run(CTX + "return await ctx.storage.ephemeral.get('k');"));
        answer(200, "application/json", "{}");
        assertEquals("{\"ok\":null}", browser.run(CTX + "return await ctx.storage.ephemeral.shared.get('k');"));
        assertEquals("GET /api/v1/extensions/acme/notes/storage/ephemeral/k?shared=true | null | application/json"
                + " | csrf-1 | null | ", requests.get(1));
    }

    @Test
    void ephemeralSetSendsValueAndTtl() {
        String out = browser.run(CTX + "return await ctx.storage.ephemeral.set('job_progress', {pct: 42}, {ttl: 300});");
        assertEquals("{\"ok\":\"<undefined>\"}", out);
        assertEquals(List.of("PUT /api/v1/extensions/acme/notes/storage/ephemeral/job_progress | application/json"
                + " | application/json | csrf-1 | null | {\"value\":{\"pct\":42},\"ttl\":300}"), requests);
    }

    @Test
    void ttlAboveTheDefaultMaximumIsSentOnlyWhenTheLimitsOptionAllowsIt() {
        String out = browser.run("""
                const mk = (limits) => m.createExtensionContext({publisher: 'acme', name: 'notes', user: {id: 'alice'},
                    limits: limits});
                const r = [];
                for (const ctx of [mk(undefined), mk({maxValueBytes: 2097152}), mk({maxTtlSeconds: 604801})]) {
                  try { await ctx.storage.ephemeral.set('k', 1, {ttl: 2592000}); r.push('sent'); }
                  catch (e) { r.push(e.code + ':' + e.limit + ':' + e.actual); }
                }
                await mk({maxTtlSeconds: 2592000}).storage.ephemeral.shared.set('k', 1, {ttl: 2592000});
                r.push('sent');
                return r;
                """);
        assertEquals("{\"ok\":[\"INVALID_TTL:604800:2592000\",\"INVALID_TTL:604800:2592000\","
                + "\"INVALID_TTL:604801:2592000\",\"sent\"]}", out);
        assertEquals(List.of("PUT /api/v1/extensions/acme/notes/storage/ephemeral/k?shared=true | application/json"
                + " | application/json | null | null | {\"value\":1,\"ttl\":2592000}"), requests);
    }

    @Test
    void persistentSetSendsValueOnlyAndSharedAddsTheQuery() {
        browser.run(CTX + "await ctx.storage.persistent.set('preferences', {theme: 'dark'}, {ttl: 5});"
                + "await ctx.storage.persistent.shared.set('cfg', [true, 'x']);");
        assertEquals(List.of(
                "PUT /api/v1/extensions/acme/notes/storage/persistent/preferences | application/json"
                        + " | application/json | csrf-1 | null | {\"value\":{\"theme\":\"dark\"}}",
                "PUT /api/v1/extensions/acme/notes/storage/persistent/cfg?shared=true | application/json"
                        + " | application/json | csrf-1 | null | {\"value\":[true,\"x\"]}"), requests);
    }

    @Test
    void forResourceAddsTheResourceToEveryRequestAndRefusesBadArguments() {
        answer(200, "application/json", "{\"result\":[],\"count\":0}");
        String out = browser.run(CTX + """
                const d = ctx.storage.persistent.forResource('dashboard', 'ABCDEF01-2345-4678-9ABC-DEF012345678');
                await d.set('k', 1);
                await d.shared.remove('k');
                await ctx.storage.persistent.shared.forResource('chart', '00000000-0000-4000-8000-000000000001')
                    .get('k');
                await d.list({page: 1, pageSize: 5});
                const r = [d.shared.shared === d.shared];
                for (const args of [['Dash', 'ABCDEF01-2345-4678-9ABC-DEF012345678'], ['dashboard', 'x'],
                                    ['dashboard'], [1, 2]]) {
                  try { ctx.storage.persistent.forResource(...args); r.push('made'); } catch (e) { r.push(e.code); }
                }
                return r;
                """);
        assertEquals("{\"ok\":[true,\"INVALID_QUERY\",\"INVALID_QUERY\",\"INVALID_QUERY\",\"INVALID_QUERY\"]}",
                out);
        String d = "resource_type=dashboard&resource_uuid=abcdef01-2345-4678-9abc-def012345678";
        assertEquals(List.of(
                "PUT /api/v1/extensions/acme/notes/storage/persistent/k?" + d + " | application/json"
                        + " | application/json | csrf-1 | null | {\"value\":1}",
                "DELETE /api/v1/extensions/acme/notes/storage/persistent/k?shared=true&" + d
                        + " | null | application/json | csrf-1 | null | ",
                "GET /api/v1/extensions/acme/notes/storage/persistent/k?shared=true&resource_type=chart"
                        + "&resource_uuid=00000000-0000-4000-8000-000000000001 | null | application/json | csrf-1"
                        + " | null | ",
                "GET /api/v1/extensions/acme/notes/storage/persistent?page=1&page_size=5&" + d
                        + " | null | application/json | csrf-1 | null | "), requests);
    }

    @Test
    void removeSendsDelete() {
        answer(200, "application/json", "{\"message\":\"Value deleted successfully\"}");
        String out = browser.run(CTX + "return await ctx.storage.persistent.remove('preferences');");
        assertEquals("{\"ok\":\"<undefined>\"}", out);
        assertEquals(List.of("DELETE /api/v1/extensions/acme/notes/storage/persistent/preferences | null"
                + " | application/json | csrf-1 | null | "), requests);
    }

    @Test
    void listSendsPagingAndResolvesTheBody() {
        answer(200, "application/json", "{\"result\":[{\"key\":\"a\",\"value\":1}],\"count\":7}");
        String out = browser.run(CTX + "return [await ctx.storage.persistent.list({page: 2, pageSize: 5}),"
                + " await ctx.storage.persistent.shared.list()];");
        assertEquals("{\"ok\":[{\"result\":[{\"key\":\"a\",\"value\":1}],\"count\":7},"
                + "{\"result\":[{\"key\":\"a\",\"value\":1}],\"count\":7}]}", out);
        assertTrue(requests.get(0).startsWith("GET /api/v1/extensions/acme/notes/storage/persistent?page=2&page_size=5 |"),
                requests.get(0));
        assertTrue(requests.get(1).startsWith(
                "GET /api/v1/extensions/acme/notes/storage/persistent?page=0&page_size=10&shared=true |"),
                requests.get(1));
    }

    /** Browser bytes: 2 per UTF-16 code unit of storage key plus stored text, user and shared apart. */
    @Test
    void usageIsTheServersRecordPlusThisExtensionsWebStorageBytes() {
        answer(200, "application/json", "{\"result\":{\"persistent\":{\"bytes\":5},\"ephemeral\":{\"bytes\":6}}}");
        String out = browser.run(CTX + """
                localStorage.clear(); sessionStorage.clear();
                await ctx.storage.local.set('k', 'ab');           // ext-storage:acme.notes:user:alice:k (35) "ab" (4)
                await ctx.storage.local.shared.set('kk', 1);      // ext-storage:acme.notes:shared:kk (32) 1 (1)
                await ctx.storage.session.shared.set('s', true);  // ext-storage:acme.notes:shared:s (31) true (4)
                localStorage.setItem('ext-storage:acme.other:shared:k', 'not ours');
                const u = await ctx.storage.usage();
                localStorage.clear(); sessionStorage.clear();
                return u;
                """);
        assertEquals("{\"ok\":{\"persistent\":{\"bytes\":5},\"ephemeral\":{\"bytes\":6},"
                + "\"local\":{\"bytes\":144,\"userBytes\":78,\"sharedBytes\":66},"
                + "\"session\":{\"bytes\":70,\"userBytes\":0,\"sharedBytes\":70}}}", out);
        assertTrue(requests.get(0).startsWith("GET /api/v1/extensions/acme/notes/storage/usage |"), requests.get(0));
    }

    @Test
    void binaryValuesTravelAsBase64AndComeBackAsBytes() {
        answer(200, "application/json", "{\"message\":\"Value stored successfully\"}");
        String put = browser.run(CTX + "await ctx.storage.persistent.set('b', new Uint8Array([0, 255, 128]));"
                + " await ctx.storage.ephemeral.set('b', new Uint8Array([1]).buffer, {ttl: 9});"
                + " await ctx.storage.persistent.set('e', {x: 1}, {encrypt: true}); return 1;");
        assertEquals("{\"ok\":1}", put);
        assertTrue(requests.get(0).endsWith("| {\"value\":\"AP+A\",\"isBinary\":true}"), requests.get(0));
        assertTrue(requests.get(1).endsWith("| {\"value\":\"AQ==\",\"isBinary\":true,\"ttl\":9}"), requests.get(1));
        assertTrue(requests.get(2).endsWith("| {\"value\":{\"x\":1},\"encrypt\":true}"), requests.get(2));
        answer(200, "application/json", "{\"result\":\"AP+A\",\"isBinary\":true}");
        String got = browser.run(CTX + "const v = await ctx.storage.persistent.get('b');"
                + " const e = await ctx.storage.ephemeral.getEntry('b');"
                + " return [v instanceof Uint8Array, Array.from(v), Array.from(e.value)];");
        assertEquals("{\"ok\":[true,[0,255,128],[0,255,128]]}", got);
        answer(200, "application/json", "{\"result\":[{\"key\":\"b\",\"value\":\"AP8=\",\"isBinary\":true},"
                + "{\"key\":\"s\",\"value\":\"AP8=\"}],\"count\":2}");
        String listed = browser.run(CTX + "const p = await ctx.storage.persistent.list();"
                + " return [Array.from(p.result[0].value), p.result[1].value, p.count];");
        assertEquals("{\"ok\":[[0,255],\"AP8=\",2]}", listed);
    }

    @Test
    void encryptRefusedByTheServerRejectsWithItsCode() {
        answer(400, "application/json", "{\"code\":\"INVALID_BODY\",\"message\":\"no key ring\"}");
        String out = browser.run(CTX + "try { await ctx.storage.persistent.shared.set('e', 1, {encrypt: true}); }"
                + " catch (e) { return [e instanceof Error, e.code, e.status]; }");
        assertEquals("{\"ok\":[true,\"INVALID_BODY\",400]}", out);
    }

    @Test
    void ephemeralListSendsThePrefixPercentEncoded() {
        answer(200, "application/json", "{\"result\":[],\"count\":0}");
        String out = browser.run(CTX + "return await ctx.storage.ephemeral.shared.list({prefix: 'a*?[\\\\:%&+#'});");
        assertEquals("{\"ok\":{\"result\":[],\"count\":0}}", out);
        assertTrue(requests.get(0).startsWith("GET /api/v1/extensions/acme/notes/storage/ephemeral?page=0&page_size=10"
                + "&prefix=a%2A%3F%5B%5C%3A%25%26%2B%23&shared=true |"), requests.get(0));
    }

    @Test
    void headersFunctionIsCalledForEveryRequestAndMayBeAsync() {
        browser.run("""
                let n = 0;
                const ctx = m.createExtensionContext({publisher: 'acme', name: 'notes', user: {id: 'alice'},
                    apiBase: location.origin + '/', credentials: 'omit',
                    headers: async () => ({Authorization: 'Bearer t' + (++n), 'content-type': 'text/plain'})});
                await ctx.storage.persistent.get('a');
                await ctx.storage.persistent.set('b', 1);
                """);
        assertEquals(List.of(
                "GET /api/v1/extensions/acme/notes/storage/persistent/a | text/plain | application/json | null"
                        + " | Bearer t1 | ",
                "PUT /api/v1/extensions/acme/notes/storage/persistent/b | application/json | application/json | null"
                        + " | Bearer t2 | {\"value\":1}"), requests);
    }

    @Test
    void invalidInputAndMissingUserSendNothing() {
        String out = browser.run(CTX + """
                const noUser = m.createExtensionContext({publisher: 'acme', name: 'notes'});
                const codes = [];
                for (const f of [() => ctx.storage.ephemeral.set('k', 1), () => ctx.storage.ephemeral.set('k', 1, {ttl: 0}),
                                 () => ctx.storage.ephemeral.set('k', 1, {ttl: 1.5}), () => ctx.storage.persistent.set('', 1),
                                 () => ctx.storage.persistent.set('k', () => 1), () => ctx.storage.persistent.set('k', 'x'.repeat(1048576)),
                                 () => noUser.storage.persistent.get('k'), () => noUser.storage.ephemeral.remove('k')]) {
                  try { await f(); codes.push('resolved'); } catch (e) { codes.push(e.code + ':' + e.status); }
                }
                await noUser.storage.persistent.shared.get('k');
                return codes;
                """);
        assertEquals("{\"ok\":[\"INVALID_TTL:undefined\",\"INVALID_TTL:undefined\",\"INVALID_TTL:undefined\","
                + "\"INVALID_KEY:undefined\",\"INVALID_VALUE:undefined\",\"VALUE_TOO_LARGE:undefined\","
                + "\"NOT_AUTHENTICATED:undefined\",\"NOT_AUTHENTICATED:undefined\"]}", out);
        // only the shared read of the user-less context went out: the server decides about shared access
        assertEquals(1, requests.size(), requests.toString());
        assertTrue(requests.get(0).startsWith("GET /api/v1/extensions/acme/notes/storage/persistent/k?shared=true"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "404|application/json|{\"message\": \"Extension not found\", \"code\": \"EXTENSION_NOT_FOUND\"}|EXTENSION_NOT_FOUND|Extension not found",
        "400|application/json|{\"message\": \"too big\", \"code\": \"VALUE_TOO_LARGE\", \"limit\": 10, \"actual\": 12}|VALUE_TOO_LARGE|too big",
        "413|application/json|{\"message\": \"quota\", \"code\": \"QUOTA_EXCEEDED\"}|QUOTA_EXCEEDED|quota",
        "403|application/json|{\"message\": \"CSRF token missing\", \"code\": \"FORBIDDEN\"}|FORBIDDEN|CSRF token missing",
        "401|text/html|<html>login</html>|NOT_AUTHENTICATED|The storage server answered HTTP 401",
        "403|text/plain||FORBIDDEN|The storage server answered HTTP 403",
        "404|text/html|<h1>Not Found</h1>|EXTENSION_NOT_FOUND|The storage server answered HTTP 404",
        "413|text/html|too large|QUOTA_EXCEEDED|The storage server answered HTTP 413",
        "415|text/plain|nope|UNSUPPORTED_MEDIA_TYPE|The storage server answered HTTP 415",
        "503|text/html|<h1>Service Unavailable</h1>|STORE_UNAVAILABLE|The storage server answered HTTP 503",
        "500|application/json|{\"error\": \"boom\"}|STORE_UNAVAILABLE|The storage server answered HTTP 500",
        "502|text/plain|bad gateway|STORE_UNAVAILABLE|The storage server answered HTTP 502",
        "400|text/plain|bad|INVALID_BODY|The storage server answered HTTP 400",
        "412|text/plain||PRECONDITION_FAILED|The storage server answered HTTP 412",
        "429|text/html|<h1>Too Many Requests</h1>|RATE_LIMITED|The storage server answered HTTP 429",
        "503|application/json|{\"message\": \"busy\", \"code\": \"SERVER_BUSY\"}|SERVER_BUSY|busy",
        "404|application/json|{\"message\": \"Not found\", \"code\": \"EXTENSION_NOT_FOUND\"}|EXTENSION_NOT_FOUND|Not found",
        "405|text/plain||INVALID_BODY|The storage server answered HTTP 405",
        "200|text/html|<html>a login page</html>|STORE_UNAVAILABLE|The storage server answered with no JSON object"})
    void answersMapToCodeAndStatus(int status, String type, String body, String code, String message) {
        answer(status, type, body == null ? "" : body);
        String out = browser.run(CTX + "return await ctx.storage.persistent.get('k');");
        assertTrue(out.startsWith("{\"error\":{\"name\":\"StorageError\",\"code\":\"" + code + "\",\"status\":"
                + status + ",\"message\":\"" + message + "\""), out);
        if (body != null && body.contains("\"limit\"")) {
            assertTrue(out.contains("\"limit\":10,\"actual\":12"), out);
        }
    }

    /** What {@code op} (a storage call) rejects with: the fields SPEC section 4 errors carry, absent ones named. */
    private static String failure(String op) {
        return browser.run(CTX + "try { await " + op + "; return 'resolved'; } catch (e) {"
                + " return {name: e.name, code: e.code, status: e.status,"
                + " retryAfter: 'retryAfter' in e ? e.retryAfter : '<absent>', limit: e.limit, actual: e.actual,"
                + " version: 'version' in e ? e.version : '<absent>', message: e.message}; }");
    }

    @Test
    void rateLimitedPassesCodeStatusAndRetryAfter() {
        answer(429, "application/json", "{\"code\":\"RATE_LIMITED\",\"message\":\"Too many requests\"}");
        answerRetryAfter = "7";
        assertEquals("{\"ok\":{\"name\":\"StorageError\",\"code\":\"RATE_LIMITED\",\"status\":429,\"retryAfter\":7,"
                + "\"version\":\"<absent>\",\"message\":\"Too many requests\"}}",
                failure("ctx.storage.persistent.set('k', 1)"));
    }

    @Test
    void serverBusyPassesCodeStatusAndRetryAfter() {
        answer(503, "application/json", "{\"code\":\"SERVER_BUSY\",\"message\":\"The server is busy\"}");
        answerRetryAfter = "2";
        assertEquals("{\"ok\":{\"name\":\"StorageError\",\"code\":\"SERVER_BUSY\",\"status\":503,\"retryAfter\":2,"
                + "\"version\":\"<absent>\",\"message\":\"The server is busy\"}}",
                failure("ctx.storage.ephemeral.get('k')"));
    }

    @Test
    void answerWithoutRetryAfterHasNone() {
        answer(429, "application/json", "{\"code\":\"RATE_LIMITED\",\"message\":\"Too many requests\"}");
        assertEquals("{\"ok\":{\"name\":\"StorageError\",\"code\":\"RATE_LIMITED\",\"status\":429,"
                + "\"retryAfter\":\"<absent>\",\"version\":\"<absent>\",\"message\":\"Too many requests\"}}",
                failure("ctx.storage.persistent.remove('k')"));
    }

    @Test
    void nonJsonServiceUnavailableIsStoreUnavailable() {
        answer(503, "text/html", "<html><body>Service Unavailable</body></html>");
        answerRetryAfter = "120";
        assertEquals("{\"ok\":{\"name\":\"StorageError\",\"code\":\"STORE_UNAVAILABLE\",\"status\":503,"
                + "\"retryAfter\":120,\"version\":\"<absent>\",\"message\":\"The storage server answered HTTP 503\"}}",
                failure("ctx.storage.persistent.get('k')"));
    }

    @Test
    void retryAfterAsHttpDateIsSecondsFromNowAndGarbageIsIgnored() {
        answer(429, "application/json", "{\"code\":\"RATE_LIMITED\",\"message\":\"slow down\"}");
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(30));
        // RFC_1123_DATE_TIME writes days 1-9 with one digit; IMF-fixdate has two
        answerRetryAfter = date.charAt(6) == ' ' ? date.substring(0, 5) + "0" + date.substring(5) : date;
        String out = failure("ctx.storage.persistent.get('k')");
        int seconds = Integer.parseInt(out.replaceFirst(".*\"retryAfter\":(\\d+),.*", "$1"));
        assertTrue(seconds >= 25 && seconds <= 31, answerRetryAfter + " -> " + out);
        answerRetryAfter = "Thu, 01 Jan 1970 00:00:00 GMT";
        assertTrue(failure("ctx.storage.persistent.get('k')").contains("\"retryAfter\":0,"));
        for (String garbage : new String[] {"-3", "soon", "1.5", "Thu, 01 Jan 1970 00:00:00 PST"}) {
            answerRetryAfter = garbage;
            String o = failure("ctx.storage.persistent.get('k')");
            assertTrue(o.contains("\"retryAfter\":\"<absent>\""), garbage + " -> " + o);
        }
    }

    @Test
    void preconditionFailedPassesCodeAndVersion() {
        answer(412, "application/json", "{\"code\":\"PRECONDITION_FAILED\",\"message\":\"Version mismatch\",\"version\":\"v7\"}");
        assertEquals("{\"ok\":{\"name\":\"StorageError\",\"code\":\"PRECONDITION_FAILED\",\"status\":412,"
                + "\"retryAfter\":\"<absent>\",\"version\":\"v7\",\"message\":\"Version mismatch\"}}",
                failure("ctx.storage.persistent.set('k', 1)"));
        answer(412, "application/json", "{\"code\":\"PRECONDITION_FAILED\",\"message\":\"Key is absent\",\"version\":null}");
        assertEquals("{\"ok\":{\"name\":\"StorageError\",\"code\":\"PRECONDITION_FAILED\",\"status\":412,"
                + "\"retryAfter\":\"<absent>\",\"version\":null,\"message\":\"Key is absent\"}}",
                failure("ctx.storage.persistent.remove('k')"));
        // a version that is not a string or null is not passed on
        answer(412, "application/json", "{\"code\":\"PRECONDITION_FAILED\",\"message\":\"odd\",\"version\":{\"a\":1}}");
        assertTrue(failure("ctx.storage.persistent.remove('k')").contains("\"version\":\"<absent>\""));
    }

    @Test
    void pageTooLargePassesCodeAndLimit() {
        answer(400, "application/json", "{\"code\":\"PAGE_TOO_LARGE\",\"message\":\"The page is too large\","
                + "\"limit\":10485760}");
        assertEquals("{\"ok\":{\"name\":\"StorageError\",\"code\":\"PAGE_TOO_LARGE\",\"status\":400,"
                + "\"retryAfter\":\"<absent>\",\"limit\":10485760,\"version\":\"<absent>\","
                + "\"message\":\"The page is too large\"}}",
                failure("ctx.storage.persistent.list({pageSize: 100})"));
    }

    @Test
    void unreachableServerRejectsWithStatusZero() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String out = browser.run("const ctx = m.createExtensionContext({publisher: 'acme', name: 'notes',"
                + " user: {id: 'alice'}, apiBase: 'http://127.0.0.1:" + closedPort + "'});"
                + "return await ctx.storage.ephemeral.get('k');");
        assertTrue(out.startsWith("{\"error\":{\"name\":\"StorageError\",\"code\":\"STORE_UNAVAILABLE\",\"status\":0,"),
                out);
    }

    @Test
    void failingHeadersFunctionRejectsWithStatusZero() {
        String out = browser.run("const ctx = m.createExtensionContext({publisher: 'acme', name: 'notes',"
                + " user: {id: 'alice'}, headers: () => { throw new Error('no token'); }});"
                + "return await ctx.storage.persistent.get('k');");
        assertTrue(out.startsWith("{\"error\":{\"name\":\"StorageError\",\"code\":\"STORE_UNAVAILABLE\",\"status\":0,"
                + "\"message\":\"The storage server could not be reached: no token\""), out);
        assertEquals(0, requests.size());
    }
}
