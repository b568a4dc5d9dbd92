package dev.extstorage.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 9, "survive hostile users": generated hostile requests against the real server process (shipped JVM
 * flags, embedded stores, rate limit off so that every request reaches the handlers). Raw sockets, so that what
 * {@link java.net.http.HttpClient} refuses can be sent: odd paths (dot segments raw and encoded, {@code %00},
 * invalid percent encodings and UTF-8, overlong keys, {@code //}, very long paths), every method, odd,
 * duplicate and lying headers (Content-Type, Authorization, cookies, Content-Length, chunked) and hostile
 * bodies (truncated JSON, random bytes, deep nesting, huge exponents, invalid UTF-8, duplicate members,
 * non-object tops, wrong TTL types).
 * <p>
 * SPEC section 4 for every answer: never a 500 (nor any 5xx but {@code 503 SERVER_BUSY}); every answer under
 * {@code /api/} a JSON object (HEAD aside), every error anywhere a JSON object with a string {@code message}
 * and a {@code code} of the list, with that code's status; no answer left hanging; no file outside the web
 * folder served.
 * <p>
 * Reproducible: case {@code i} is generated from {@code seed} and {@code i} alone. System properties:
 * {@code e2e.fuzz.seed} (printed; default fixed), {@code e2e.fuzz.cases} (default 3000), {@code e2e.fuzz.case}
 * (run that one case only, printing it and its answer). A failure prints the seed, the case index and a shrunk
 * form of the failing request.
 */
class HostileInputFuzzIT {
    private static final long DEFAULT_SEED = 20_260_909L;
    private static final int TIMEOUT_MS = 5000;
    private static final int MAX_ANSWER_BYTES = 4 << 20;
    private static final String STORAGE = "/api/v1/extensions/";

    private static ServerProcess server;
    private static int port;
    private static String tokenA;
    private static String tokenB;

    @BeforeAll
    static void startServer() throws Exception {
        TestEnvironment.requireServer();
        // every request reaches the handlers: the fuzz tests input handling, HostileLoadIT the rate limit
        server = ServerProcess.start(null, Map.of("EXT_STORAGE_RATE_PER_SECOND", "0"));
        port = java.net.URI.create(server.baseUrl()).getPort();
        tokenA = RestClient.devLogin(server.baseUrl(), "fuzz-a");
        tokenB = RestClient.devLogin(server.baseUrl(), "fuzz-b");
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
            long traces = Files.readAllLines(server.log(), StandardCharsets.UTF_8).stream()
                    .filter(l -> l.startsWith("\tat ") || l.contains("Exception in thread") || l.contains("OutOfMemoryError"))
                    .count();
            System.out.println("[fuzz] server log " + server.log() + ": " + traces + " stack-trace/OOM line(s)");
        }
    }

    // ============================================================================ the generated cases

    @Test
    void generatedHostileRequestsGetOnlyJsonAnswersAndNo500() throws Exception {
        long seed = Long.getLong("e2e.fuzz.seed", DEFAULT_SEED);
        int cases = Integer.getInteger("e2e.fuzz.cases", 3000);
        Integer only = Integer.getInteger("e2e.fuzz.case");
        System.out.println("[fuzz] seed " + seed + " (-De2e.fuzz.seed=" + seed + "), " + (only != null
                ? "case " + only + " only" : cases + " cases"));
        if (only != null) {
            Case c = generate(seed, only);
            RawHttp.Exchange e = send(c);
            System.out.println(c.describe(2000));
            System.out.println("answer: " + describe(e, 2000));
            List<String> problems = problems(c, e);
            if (!problems.isEmpty()) {
                fail("seed " + seed + " case " + only + ": " + problems);
            }
            return;
        }

        Map<String, LongAdder> statuses = new ConcurrentSkipListMap<>();
        Map<String, List<Integer>> failuresByKind = new ConcurrentSkipListMap<>();
        Map<Integer, RawHttp.Exchange> failingExchanges = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        LongAdder slowCases = new LongAdder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            for (int t = 0; t < 3; t++) {
                pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < cases && System.nanoTime() < deadline; i = next.getAndIncrement()) {
                        Case c = generate(seed, i);
                        RawHttp.Exchange e = send(c);
                        if (e.nanos() > 2_000_000_000L) {
                            slowCases.increment();
                        }
                        statuses.computeIfAbsent(statusKey(e), k -> new LongAdder()).increment();
                        for (String p : problems(c, e)) {
                            List<Integer> list = failuresByKind.computeIfAbsent(kindOf(p),
                                    k -> Collections.synchronizedList(new ArrayList<>()));
                            list.add(i);
                            failingExchanges.putIfAbsent(i, e);
                        }
                    }
                    return null;
                });
            }
        } finally {
            pool.shutdown();
            if (!pool.awaitTermination(120, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int ran = Math.min(next.get(), cases);

        StringBuilder summary = new StringBuilder();
        summary.append(String.format("%n=== HostileInputFuzzIT: seed %d, %d of %d cases in %.1f s (%.0f/s), %d took over 2 s ===%n",
                seed, ran, cases, seconds, ran / seconds, slowCases.sum()));
        summary.append("answers: ");
        statuses.forEach((k, v) -> summary.append(k).append(": ").append(v.sum()).append(", "));
        summary.append('\n');
        List<String> report = new ArrayList<>();
        if (ran < cases) {
            report.add("only " + ran + " of " + cases + " cases ran within 90 s");
        }
        int shrunk = 0;
        for (Map.Entry<String, List<Integer>> f : failuresByKind.entrySet()) {
            List<Integer> indexes = new ArrayList<>(f.getValue());
            Collections.sort(indexes);
            summary.append(String.format("FAIL %5d case(s): %s (first cases %s)%n", indexes.size(), f.getKey(),
                    indexes.subList(0, Math.min(8, indexes.size()))));
            int first = indexes.get(0);
            Case original = generate(seed, first);
            StringBuilder entry = new StringBuilder();
            entry.append(f.getKey()).append(": ").append(indexes.size()).append(" case(s); first: case ").append(first)
                    .append(" (-De2e.fuzz.seed=").append(seed).append(" -De2e.fuzz.case=").append(first).append(")");
            entry.append("\n      answer: ").append(describe(failingExchanges.get(first), 300));
            if (shrunk++ < 12) {
                Case minimal = shrink(original, f.getKey());
                entry.append("\n      minimal failing case:\n").append(minimal.describe(400).indent(8).stripTrailing());
                // a 500 has many causes: show a few more
                for (int more = 1; f.getKey().equals("status 500") && more < Math.min(4, indexes.size()); more++) {
                    Case other = shrink(generate(seed, indexes.get(more)), f.getKey());
                    entry.append("\n      and:\n").append(other.describe(400).indent(8).stripTrailing());
                }
            } else {
                entry.append("\n      case:\n").append(original.describe(400).indent(8).stripTrailing());
            }
            report.add(entry.toString());
        }
        System.out.println(summary);
        if (!report.isEmpty()) {
            fail("seed " + seed + " (rerun with -De2e.fuzz.seed=" + seed + "): " + report.size()
                    + " kind(s) of failure\n - " + String.join("\n - ", report));
        }
    }

    /** The SPEC section 4 problems of one exchange; empty when it passed. */
    private static List<String> problems(Case c, RawHttp.Exchange e) {
        List<String> problems = new ArrayList<>();
        if (e.responses().isEmpty()) {
            if (e.timedOut()) {
                problems.add("no answer within " + TIMEOUT_MS + " ms (the request was complete: the socket was shut"
                        + " for output)");
            }
            if (e.unparsable() != null) {
                problems.add("answer is not HTTP: " + e.unparsable());
            }
            return problems;
        }
        if (e.unparsable() != null) {
            problems.add("answer is not HTTP: " + e.unparsable());
        }
        for (RawHttp.Response r : e.responses()) {
            int status = r.status();
            String code = JsonChecks.codeOf(r.body());
            if (status == 500) {
                problems.add("status 500");
            } else if (status >= 500 && !(status == 503 && "SERVER_BUSY".equals(code))) {
                problems.add("status " + status + " " + code + " (no 5xx but 503 SERVER_BUSY)");
            }
            if (!r.complete()) {
                // an answer cut off by the deadline or the byte cap cannot be judged further
                continue;
            }
            boolean noBody = (c.head && r == e.responses().get(0) && r.body().length == 0) || status == 204 || status == 304;
            if (!noBody && (c.underApi() || status >= 400)) {
                if (!JsonChecks.isJsonObject(r.body())) {
                    problems.add((c.underApi() ? "API answer " : "error answer ") + "is not a JSON object (status "
                            + status + ", " + r.header("Content-Type") + ")");
                } else if (status >= 400 && (status < 500 || status == 503)) {
                    String p = JsonChecks.errorProblem(status, r.body());
                    if (p != null) {
                        problems.add("error not per SPEC section 4: " + p);
                    }
                }
            }
            if (r.bodyText().contains("root:x:0:0")) {
                problems.add("served a file outside the web folder (/etc/passwd)");
            }
        }
        return problems;
    }

    /** The failure kind a problem belongs to, for grouping: the problem without figures that vary per case. */
    private static String kindOf(String problem) {
        return problem.replaceAll("\\(\\d+ bytes\\)", "(n bytes)");
    }

    private static String statusKey(RawHttp.Exchange e) {
        if (e.responses().isEmpty()) {
            return e.timedOut() ? "no answer (timeout)" : e.rawBytes() > 0 ? "unparsable" : "closed without answer";
        }
        RawHttp.Response r = e.first();
        String code = JsonChecks.codeOf(r.body());
        return r.status() + (code == null ? "" : " " + code);
    }

    private static String describe(RawHttp.Exchange e, int max) {
        if (e == null) {
            return "-";
        }
        if (e.responses().isEmpty()) {
            return (e.timedOut() ? "no answer within " + TIMEOUT_MS + " ms" : "connection closed") + " after "
                    + e.nanos() / 1_000_000 + " ms, " + e.rawBytes() + " bytes" + (e.error() == null ? "" : ", " + e.error());
        }
        RawHttp.Response r = e.first();
        return r.statusLine() + " Content-Type: " + r.header("Content-Type") + " body: "
                + RawHttp.abbreviate(new String(r.body(), StandardCharsets.UTF_8), max)
                + (e.responses().size() > 1 ? " (+" + (e.responses().size() - 1) + " more answers)" : "")
                + " in " + e.nanos() / 1_000_000 + " ms";
    }

    private static RawHttp.Exchange send(Case c) {
        return RawHttp.exchange(port, c.bytes(), TIMEOUT_MS, MAX_ANSWER_BYTES, c.head);
    }

    /**
     * A smaller request that fails the same way: without each header in turn, with the body halved while it
     * fails, then with the query and the key shortened. At most 60 attempts.
     */
    private static Case shrink(Case original, String kind) {
        Case best = original;
        int attempts = 0;
        boolean progress = true;
        while (progress && attempts < 60) {
            progress = false;
            List<Case> candidates = new ArrayList<>();
            for (int h = 0; h < best.headers.size(); h++) {
                if (!best.headers.get(h).startsWith("Host:")) {
                    List<String> fewer = new ArrayList<>(best.headers);
                    fewer.remove(h);
                    candidates.add(best.with(best.target, fewer, best.body));
                }
            }
            if (best.body.length > 16) {
                candidates.add(best.withBody(Arrays.copyOf(best.body, best.body.length / 2)));
            }
            if (best.body.length > 0) {
                candidates.add(best.withBody(new byte[0]));
            }
            int q = best.target.indexOf('?');
            if (q > 0) {
                candidates.add(best.with(best.target.substring(0, q), best.headers, best.body));
            }
            if (best.target.length() > 120) {
                candidates.add(best.with(best.target.substring(0, best.target.length() / 2), best.headers, best.body));
            }
            for (Case candidate : candidates) {
                if (attempts++ >= 60) {
                    break;
                }
                List<String> p = problems(candidate, send(candidate));
                if (p.stream().map(HostileInputFuzzIT::kindOf).anyMatch(kind::equals)) {
                    best = candidate;
                    progress = true;
                    break;
                }
            }
        }
        return best;
    }

    // ============================================================================ contract checks

    /** SPEC sections 1 and 5: a raw {@code .} or {@code ..} segment anywhere in a storage URL is INVALID_KEY. */
    @Test
    void rawDotSegmentsInStorageUrlsAreRefusedAndStoreNothing() throws Exception {
        String token = RestClient.devLogin(server.baseUrl(), "dots");
        List<String> urls = List.of(
                "/api/v1/extensions/globex/todo/storage/persistent/x/../../../../../acme/notes/storage/persistent/k",
                "/api/v1/extensions/globex/todo/storage/persistent/../../../../acme/notes/storage/persistent/k",
                "/api/v1/extensions/globex/todo/storage/ephemeral/x/../../../../../acme/notes/storage/ephemeral/k",
                "/api/v1/extensions/globex/todo/../../extensions/acme/notes/storage/persistent/k",
                "/api/v1/extensions/globex/todo/storage/persistent/../persistent/k",
                "/api/v1/extensions/globex/todo/storage/ephemeral/../persistent/k",
                "/api/v1/./extensions/acme/notes/storage/persistent/k",
                "/api/v1/extensions/acme/notes/./storage/persistent/k",
                "/api/v1/extensions/acme/notes/storage/persistent/./k",
                "/api/v1/extensions/acme/notes/storage/persistent/k/.",
                "/api/v1/extensions/acme/notes/storage/persistent/k/..",
                "/api/v1/extensions/acme/notes/storage/persistent/.",
                "/api/v1/extensions/acme/notes/storage/persistent/..",
                "/api/v1/extensions/acme/notes/storage/ephemeral/..",
                "/api/v1/extensions/acme/notes/storage/persistent/a/./b",
                "/api/v1/extensions/acme/notes/storage/persistent/a/../k");
        List<String> wrong = new ArrayList<>();
        // first every write, then the proof that none landed anywhere, then reads and deletes
        for (String url : urls) {
            expectInvalidKey(wrong, "PUT", url, token, "{\"value\":\"dots\",\"ttl\":300}");
        }
        for (String ext : List.of("acme/notes", "globex/todo")) {
            for (String tier : List.of("persistent", "ephemeral")) {
                for (String key : List.of("k", "x", "a", "b", "x%2F..%2Fk")) {
                    RawHttp.Exchange e = raw("GET", STORAGE + ext + "/storage/" + tier + "/" + key, token, "");
                    String result = resultOf(e);
                    if (result == null) {
                        wrong.add("after the dot URLs, " + ext + " " + tier + " '" + key + "' cannot be read: "
                                + describe(e, 160));
                    } else if (!"null".equals(result)) {
                        wrong.add("after the dot URLs, " + ext + " " + tier + " '" + key + "' holds " + result);
                    }
                }
            }
            for (String scope : List.of("", "&shared=true")) {
                RawHttp.Exchange list = raw("GET", STORAGE + ext + "/storage/persistent?page=0&page_size=100" + scope, token, "");
                JsonNode listed = list.first() == null ? null : JsonChecks.tree(list.first().body());
                if (listed == null || listed.path("count").asLong(-1) != 0) {
                    wrong.add("after the dot URLs, the persistent listing of " + ext + scope + " is " + describe(list, 200));
                }
            }
        }
        // nor under the literal text after the tier, as a key with real slashes and dots in it
        for (String url : urls) {
            String[] parts = url.split("/", 9);
            if (parts.length == 9 && parts[1].equals("api") && parts[3].equals("extensions") && parts[6].equals("storage")
                    && !parts[4].startsWith(".") && !parts[5].startsWith(".") && !parts[7].startsWith(".")) {
                String literal = STORAGE + parts[4] + "/" + parts[5] + "/storage/" + parts[7] + "/"
                        + percentEncode(parts[8]);
                String result = resultOf(raw("GET", literal, token, ""));
                if (result != null && !"null".equals(result)) {
                    wrong.add("PUT " + url + " stored under the key '" + parts[8] + "': GET " + literal + " -> " + result);
                }
            }
        }
        for (String url : urls) {
            expectInvalidKey(wrong, "GET", url, token, "");
            expectInvalidKey(wrong, "DELETE", url, token, "");
        }
        if (!wrong.isEmpty()) {
            fail(wrong.size() + " dot-segment request(s) not refused with 400 INVALID_KEY, or data stored:\n  "
                    + String.join("\n  ", wrong));
        }
    }

    /**
     * SPEC section 1: {@code .} and {@code ..} alone are not keys, also percent-encoded; a key that merely holds
     * dots ({@code a.%2E} is "a..", {@code ..%2F..%2Fk} is "../../k") is an ordinary key of its own extension.
     */
    @Test
    void percentEncodedDotKeysFollowTheKeyRule() throws Exception {
        String token = RestClient.devLogin(server.baseUrl(), "encoded-dots");
        List<String> wrong = new ArrayList<>();
        for (String key : List.of("%2E", "%2e", "%2E%2E", "%2e%2E", ".%2E", "%2E.")) {
            for (String tier : List.of("persistent", "ephemeral")) {
                for (String method : List.of("PUT", "GET", "DELETE")) {
                    String url = STORAGE + "acme/notes/storage/" + tier + "/" + key;
                    RawHttp.Exchange e = raw(method, url, token, method.equals("PUT") ? "{\"value\":1,\"ttl\":300}" : "");
                    RawHttp.Response r = e.first();
                    if (r == null || r.status() != 400 || !"INVALID_KEY".equals(JsonChecks.codeOf(r.body()))) {
                        wrong.add(method + " " + url + " (the key '.' or '..') -> " + describe(e, 160));
                    }
                }
            }
        }
        Map<String, String> ordinary = new LinkedHashMap<>();
        ordinary.put("a.%2E", "a..");
        ordinary.put("%2E%2E%2E", "...");
        ordinary.put("%2E%2E%2F%2E%2E%2Fk", "../../k");
        ordinary.put("%2E%2E%2F%2E%2E%2F%2E%2E%2F%2E%2E%2Facme%2Fnotes%2Fstorage%2Fpersistent%2Fk",
                "../../../../acme/notes/storage/persistent/k");
        for (Map.Entry<String, String> k : ordinary.entrySet()) {
            String url = STORAGE + "globex/todo/storage/persistent/" + k.getKey();
            String value = "\"stored under " + k.getValue().replace("\"", "") + "\"";
            RawHttp.Exchange put = raw("PUT", url, token, "{\"value\":" + value + "}");
            if (put.first() == null || put.first().status() != 200) {
                wrong.add("PUT " + url + " (the ordinary key '" + k.getValue() + "') -> " + describe(put, 160));
                continue;
            }
            String back = resultOf(raw("GET", url, token, ""));
            if (!JsonChecks.canonical(value).equals(back)) {
                wrong.add("GET " + url + " read back " + back + ", not " + value);
            }
        }
        for (String ext : List.of("acme/notes", "globex/todo")) {
            String leaked = resultOf(raw("GET", STORAGE + ext + "/storage/persistent/k", token, ""));
            if (!"null".equals(leaked)) {
                wrong.add(ext + " persistent 'k' holds " + leaked + ": a dotted key escaped its extension");
            }
        }
        RawHttp.Exchange list = raw("GET", STORAGE + "acme/notes/storage/persistent?page=0&page_size=100", token, "");
        JsonNode listed = list.first() == null ? null : JsonChecks.tree(list.first().body());
        if (listed == null || listed.path("count").asLong(-1) != 0) {
            wrong.add("acme.notes lists entries of this user after writes to globex.todo only: " + describe(list, 200));
        }
        if (!wrong.isEmpty()) {
            fail(wrong.size() + " problem(s) with percent-encoded dots:\n  " + String.join("\n  ", wrong));
        }
    }

    /**
     * SPEC sections 3 and 11: a value is any JSON value and numbers are never expanded, so huge exponents and
     * 5,000-digit numbers are stored as written, quickly; a TTL of {@code 1e60000000} is INVALID_TTL, quickly.
     */
    @Test
    void hostileNumbersAreStoredAsWrittenAndCostWhatOneCosts() throws Exception {
        String token = RestClient.devLogin(server.baseUrl(), "numbers");
        List<String> wrong = new ArrayList<>();
        String[] values = {"1e2147483648", "-1e-2147483649", "1e999999999", "1E+99999999999999999999",
                "9".repeat(5000), "-0." + "0".repeat(4998) + "1", "12345678901234567890.5e-3000"};
        for (int i = 0; i < values.length; i++) {
            String url = STORAGE + "acme/notes/storage/persistent/n" + i;
            RawHttp.Exchange put = raw("PUT", url, token, "{\"value\":" + values[i] + "}");
            if (put.first() == null || put.first().status() != 200 || put.nanos() > 1_000_000_000L) {
                wrong.add("PUT value " + RawHttp.abbreviate(values[i], 40) + " -> " + describe(put, 160)
                        + " (expected 200 within 1 s)");
                continue;
            }
            RawHttp.Exchange get = raw("GET", url, token, "");
            String back = resultOf(get);
            if (back == null || !back.equals(JsonChecks.canonical(values[i]))
                    || get.nanos() > 1_000_000_000L) {
                wrong.add("GET of " + RawHttp.abbreviate(values[i], 40) + " -> " + describe(get, 160));
            }
        }
        for (String ttl : List.of("1e60000000", "1e2147483648", "-1e60000000", "1e-60000000", "9".repeat(5000))) {
            String body = "{\"value\":1,\"ttl\":" + ttl + "}";
            RawHttp.Exchange e = raw("PUT", STORAGE + "acme/notes/storage/ephemeral/t", token, body);
            RawHttp.Response r = e.first();
            if (r == null || r.status() != 400 || !"INVALID_TTL".equals(JsonChecks.codeOf(r.body()))
                    || e.nanos() > 1_000_000_000L) {
                wrong.add("PUT " + RawHttp.abbreviate(body, 60) + " -> " + describe(e, 160)
                        + " (expected 400 INVALID_TTL within 1 s)");
            }
        }
        if (!wrong.isEmpty()) {
            fail(wrong.size() + " problem(s) with hostile numbers:\n  " + String.join("\n  ", wrong));
        }
    }

    /**
     * SPEC sections 4 and 11: nesting above 64 levels is INVALID_VALUE at any depth, refused quickly; bodies above
     * the limits are VALUE_TOO_LARGE, or QUOTA_EXCEEDED when far above, also when they lie about their length.
     */
    @Test
    void deepAndOversizedBodiesAreRefusedQuickly() throws Exception {
        String token = RestClient.devLogin(server.baseUrl(), "bodies");
        String url = STORAGE + "acme/notes/storage/persistent/b";
        List<String> wrong = new ArrayList<>();
        expect(wrong, raw("PUT", url, token, "{\"value\":" + "[".repeat(64) + "]".repeat(64) + "}"), 200, null, "depth 64");
        for (int depth : new int[] {65, 1_000, 100_000}) {
            expect(wrong, raw("PUT", url, token, "{\"value\":" + "[".repeat(depth) + "]".repeat(depth) + "}"), 400,
                    "INVALID_VALUE", "arrays " + depth + " deep");
            expect(wrong, raw("PUT", url, token, "{\"value\":" + "{\"a\":".repeat(depth) + "1" + "}".repeat(depth) + "}"),
                    400, "INVALID_VALUE", "objects " + depth + " deep");
        }
        expect(wrong, raw("PUT", url, token, "{\"value\":\"" + "v".repeat(1_048_576) + "\"}"), 400, "VALUE_TOO_LARGE",
                "a value of 1 MiB + 2 bytes");
        StringBuilder many = new StringBuilder(6_000_100).append("{\"value\":[");
        while (many.length() < 6_000_000) {
            many.append("{},");
        }
        expect(wrong, raw("PUT", url, token, many.append("{}]}").toString()), 400, "VALUE_TOO_LARGE",
                "6 MB of empty objects");
        String huge = "{\"value\":\"" + "w".repeat(8_000_000) + "\"}";
        expect(wrong, raw("PUT", url, token, huge), 413, "QUOTA_EXCEEDED", "an 8 MB body");
        String head = "PUT " + url + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: application/json\r\nConnection: close\r\n";
        expect(wrong, RawHttp.exchange(port, (head + "Content-Length: 1000000000000\r\n\r\n{\"value\":1}")
                .getBytes(StandardCharsets.ISO_8859_1), TIMEOUT_MS, MAX_ANSWER_BYTES, false), 413, "QUOTA_EXCEEDED",
                "Content-Length 10^12 with a 11-byte body");
        expect(wrong, RawHttp.exchange(port, (head + "Transfer-Encoding: chunked\r\n\r\n" + chunked(huge.getBytes(
                StandardCharsets.US_ASCII), 65536)).getBytes(StandardCharsets.ISO_8859_1), TIMEOUT_MS,
                MAX_ANSWER_BYTES, false), 413, "QUOTA_EXCEEDED", "an 8 MB chunked body");
        if (!wrong.isEmpty()) {
            fail(wrong.size() + " problem(s) with deep or oversized bodies:\n  " + String.join("\n  ", wrong));
        }
    }

    private static void expectInvalidKey(List<String> wrong, String method, String url, String token, String body) {
        RawHttp.Exchange e = raw(method, url, token, body);
        RawHttp.Response r = e.first();
        if (r == null || r.status() != 400 || !"INVALID_KEY".equals(JsonChecks.codeOf(r.body()))) {
            wrong.add(method + " " + url + " -> " + describe(e, 160));
        }
    }

    private static void expect(List<String> wrong, RawHttp.Exchange e, int status, String code, String what) {
        RawHttp.Response r = e.first();
        boolean ok = r != null && r.status() == status && (code == null || code.equals(JsonChecks.codeOf(r.body())))
                && e.nanos() < 2_000_000_000L;
        if (!ok) {
            wrong.add(what + ": expected " + status + (code == null ? "" : " " + code) + " within 2 s, got "
                    + describe(e, 160));
        }
    }

    private static RawHttp.Exchange raw(String method, String target, String token, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String head = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                + "Authorization: Bearer " + token + "\r\nConnection: close\r\n"
                + (method.equals("PUT") ? "Content-Type: application/json\r\n" : "")
                + (b.length > 0 || method.equals("PUT") ? "Content-Length: " + b.length + "\r\n" : "") + "\r\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(b);
        return RawHttp.exchange(port, out.toByteArray(), TIMEOUT_MS, MAX_ANSWER_BYTES, method.equals("HEAD"));
    }

    /** The {@code result} of a 200 answer in canonical form ({@link JsonChecks#canonical}), or {@code null}. */
    private static String resultOf(RawHttp.Exchange e) throws IOException {
        RawHttp.Response r = e.first();
        if (r == null || r.status() != 200) {
            return null;
        }
        return JsonChecks.canonicalResult(r.body());
    }

    private static String chunked(byte[] body, int chunk) {
        StringBuilder b = new StringBuilder(body.length + body.length / chunk * 10 + 10);
        for (int at = 0; at < body.length; at += chunk) {
            int n = Math.min(chunk, body.length - at);
            b.append(Integer.toHexString(n)).append("\r\n")
                    .append(new String(body, at, n, StandardCharsets.ISO_8859_1)).append("\r\n");
        }
        return b.append("0\r\n\r\n").toString();
    }

    // ============================================================================ the generator

    /**
     * One request. {@code target} and header lines are byte strings (each char one byte, ISO-8859-1), so that
     * raw non-ASCII, control and invalid UTF-8 bytes can be placed anywhere.
     */
    static final class Case {
        final int index;
        final String requestLine;
        final String method;
        final String target;
        final List<String> headers;
        final byte[] body;
        final boolean head;

        static Case of(int index, String method, String target, String version, List<String> headers, byte[] body) {
            return new Case(index, method + " " + target + " " + version, method, target, headers, body);
        }

        private Case(int index, String requestLine, String method, String target, List<String> headers, byte[] body) {
            this.index = index;
            this.requestLine = requestLine;
            this.method = method;
            this.target = target;
            this.headers = List.copyOf(headers);
            this.body = body;
            this.head = method.equals("HEAD");
        }

        Case with(String newTarget, List<String> newHeaders, byte[] newBody) {
            String line = requestLine.replace(" " + target + " ", " " + newTarget + " ");
            return new Case(index, line, method, newTarget, adjustLength(newHeaders, body.length, newBody.length), newBody);
        }

        Case withBody(byte[] newBody) {
            return with(target, headers, newBody);
        }

        /** A Content-Length that matched the old body is made to match the new one. */
        private static List<String> adjustLength(List<String> headers, int oldLength, int newLength) {
            List<String> out = new ArrayList<>();
            for (String h : headers) {
                out.add(h.equals("Content-Length: " + oldLength) ? "Content-Length: " + newLength : h);
            }
            return out;
        }

        boolean underApi() {
            String t = target;
            if (t.startsWith("http://") || t.startsWith("https://")) {
                int slash = t.indexOf('/', t.indexOf("//") + 2);
                t = slash < 0 ? "/" : t.substring(slash);
            }
            return t.startsWith("/api/");
        }

        byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 512);
            out.writeBytes((requestLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            for (String h : headers) {
                out.writeBytes((h + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(body);
            return out.toByteArray();
        }

        String describe(int max) {
            StringBuilder b = new StringBuilder();
            b.append("case ").append(index).append(": ").append(RawHttp.abbreviate(requestLine, max)).append('\n');
            for (String h : headers) {
                b.append("  ").append(RawHttp.abbreviate(h, Math.min(max, 200))).append('\n');
            }
            b.append("  body (").append(body.length).append(" bytes): ")
                    .append(RawHttp.abbreviate(new String(body, 0, Math.min(body.length, max), StandardCharsets.ISO_8859_1), max));
            return b.toString();
        }
    }

    static Case generate(long seed, int index) {
        Random r = new Random(seed * 1_000_003L + index * 0x9E3779B97F4A7C15L);
        String method = pickWeighted(r, new String[] {"GET", "PUT", "DELETE", "HEAD", "POST", "OPTIONS", "PATCH", "ODD"},
                new int[] {24, 36, 8, 7, 7, 5, 5, 3});
        if (method.equals("ODD")) {
            method = pick(r, "TRACE", "CONNECT", "get", "FOO", "PUT\tX", "", "G\u00C9T", "PROPFIND", "PUT PUT");
        }
        String target = target(r);
        String version = r.nextInt(40) == 0 ? pick(r, "HTTP/1.0", "HTTP/2.0", "HTTP/9.9", "http/1.1", "HTTP/1.1 x", "")
                : "HTTP/1.1";
        byte[] body = body(r, method, target);
        List<String> headers = headers(r, method, body);
        if (headers.contains("Transfer-Encoding: chunked")) {
            body = chunked(body, 1 + r.nextInt(4096)).getBytes(StandardCharsets.ISO_8859_1);
        }
        return Case.of(index, method, target, version, headers, body);
    }

    // ---------------------------------------------------------------------------- targets

    private static String target(Random r) {
        int kind = r.nextInt(100);
        if (kind < 70) {
            return storageTarget(r);
        }
        if (kind < 80) {
            return pick(r, "/api/v1/ping", "/api/v1/me", "/api/v1/dev/login", "/api/v1/dev/logout", "/api/v1/extensions",
                    "/api/v1/", "/api/v1", "/api/", "/api/v1/extensions/acme/notes/storage/usage", "/api/v1/me/storage",
                    "/api/v1/admin/extensions/acme/notes/storage", "/api/v1/admin/users/fuzz-a/storage",
                    "/api/v1/extensions/acme/notes/token", "/api/v2/extensions", "/api/v1/extensions/acme",
                    "/api/v1/extensions/acme/notes", "/api/v1/extensions/acme/notes/storage",
                    "/api/v1/extensions/acme/notes/storage/", "/api/v1/ping?x=" + "y".repeat(r.nextInt(3000)),
                    "/api/v1/extensions?%zz", "/api/%2e%2e/health", "/api/v1/%2E%2E/v1/ping");
        }
        if (kind < 90) {
            return pick(r, "/", "/index.html", "/health", "/host.js", "/core/index.js", "/../../etc/passwd",
                    "/..%2f..%2f..%2fetc%2fpasswd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/extensions/../../../../etc/passwd",
                    "//etc/passwd", "/\\..\\..\\etc\\passwd", "/nonexistent", "*", "http://127.0.0.1:" + port + "/api/v1/ping",
                    "http://evil.example/api/v1/ping", "", "api/v1/ping", "/%00", "/index.html%00.js", "/%C0%AE%C0%AE/etc/passwd",
                    "/extensions/acme.notes/../../../../../../etc/passwd", "/.git/config", "/WEB-INF/web.xml",
                    "/" + "a/".repeat(2000));
        }
        return mutate(r, storageTarget(r));
    }

    private static String storageTarget(Random r) {
        List<String> segments = new ArrayList<>(List.of("api", "v1", "extensions"));
        int ext = r.nextInt(100);
        if (ext < 70) {
            segments.addAll(List.of("acme", "notes"));
        } else if (ext < 82) {
            segments.addAll(List.of("globex", "todo"));
        } else if (ext < 88) {
            segments.addAll(List.of("nope", "ext"));
        } else {
            segments.addAll(List.of(pick(r, "ACME/notes", "acme", "acme/notes/extra", "a..b/c", "%61cme/notes",
                    "acme/no%74es", "-x/y", "p".repeat(65) + "/n", "/", "acme%2Fnotes/x", "acme/notes%00", "%/%",
                    "\u00e4cme/notes", "acme/" + "n".repeat(300)).split("/", -1)));
        }
        segments.add("storage");
        int tier = r.nextInt(100);
        segments.add(tier < 45 ? "persistent" : tier < 85 ? "ephemeral"
                : pick(r, "session", "local", "PERSISTENT", "persistent%20", "usage", "", "persistent;x=1",
                "%70ersistent", "ephemeral%2F", "events2", "x".repeat(300)));
        boolean listing = r.nextInt(100) < 15;
        if (!listing) {
            segments.add(key(r));
        }
        if (r.nextInt(100) < 10) {
            int at = 3 + r.nextInt(segments.size() - 2);
            segments.add(Math.min(at, segments.size()), pick(r, ".", "..", "%2E", "%2e%2E", "..", ".", "...", ".%2E"));
            if (r.nextBoolean()) {
                segments.add(Math.min(at + 1, segments.size()), pick(r, "..", "x"));
            }
        }
        String path = "/" + String.join("/", segments);
        if (listing || r.nextInt(100) < 25) {
            path += "?" + query(r, listing);
        }
        return path;
    }

    private static String query(Random r, boolean listing) {
        List<String> parts = new ArrayList<>();
        if (r.nextInt(3) == 0) {
            parts.add(pick(r, "shared=true", "shared=TRUE", "shared=True", "shared=yes", "shared=1", "shared", "shared=",
                    "shared=true&shared=false", "shared=%74rue", "shared=true%00"));
        }
        if (listing || r.nextInt(4) == 0) {
            parts.add("page=" + pick(r, "0", "1", "-1", "1e3", "99999999999999999999", "0x10", "", "%30", "1.0", "0&page=1",
                    "2147483648", " 1"));
            parts.add("page_size=" + pick(r, "10", "100", "101", "0", "-5", "1000000", "1e2", "abc", "", "100&page_size=1",
                    "9223372036854775808"));
        }
        if (r.nextInt(8) == 0) {
            parts.add(pick(r, "%zz", "a=%00", "x=" + "q".repeat(r.nextInt(9000)), "prefix=a%2Fb", "prefix=%FF",
                    "resource_type=x&resource_uuid=not-a-uuid", "&&&", "=", "a==b", "#frag"));
        }
        Collections.shuffle(parts, r);
        return String.join("&", parts);
    }

    /** One key segment as sent on the wire (a byte string). */
    private static String key(Random r) {
        int parts = 1 + (r.nextInt(4) == 0 ? r.nextInt(3) : 0);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < parts; i++) {
            b.append(keyPart(r));
        }
        return b.toString();
    }

    private static String keyPart(Random r) {
        int kind = r.nextInt(100);
        if (kind < 30) {
            return "k" + r.nextInt(50);
        }
        if (kind < 42) {
            return percentEncode(randomText(r, 1 + r.nextInt(12)));
        }
        if (kind < 48) {
            return latin1(randomText(r, 1 + r.nextInt(6)).getBytes(StandardCharsets.UTF_8));
        }
        if (kind < 58) {
            return pick(r, ".", "..", "%2E", "%2E%2E", "%2e%2e", ".%2E", "a.%2E", "...", ".a", "%2E%2E%2F", "..%2F..%2Fk");
        }
        if (kind < 70) {
            return pick(r, "%00", "%0A", "%0D%0A", "%7F", "%1F", "%2F", "a%2Fb", "%25", "%", "%2", "%zz", "%G0", "%%",
                    "a%00b", "%u002E", "%C0%AE", "%E0%80%AF");
        }
        if (kind < 78) {
            return pick(r, "%C3%28", "%ED%A0%80", "%ED%B0%80", "%F4%90%80%80", "%FF", "%80", "%F0%9F%98", "%C3",
                    "\u00C3\u0028", "\u00FF\u00FE", "\u00ED\u00A0\u0080");
        }
        if (kind < 86) {
            int n = pickInt(r, 255, 256, 1000, 10_000, 254);
            return r.nextBoolean() ? "x".repeat(n) : "%F0%9F%98%80".repeat(n);
        }
        return pick(r, "a/b", "a//b", "/", "+", "%20", ";", "a;b=c", "?", "%3F", "#", "%23", "\\", "%5C..%5C", "\"",
                "%3Cscript%3E", "'", "*", "~", "%7E", "a b", "a\tb", "a\u0000b", "a\rb", "%E2%80%AE", "%EF%BB%BF");
    }

    private static String mutate(Random r, String target) {
        switch (r.nextInt(9)) {
            case 0:
                return target.replaceFirst("/storage/", "//storage//");
            case 1:
                return target + "/";
            case 2:
                return target.replace("/api/", "/api//");
            case 3:
                return target + "/" + "y".repeat(pickInt(r, 8_000, 20_000, 70_000));
            case 4:
                return target.replace("/v1/", "/v1;jsessionid=x/");
            case 5:
                return target + "#" + "f".repeat(r.nextInt(20));
            case 6:
                return target.replace("/storage/", "/stor\u0000age/");
            case 7:
                return target.replace("/storage/", "/%73torage/");
            default:
                return target.toUpperCase(java.util.Locale.ROOT);
        }
    }

    // ---------------------------------------------------------------------------- headers

    private static List<String> headers(Random r, String method, byte[] body) {
        List<String> h = new ArrayList<>();
        int host = r.nextInt(100);
        if (host < 95) {
            h.add("Host: 127.0.0.1:" + port);
        } else if (host < 97) {
            h.add("Host: 127.0.0.1:" + port);
            h.add("Host: evil.example");
        } else if (host < 99) {
            h.add("Host: " + pick(r, "", "a b", "\u00ff\u00fe", "[::1", "x".repeat(300)));
        }
        int auth = r.nextInt(100);
        if (auth < 55) {
            h.add("Authorization: Bearer " + tokenA);
        } else if (auth < 63) {
            h.add("Authorization: Bearer " + tokenB);
        } else if (auth < 70) {
            h.add("Cookie: session=" + tokenA);
            if (r.nextBoolean()) {
                h.add("X-CSRF-Token: " + pick(r, "x", "", "\u00ff"));
            }
        } else if (auth < 90) {
            h.add("Authorization: " + pick(r, "Bearer", "Bearer ", "Bearer x.y.z", "Basic Zm9vOmJhcg==",
                    "Bearer " + algNone(), "Bearer " + tamper(tokenA), "Bearer " + "A".repeat(20_000),
                    "bearer " + tokenA, "Bearer  " + tokenA, "Bearer " + tokenA + ",Bearer x", "Bearer \u00e9\u00ff",
                    "Bearer " + tokenA.substring(0, tokenA.length() / 2), "Bearer ..", "Bearer a.b", "Negotiate x",
                    "Bearer " + tokenA + "\u0000"));
            if (r.nextInt(4) == 0) {
                h.add("Authorization: Bearer " + tokenB);
            }
        }
        if (r.nextInt(100) < 6) {
            h.add("Cookie: " + pick(r, "session=" + "c".repeat(16_000), "a=" + "c".repeat(100_000),
                    "session=;session=" + tokenA, "session", "=x", manyCookies(), "session=\u00ff\u00fe"));
        }
        if (body.length > 0 || method.equals("PUT") || r.nextInt(10) == 0) {
            int ct = r.nextInt(100);
            if (ct < 72) {
                h.add("Content-Type: application/json");
            } else if (ct < 80) {
                // none
            } else if (ct < 84) {
                h.add("Content-Type: application/json");
                h.add("Content-Type: " + pick(r, "text/plain", "application/json"));
            } else {
                h.add("Content-Type: " + pick(r, "application/JSON; charset=UTF-8", "text/plain", "application/json; charset=latin1",
                        "application/json, text/html", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                        "application/merge-patch+json", "application/json;;;", "\u00ff\u00fe", "", "application/",
                        "application/json; charset=utf-16", "*/*", "application/json\u0000"));
            }
        }
        int framing = r.nextInt(100);
        if (framing < 78) {
            if (body.length > 0 || method.equals("PUT") || method.equals("POST")) {
                h.add("Content-Length: " + body.length);
            }
        } else if (framing < 83) {
            // neither a length nor chunks: a body, if any, reads as the next request
        } else if (framing < 87) {
            h.add("Content-Length: " + Math.max(0, body.length - 1 - r.nextInt(Math.max(1, body.length))));
        } else if (framing < 91) {
            h.add("Content-Length: " + (body.length + 1 + r.nextInt(1000)));
        } else if (framing < 95) {
            h.add("Transfer-Encoding: chunked");
            // generate() sends the body as chunks
        } else {
            h.add(pick(r, "Content-Length: -1", "Content-Length: abc", "Content-Length: 99999999999999999999",
                    "Content-Length: +" + body.length, "Content-Length: " + body.length + ", " + body.length,
                    "Content-Length: 0x10", "Transfer-Encoding: chunked, gzip", "Transfer-Encoding: gzip",
                    "Transfer-Encoding: identity", "Content-Length: " + body.length + "\r\nContent-Length: " + (body.length + 5),
                    "Content-Length: " + body.length + "\r\nTransfer-Encoding: chunked"));
        }
        if (r.nextInt(100) < 12) {
            h.add(pick(r, "Expect: 100-continue", "If-Match: garbage", "If-Match: \"x\"", "If-None-Match: *",
                    "If-None-Match: \"" + "e".repeat(5000) + "\"", "X-CSRF-Token: x", "Accept: */*", "Accept: text/html",
                    "Content-Encoding: gzip", "Content-Encoding: br", "X-Folded: a\r\n b", "NoColonHeader",
                    "Bad Name: x", "X-Nul: a\u0000b", "X-Big: " + "b".repeat(10_000), manyHeaders(), "Connection: keep-alive",
                    "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA", "X-Forwarded-For: 1.2.3.4",
                    "Range: bytes=0-1", ": empty-name", "Content-Range: bytes 0-1/2"));
        }
        if (r.nextInt(10) != 0) {
            h.add("Connection: close");
        }
        return h;
    }

    private static String manyCookies() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            b.append(i == 0 ? "" : "; ").append("c").append(i).append("=v").append(i);
        }
        return b.toString();
    }

    private static String manyHeaders() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            b.append(i == 0 ? "" : "\r\n").append("X-H").append(i).append(": v");
        }
        return b.toString();
    }

    private static String algNone() {
        java.util.Base64.Encoder e = java.util.Base64.getUrlEncoder().withoutPadding();
        return e.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + e.encodeToString("{\"sub\":\"fuzz-a\",\"exp\":4102444800}"
                .getBytes(StandardCharsets.UTF_8)) + ".";
    }

    private static String tamper(String token) {
        char last = token.charAt(token.length() - 2);
        return token.substring(0, token.length() - 2) + (last == 'A' ? 'B' : 'A') + token.charAt(token.length() - 1);
    }

    // ---------------------------------------------------------------------------- bodies

    private static byte[] body(Random r, String method, String target) {
        boolean carries = method.equals("PUT") || method.equals("POST") || method.equals("PATCH") || r.nextInt(12) == 0;
        if (!carries) {
            return new byte[0];
        }
        if (target.contains("/dev/login")) {
            return utf8(pick(r, "{\"user\":\"fuzz-login\"}", "{\"user\":\"\"}", "{\"user\":null}", "{\"user\":\"a\\u0000b\"}",
                    "{\"user\":\"" + "u".repeat(10_000) + "\"}", "{\"user\":[\"x\"]}", "{}", "[]", "user=x", "{\"user\":\"a:b%c\"}",
                    "{\"user\":\"\\uD800\"}", "{\"user\":1e999999999}"));
        }
        boolean ephemeral = target.contains("/ephemeral");
        int kind = r.nextInt(100);
        if (kind < 32) {
            return utf8(validBody(r, ephemeral));
        }
        if (kind < 38) {
            byte[] valid = utf8(validBody(r, ephemeral));
            return Arrays.copyOf(valid, r.nextInt(Math.max(1, valid.length)));
        }
        if (kind < 42) {
            byte[] random = new byte[r.nextInt(2000)];
            r.nextBytes(random);
            return random;
        }
        if (kind < 50) {
            int depth = pickInt(r, 63, 64, 65, 1_000, 5_000, 100_000);
            boolean arrays = r.nextBoolean();
            String open = arrays ? "[" : "{\"a\":";
            String close = arrays ? "]" : "}";
            return utf8("{\"value\":" + open.repeat(depth) + (arrays ? "" : "1") + close.repeat(depth)
                    + (ephemeral ? ",\"ttl\":60}" : "}"));
        }
        if (kind < 57) {
            String number = pick(r, "1e999999999", "1e2147483648", "-1e-2147483649", "1E+99999999999999999999", "0e99999999999",
                    "1.0e-0000000000000000000005", "9".repeat(5000), "-0." + "0".repeat(5000) + "1", "1" + "0".repeat(100_000),
                    "1e", "-", "01", "1.", ".5", "+1", "0x10", "1e+-5", "NaN", "-Infinity");
            return utf8("{\"value\":" + number + (ephemeral ? ",\"ttl\":60}" : "}"));
        }
        if (kind < 62) {
            byte[][] invalid = {{(byte) 0xC3, 0x28}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xFF},
                    {(byte) 0xC0, (byte) 0xAE}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0x80},
                    {(byte) 0xF0, (byte) 0x9F, (byte) 0x98}};
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(utf8(r.nextBoolean() ? "{\"value\":\"a" : "{\"va"));
            out.writeBytes(invalid[r.nextInt(invalid.length)]);
            out.writeBytes(utf8(r.nextBoolean() ? "b\"" + (ephemeral ? ",\"ttl\":60}" : "}") : "lue\":1}"));
            return out.toByteArray();
        }
        if (kind < 67) {
            return utf8(pick(r, "{\"value\":1,\"value\":2}", "{\"value\":{\"a\":1,\"a\":2}}", "{\"value\":1,\"ttl\":1,\"ttl\":2}",
                    "{\"value\":[{\"x\":1,\"x\":1}]}", "{\"value\":1,\"\\u0076alue\":2}"));
        }
        if (kind < 72) {
            return utf8(pick(r, "[]", "[{\"value\":1}]", "1", "\"value\"", "null", "true", "", " ", "\n\t ",
                    "\uFEFF{\"value\":1}", "{}", "{\"Value\":1}", "{\"value\":}", "{\"value\"}", "value=1"));
        }
        if (kind < 80) {
            String ttl = pick(r, "\"300\"", "1.5", "-1", "0", "3e2", "300.0", "1e3", "true", "null", "[]", "{}", "1e60000000",
                    "604801", "604800", "9223372036854775808", "-9223372036854775809", "1e-99999", "0.0000001", "1", "\"\"",
                    "300 ", "0x12C", "1" + "0".repeat(5000));
            return utf8("{\"value\":" + randomValue(r, 2) + ",\"ttl\":" + ttl + "}");
        }
        if (kind < 85) {
            return utf8("{\"value\":" + pick(r, "\"\\uD800\"", "\"\\uDC00x\"", "{\"\\uD800\":1}", "\"\\u0000\"", "\"a\u0001b\"",
                    "\"\\uD83D\\uDE00\"", "\"\\x41\"", "\"\\", "\"\\u12\"", "'single'") + (ephemeral ? ",\"ttl\":60}" : "}"));
        }
        if (kind < 90) {
            return utf8(pick(r, "{\"value\":1 /* c */}", "{\"value\":NaN}", "{\"value\":Infinity}", "{\"value\":[1,]}",
                    "{\"value\":1,}", "{'value':1}", "{value:1}", "{\"value\":1} x", "{\"value\":1}{\"value\":2}",
                    "{\"value\":1}\u0000", "{\"value\":\"x\",\"isBinary\":true}", "{\"value\":\"!!\",\"isBinary\":true}",
                    "{\"value\":\"AAAA\",\"isBinary\":\"yes\"}", "{\"value\":1,\"codec\":\"xml\"}",
                    "{\"value\":1,\"encrypt\":true}", "{\"value\":1,\"encrypt\":\"no\"}", "{\"value\":undefined}"));
        }
        if (kind < 93) {
            int size = r.nextInt(50) == 0 ? 7_000_000 : pickInt(r, 1_048_575, 1_048_577, 2_000_000);
            return utf8("{\"value\":\"" + "s".repeat(size) + "\"" + (ephemeral ? ",\"ttl\":60}" : "}"));
        }
        if (kind < 96) {
            byte[] valid = utf8(validBody(r, ephemeral));
            return chunkedBytes(valid, r);
        }
        StringBuilder garbage = new StringBuilder();
        int n = r.nextInt(400);
        for (int i = 0; i < n; i++) {
            garbage.append(pick(r, "{", "}", "[", "]", ":", ",", "\"", "value", "ttl", "1", "e9", "-", "null", " ", "\\", "\\u"));
        }
        return utf8(garbage.toString());
    }

    /** A body already in chunked form (used whatever the headers say: a lie is part of the case). */
    private static byte[] chunkedBytes(byte[] body, Random r) {
        String chunk = chunked(body, 1 + r.nextInt(64));
        if (r.nextInt(3) == 0) {
            chunk = chunk.replaceFirst("^[0-9a-f]+", pick(r, "zz", "-1", "ffffffffffffffff", "1;ext=1", ""));
        }
        return chunk.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String validBody(Random r, boolean ephemeral) {
        String value = randomValue(r, 4);
        if (ephemeral || r.nextInt(6) == 0) {
            return "{\"value\":" + value + ",\"ttl\":" + (1 + r.nextInt(600)) + "}";
        }
        return r.nextInt(5) == 0 ? "{\"ttl\":30,\"value\":" + value + ",\"extra\":[1,2]}" : "{\"value\":" + value + "}";
    }

    private static String randomValue(Random r, int depth) {
        int kind = r.nextInt(depth <= 0 ? 5 : 7);
        switch (kind) {
            case 0:
                return JsonChecks.quote(randomText(r, r.nextInt(20)));
            case 1:
                return pick(r, "0", "-0", "1", "-1", "3.14", "1e10", "1E-7", "123456789012345678901234567890", "0.1e1", "-2.5E+3");
            case 2:
                return pick(r, "true", "false");
            case 3:
                return "null";
            case 4:
                return Integer.toString(r.nextInt());
            case 5: {
                StringBuilder b = new StringBuilder("[");
                int n = r.nextInt(5);
                for (int i = 0; i < n; i++) {
                    b.append(i == 0 ? "" : ",").append(randomValue(r, depth - 1));
                }
                return b.append(']').toString();
            }
            default: {
                StringBuilder b = new StringBuilder("{");
                int n = r.nextInt(5);
                for (int i = 0; i < n; i++) {
                    b.append(i == 0 ? "" : ",").append(JsonChecks.quote("m" + i + randomText(r, r.nextInt(4))))
                            .append(':').append(randomValue(r, depth - 1));
                }
                return b.append('}').toString();
            }
        }
    }

    /** Text from ASCII, Latin-1, CJK, emoji and a few characters with a meaning in URLs, JSON or keys. */
    private static String randomText(Random r, int length) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int kind = r.nextInt(10);
            if (kind < 4) {
                b.append((char) ('a' + r.nextInt(26)));
            } else if (kind < 5) {
                b.append(pick(r, "/", ":", "%", " ", ".", "?", "#", "&", "=", "+", "\"", "\\", "'"));
            } else if (kind < 6) {
                b.append((char) (0xA0 + r.nextInt(0x60)));
            } else if (kind < 7) {
                b.append((char) (0x4E00 + r.nextInt(0x5000)));
            } else if (kind < 8) {
                b.appendCodePoint(0x1F600 + r.nextInt(0x50));
            } else {
                b.append((char) ('0' + r.nextInt(10)));
            }
        }
        return b.toString();
    }

    private static String percentEncode(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '~') {
                b.append((char) c);
            } else {
                b.append('%').append(String.format("%02X", c));
            }
        }
        return b.toString();
    }

    private static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** The UTF-8 bytes of {@code s}; chars of a byte string (target, headers) are written as ISO-8859-1 elsewhere. */
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @SafeVarargs
    private static <T> T pick(Random r, T... options) {
        return options[r.nextInt(options.length)];
    }

    private static int pickInt(Random r, int... options) {
        return options[r.nextInt(options.length)];
    }

    private static String pickWeighted(Random r, String[] options, int[] weights) {
        int total = Arrays.stream(weights).sum();
        int x = r.nextInt(total);
        for (int i = 0; i < options.length; i++) {
            x -= weights[i];
            if (x < 0) {
                return options[i];
            }
        }
        return options[options.length - 1];
    }
}
