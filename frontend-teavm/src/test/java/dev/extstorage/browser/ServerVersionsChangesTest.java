package dev.extstorage.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The server tiers' versions and change stream on the wire, in Chromium, against a stand-in endpoint: ETags
 * read, {@code If-Match} / {@code If-None-Match} sent, {@code update} retrying after a 412, and the event
 * stream read with the context's headers, resumed with {@code Last-Event-ID} after it ends. Behaviour against
 * the real server: e2e {@code VersionsAndChangesIT}.
 */
class ServerVersionsChangesTest {
    private static final String CTX = "const ctx = m.createExtensionContext({publisher: 'acme', name: 'notes',"
            + " user: {id: 'alice'}, headers: {Authorization: 'Bearer t1'}});";
    private static final List<String> requests = new CopyOnWriteArrayList<>();
    private static final AtomicInteger conflicts = new AtomicInteger();
    private static final AtomicInteger streams = new AtomicInteger();
    @RegisterExtension
    static final BrowserHarness browser = BrowserHarness.perClass(ServerVersionsChangesTest::answer);

    @BeforeEach
    void reset() {
        requests.clear();
        conflicts.set(0);
        streams.set(0);
    }

    private static void answer(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        String method = ex.getRequestMethod();
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(method + " " + path + " | " + ex.getRequestHeaders().getFirst("If-Match") + " | "
                + ex.getRequestHeaders().getFirst("If-None-Match") + " | "
                + ex.getRequestHeaders().getFirst("Last-Event-ID") + " | "
                + ex.getRequestHeaders().getFirst("Authorization") + " | " + body);
        if (path.endsWith("/storage/events")) {
            stream(ex);
        } else if (method.equals("GET") && path.endsWith("/missing")) {
            BrowserHarness.send(ex, 200, "application/json", "{\"result\":null}");
        } else if (method.equals("GET")) {
            ex.getResponseHeaders().set("ETag", "\"v" + (conflicts.get() + 1) + "\"");
            BrowserHarness.send(ex, 200, "application/json", "{\"result\":" + (conflicts.get() + 1) + "}");
        } else if (method.equals("PUT") && (path.endsWith("/always")
                || path.endsWith("/contended") && conflicts.incrementAndGet() <= 2)) {
            BrowserHarness.send(ex, 412, "application/json",
                    "{\"message\":\"changed\",\"code\":\"PRECONDITION_FAILED\",\"version\":\"v9\"}");
        } else {
            ex.getResponseHeaders().set("ETag", "\"new\"");
            BrowserHarness.send(ex, 200, "application/json", "{\"message\":\"Value stored successfully\"}");
        }
    }

    /** First stream: one event, then the end; the next: another event, held open briefly. */
    private static void stream(HttpExchange ex) throws IOException {
        int n = streams.incrementAndGet();
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
            String data = "{\"tier\":\"persistent\",\"scope\":\"shared\",\"key\":\"k" + n
                    + "\",\"version\":\"v" + n + "\",\"value\":{\"n\":" + n + "},\"deleted\":false}";
            String ephemeral = "{\"tier\":\"ephemeral\",\"scope\":\"user\",\"key\":\"e\",\"version\":null,"
                    + "\"deleted\":true}";
            out.write((": hi\n\nid: " + (10 + n) + "\nevent: change\ndata: " + data + "\n\n"
                    + "event: change\ndata: " + ephemeral + "\n\n" + (n == 2 ? "event: reset\ndata\n\n" : ""))
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            if (n > 1) {
                sleep(1500);
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void versionsAreEtagsAndConditionsAreHeaders() {
        String out = browser.run(CTX + """
                const p = ctx.storage.persistent.shared;
                const e = await p.getEntry('k');
                await p.set('k', 5, {ifVersion: e.version});
                await ctx.storage.ephemeral.set('k', 6, {ttl: 9, ifVersion: null});
                await p.remove('k', {ifVersion: 'v1'});
                await p.set('k', 7);
                return [e, await p.getEntry('missing')];
                """);
        assertEquals("{\"ok\":[{\"value\":1,\"version\":\"v1\"},null]}", out);
        assertEquals(List.of(
                "GET /api/v1/extensions/acme/notes/storage/persistent/k | null | null | null | Bearer t1 | ",
                "PUT /api/v1/extensions/acme/notes/storage/persistent/k | \"v1\" | null | null | Bearer t1 | {\"value\":5}",
                "PUT /api/v1/extensions/acme/notes/storage/ephemeral/k | null | * | null | Bearer t1 | "
                        + "{\"value\":6,\"ttl\":9}",
                "DELETE /api/v1/extensions/acme/notes/storage/persistent/k | \"v1\" | null | null | Bearer t1 | ",
                "PUT /api/v1/extensions/acme/notes/storage/persistent/k | null | null | null | Bearer t1 | {\"value\":7}",
                "GET /api/v1/extensions/acme/notes/storage/persistent/missing | null | null | null | Bearer t1 | "),
                requests);
    }

    @Test
    void updateRetriesAfterPreconditionFailedAndGivesUpAfterItsRetries() {
        String out = browser.run(CTX + """
                const p = ctx.storage.persistent;
                const done = await p.update('contended', (v) => v * 100);
                let code;
                try { await p.update('always', (v) => v, {retries: 0}); } catch (e) { code = e.code + ':' + e.version; }
                return [done, code];
                """);
        // two 412s, then stored: the value computed from the third read
        assertEquals("{\"ok\":[300,\"PRECONDITION_FAILED:v9\"]}", out);
        assertEquals(8, requests.size(), "3 GET + PUT for the first, 1 for the second: " + requests);
        assertTrue(requests.get(1).contains("| \"v1\" |"), requests.toString());
        assertTrue(requests.get(3).contains("| \"v2\" |"), requests.toString());
        assertTrue(requests.get(5).contains("| \"v3\" |"), requests.toString());
    }

    @Test
    void theStreamDeliversFiltersResumesAndCloses() {
        String out = browser.run(CTX + """
                const seen = [];
                const offAll = ctx.storage.onChange((c) => seen.push('all ' + JSON.stringify(c)));
                const offShared = ctx.storage.persistent.shared.onChange((c) => seen.push('p.shared ' + (c.reset ? 'reset' : c.key)));
                const offLocal = ctx.storage.local.onChange((c) => seen.push('local ' + c.key));
                await new Promise((ok) => setTimeout(ok, 1200));
                offAll(); offShared(); offLocal();
                return seen;
                """);
        assertEquals("{\"ok\":[\"all {\\\"tier\\\":\\\"persistent\\\",\\\"scope\\\":\\\"shared\\\",\\\"key\\\":\\\"k1\\\","
                + "\\\"version\\\":\\\"v1\\\",\\\"value\\\":{\\\"n\\\":1},\\\"deleted\\\":false}\",\"p.shared k1\","
                + "\"all {\\\"tier\\\":\\\"ephemeral\\\",\\\"scope\\\":\\\"user\\\",\\\"key\\\":\\\"e\\\",\\\"version\\\":null,"
                + "\\\"deleted\\\":true}\","
                + "\"all {\\\"tier\\\":\\\"persistent\\\",\\\"scope\\\":\\\"shared\\\",\\\"key\\\":\\\"k2\\\","
                + "\\\"version\\\":\\\"v2\\\",\\\"value\\\":{\\\"n\\\":2},\\\"deleted\\\":false}\",\"p.shared k2\","
                + "\"all {\\\"tier\\\":\\\"ephemeral\\\",\\\"scope\\\":\\\"user\\\",\\\"key\\\":\\\"e\\\",\\\"version\\\":null,"
                + "\\\"deleted\\\":true}\",\"all {\\\"reset\\\":true}\",\"p.shared reset\"]}", out);
        assertEquals(2, requests.size(), requests.toString());
        assertEquals("GET /api/v1/extensions/acme/notes/storage/events | null | null | null | Bearer t1 | ",
                requests.get(0));
        assertEquals("GET /api/v1/extensions/acme/notes/storage/events | null | null | 11 | Bearer t1 | ",
                requests.get(1));
    }
}
