package dev.extstorage.e2e;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 9, "survive hostile users" (SPEC sections 4 and 11), against the real server process started with the
 * shipped JVM flags (512 MiB heap, serial GC, exit on OutOfMemoryError). For about 25 s, all on loopback:
 * <ul>
 *   <li><b>bodies</b>: four users PUT ~6 MB bodies of two million empty objects, values nested 100,000 deep
 *       (arrays and objects), {@code "ttl":1e60000000}, {@code 1e2147483648}, 5,000-digit numbers and 7 MB
 *       bodies above the body limit;</li>
 *   <li><b>slow</b>: 320 raw connections held open: 280 send a PUT's headers (Content-Length 100000) and then
 *       one body byte a second, 40 send their headers one byte at a time; a connection the server closes is
 *       opened again a second later;</li>
 *   <li><b>listing</b>: a user fills its persistent user scope and the extension's shared scope with ~1 MiB
 *       values (until {@code 413 QUOTA_EXCEEDED}) and four threads list {@code page_size=100} pages of both;</li>
 *   <li><b>hog</b>: one user writes 256 KiB values until refused on the persistent tier, the ephemeral tier and
 *       the ephemeral shared scope, and keeps trying;</li>
 *   <li><b>flood</b>: one user's 24 threads send tiny GETs as fast as they can.</li>
 * </ul>
 * Meanwhile a well-behaved user ("good", paced at about 40 requests a second) loops over ephemeral PUT/GET,
 * persistent PUT/GET and a small listing. Checked afterwards: its success rate (>= 99 %) and p99 latency
 * (< 1 s); the process alive, {@code /api/v1/ping} and {@code /health} 200; no answer >= 500 but
 * {@code 503 SERVER_BUSY}; every API body JSON and every error per SPEC section 4 (429 and 503 with
 * {@code Retry-After}); no hostile body accepted; the hog refused with QUOTA_EXCEEDED on both tiers and the
 * good user never; the flood held to its rate limit; no OutOfMemoryError or stack trace in the server log; every
 * acknowledged persistent write (all users) reads back. Every figure is printed as a table, failures or not.
 * <p>
 * System properties: {@code e2e.hostile.ephemeral} = {@code redis} (default, as the other e2e tests) or
 * {@code memory} (the in-process cache); {@code e2e.hostile.seconds} (default 25); {@code e2e.hostile.attacks}
 * (default {@code bodies,slow,listing,hog,flood}: a subset shows one protection at work while others are missing).
 */
class HostileLoadIT {
    private static final String EPHEMERAL = System.getProperty("e2e.hostile.ephemeral", "redis");
    private static final long PHASE_MS = Long.getLong("e2e.hostile.seconds", 25) * 1000;
    /** The attacks to run (all by default): to see one protection at work while others are still missing. */
    private static final List<String> ATTACKS = List.of(System.getProperty("e2e.hostile.attacks",
            "bodies,slow,listing,hog,flood").split(","));
    private static final String NOTES = "/api/v1/extensions/acme/notes/storage/";
    private static final int SLOW_BODY_CONNECTIONS = 280;
    private static final int SLOW_HEADER_CONNECTIONS = 40;
    private static final int SLOW_USERS = 40;
    /**
     * SPEC section 11, "slow or idle connections are closed after bounded times": with the default settings
     * (10 s idle timeout, 4 KiB/s minimum body rate) no slow connection should live for twice the idle timeout.
     */
    private static final long SLOW_MAX_HOLD_MS = 20_000;
    /** Users (one thread each) sending hostile bodies, each at most one every {@link #BODY_CYCLE_MS}. */
    private static final int BODY_USERS = 8;
    private static final long BODY_CYCLE_MS = 250;
    /** More than a user's default share of in-flight work (16). */
    private static final int FLOOD_THREADS = 24;
    /**
     * The request rate limit of this run's server, per (user, extension): above the good user's pace (at most
     * 40 a second) and well below what the flood sends even on a slow host. The default (200 a second, a burst
     * of 400) is not: on a loaded 2-core host the flood's 24 threads were seen to send only 105 a second while
     * the other attacks ran, so a run with the defaults could not tell a working limiter from a missing one.
     */
    private static final long RATE_PER_SECOND = 50;
    private static final long RATE_BURST = 100;
    private static final int LIST_THREADS = 4;
    /** About 1 MiB encoded, just under the default 1,048,576-byte value limit. */
    private static final int LISTING_VALUE_CHARS = 1_040_000;
    private static final int HOG_VALUE_CHARS = 256 * 1024;
    private static final long GOOD_INTERVAL_MS = 25;
    private static final long WARMUP_MS = 4_000;
    private static final String CANCELLED = "cancelled at the end of the phase";

    private final Map<String, Phase> phases = new ConcurrentSkipListMap<>();
    private final Violations violations = new Violations();
    private final Acks acks = new Acks();
    private final AtomicBoolean stop = new AtomicBoolean();
    private String base;
    private int port;

    @Test
    void aWellBehavedUserIsServedWhileHostileUsersAttack() throws Exception {
        TestEnvironment.requireServer();
        String redis = EPHEMERAL.equals("memory") ? null : TestEnvironment.requireRedis();
        Map<String, String> env = new HashMap<>();
        byte[] r = new byte[4];
        new SecureRandom().nextBytes(r);
        // the Redis instance is shared with other test runs: a prefix of this run's own
        env.put("EXT_STORAGE_REDIS_PREFIX", "hostile-" + HexFormat.of().formatHex(r));
        env.put("EXT_STORAGE_RATE_PER_SECOND", Long.toString(RATE_PER_SECOND));
        env.put("EXT_STORAGE_RATE_BURST", Long.toString(RATE_BURST));
        long t0 = System.nanoTime();
        ServerProcess server = ServerProcess.start(redis, env);
        List<String> failures = new ArrayList<>();
        try {
            base = server.baseUrl();
            port = URI.create(base).getPort();
            System.out.println("[hostile] server " + base + " flags " + server.jvmOptions() + ", ephemeral "
                    + (redis == null ? "in-process cache" : "Redis " + redis) + ", log " + server.log());
            if (!server.jvmOptions().contains("-Xmx512m") || !server.jvmOptions().contains("-XX:+ExitOnOutOfMemoryError")) {
                failures.add("the server does not run with the shipped flags (512 MiB heap, exit on OOM): "
                        + server.jvmOptions());
            }
            runAttack(server, failures);
        } finally {
            server.close();
            System.out.printf("[hostile] total wall time %.1f s%n", (System.nanoTime() - t0) / 1e9);
        }
        // the log is complete only once the process ended
        checkLog(server, failures);
        if (!failures.isEmpty()) {
            fail("HostileLoadIT (ephemeral: " + EPHEMERAL + "): " + failures.size() + " failed check(s):\n - "
                    + String.join("\n - ", failures));
        }
    }

    private void runAttack(ServerProcess server, List<String> failures) throws Exception {
        Map<String, String> tokens = new HashMap<>();
        List<String> users = new ArrayList<>(List.of("good", "evil", "hog", "lister"));
        for (int i = 0; i < BODY_USERS; i++) {
            users.add("evil-body-" + i);
        }
        for (int i = 0; i < SLOW_USERS; i++) {
            users.add("evil-slow-" + i);
        }
        for (String user : users) {
            tokens.put(user, RestClient.devLogin(base, user));
        }

        ExecutorService goodPool = Executors.newFixedThreadPool(2);
        ExecutorService hostilePool = Executors.newFixedThreadPool(6);
        HttpClient goodHttp = client(goodPool);
        HttpClient hostileHttp = client(hostilePool);
        ExecutorService workers = Executors.newFixedThreadPool(3 + BODY_USERS + FLOOD_THREADS + LIST_THREADS);
        // ordinary traffic first, unmeasured: the run measures the protections under attack, not the JIT's start
        new GoodClient(goodHttp, tokens.get("good"), WARMUP_MS).run();
        GoodClient good = new GoodClient(goodHttp, tokens.get("good"), PHASE_MS);
        SlowConnections slow = new SlowConnections(tokens);
        Hog hog = new Hog(hostileHttp, tokens.get("hog"));
        long phaseStart = System.nanoTime();
        try {
            if (ATTACKS.contains("slow")) {
                workers.submit(guard("slow", slow));
            }
            for (int i = 0; i < BODY_USERS && ATTACKS.contains("bodies"); i++) {
                int k = i;
                workers.submit(guard("bodies", () -> hostileBodies(hostileHttp, tokens.get("evil-body-" + k), k)));
            }
            for (int i = 0; i < FLOOD_THREADS && ATTACKS.contains("flood"); i++) {
                workers.submit(guard("flood", () -> flood(hostileHttp, tokens.get("evil"))));
            }
            if (ATTACKS.contains("listing")) {
                workers.submit(guard("listing", () -> listing(hostileHttp, tokens.get("lister"), workers)));
            }
            if (ATTACKS.contains("hog")) {
                workers.submit(guard("hog", hog));
            }
            // the good client runs on this thread: the phase lasts as long as it does
            good.run();
        } finally {
            stop.set(true);
            workers.shutdown();
            if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
                failures.add("hostile threads did not stop within 30 s of the end of the phase");
                workers.shutdownNow();
            }
        }
        double phaseSeconds = (System.nanoTime() - phaseStart) / 1e9;

        // afterwards: alive, answering, and nothing acknowledged lost
        boolean alive = server.isAlive();
        if (!alive) {
            failures.add("the server process is not alive after the attack (exit status " + server.exitValue()
                    + "; 3 = ExitOnOutOfMemoryError)");
        }
        HttpClient after = client(goodPool);
        for (String path : List.of("/api/v1/ping", "/health")) {
            int status = alive ? statusWithin(after, path, 5) : -1;
            if (status != 200) {
                failures.add(path + " answered " + (status < 0 ? "nothing" : status) + " after the attack, not 200");
            }
        }
        ReadBack readBack = alive ? acks.verify(after, violations) : new ReadBack(0, 0, acks.size());
        goodPool.shutdownNow();
        hostilePool.shutdownNow();

        // the figures
        printSummary(phaseSeconds, good, slow, hog, readBack);

        // the verdicts
        double success = good.successRate();
        if (good.total == 0 || success < 0.99) {
            failures.add(String.format("good client: %.2f %% success (%d of %d), needs >= 99 %%; failures %s",
                    success * 100, good.ok, good.total, good.failures));
        }
        long p99 = good.percentileMillis(99);
        if (p99 >= 1000) {
            failures.add("good client: p99 latency " + p99 + " ms, needs < 1000 ms (p50 " + good.percentileMillis(50)
                    + " ms, max " + good.percentileMillis(100) + " ms)");
        }
        if (good.quotaRefusals.get() > 0) {
            failures.add("good client: " + good.quotaRefusals.get() + " writes refused with QUOTA_EXCEEDED; the"
                    + " hog's share must not take the good user's");
        }
        if (ATTACKS.contains("slow") && slow.heldTooLong.get() > 0) {
            failures.add("slow connections: " + slow.heldTooLong.get() + " held open by the server for over "
                    + SLOW_MAX_HOLD_MS / 1000 + " s (the longest " + slow.longestHoldMs.get() / 1000
                    + " s); slow or idle connections must be closed after bounded times");
        }
        if (ATTACKS.contains("hog") && (!hog.persistentRefused || !hog.ephemeralRefused)) {
            failures.add("hog: expected 413 QUOTA_EXCEEDED on both tiers; persistent " + hog.persistentRefused
                    + " (after " + hog.persistentAcked + " writes of " + HOG_VALUE_CHARS + " chars), ephemeral "
                    + hog.ephemeralRefused + " (after " + hog.ephemeralAcked + ")");
        }
        if (ATTACKS.contains("flood")) {
            checkFloodHeldToItsRate(phaseSeconds, failures);
        }
        if (readBack.lost > 0) {
            failures.add("read-back: " + readBack.lost + " of " + readBack.checked
                    + " acknowledged persistent writes did not read back with the value written");
        }
        if (readBack.unchecked > 0) {
            failures.add("read-back: " + readBack.unchecked + " acknowledged writes could not be read back at all");
        }
        violations.describeInto(failures);
    }

    /**
     * The limiter's promise, whatever the host's speed: the flood got at most what the token bucket lets through
     * in the phase (its burst plus the rate for every second, one second of slack for the requests under way
     * at either end), and whatever it sent beyond that was refused with {@code 429 RATE_LIMITED}.
     */
    private void checkFloodHeldToItsRate(double phaseSeconds, List<String> failures) {
        long sent = phase("flood").requests.sum();
        long limited = count("flood", "429 RATE_LIMITED");
        long served = phase("flood").outcomes.entrySet().stream()
                .filter(e -> e.getKey().matches("[1-4]\\d\\d( .*)?") && !e.getKey().startsWith("429"))
                .mapToLong(e -> e.getValue().sum()).sum();
        long allowed = RATE_BURST + (long) Math.ceil((phaseSeconds + 1) * RATE_PER_SECOND);
        if (served > allowed) {
            failures.add("flood: " + served + " of " + sent + " requests served in " + String.format("%.1f", phaseSeconds)
                    + " s, more than the rate limit allows (" + allowed + "); " + limited + " refused with 429");
        }
        if (sent > allowed && limited == 0) {
            failures.add("flood: no 429 RATE_LIMITED in " + sent + " requests of one user (the limit allows " + allowed + ")");
        }
        if (sent <= allowed) {
            System.out.println("[hostile] the flood sent only " + sent + " requests, within its limit of " + allowed
                    + ": the rate limiter was not put to the test in this run");
        }
    }

    // ------------------------------------------------------------------------------------------ the attackers

    /** Bodies that must be refused cheaply: huge, deep, with numbers no parser should expand. */
    private void hostileBodies(HttpClient http, String token, int user) {
        HostileBodies bodies = HostileBodies.get();
        byte[] manyObjects = bodies.manyObjects;
        byte[] manyObjectsWithTtl = bodies.manyObjectsWithTtl;
        byte[] deepArrays = bodies.deepArrays;
        byte[] deepObjects = bodies.deepObjects;
        byte[] hugeTtl = "{\"value\":1,\"ttl\":1e60000000}".getBytes(StandardCharsets.US_ASCII);
        byte[] aboveBodyLimit = bodies.aboveBodyLimit;
        String digits = "9".repeat(5000);
        int seq = 0;
        while (!stop.get()) {
            int kind = seq % 8;
            seq++;
            String key;
            byte[] body;
            boolean mustRefuse = true;
            String valueText = null;
            String tier = "persistent";
            String name;
            switch (kind) {
                case 0 -> { key = "big"; body = manyObjects; name = "6MB-of-{}"; }
                case 1 -> { key = "big"; body = manyObjectsWithTtl; tier = "ephemeral"; name = "6MB-of-{}-ephemeral"; }
                case 2 -> { key = "deep"; body = deepArrays; name = "100k-deep-arrays"; }
                case 3 -> { key = "ttl"; body = hugeTtl; tier = "ephemeral"; name = "ttl-1e60000000"; }
                case 4 -> {
                    name = "1e2147483648";
                    key = "num-" + (seq % 25);
                    valueText = (seq % 3 == 0 ? "-" : "") + (1 + seq % 9) + "e2147483648";
                    mustRefuse = false;
                    body = ("{\"value\":" + valueText + "}").getBytes(StandardCharsets.US_ASCII);
                }
                case 5 -> {
                    name = "5000-digits";
                    key = "digits-" + (seq % 25);
                    valueText = (1 + seq % 7) + digits + (seq % 2 == 0 ? ".5e-999999999" : "");
                    mustRefuse = false;
                    body = ("{\"value\":" + valueText + "}").getBytes(StandardCharsets.US_ASCII);
                }
                case 6 -> { key = "huge"; body = aboveBodyLimit; name = "7MB-body"; }
                default -> { key = "deep-objects"; body = deepObjects; name = "100k-deep-objects"; }
            }
            String url = base + NOTES + tier + "/" + key;
            Acks.Key ack = valueText == null ? null : acks.key("evil-body-" + user, token, url);
            String hash = valueText == null ? null : canonicalHash(valueText);
            if (ack != null) {
                ack.attempt(hash);
            }
            long sent = System.nanoTime();
            Answer a = call("bodies/" + name, http, put(url, token, body, Duration.ofSeconds(20)), false);
            if (ack != null) {
                ack.outcome(hash, a.status);
            }
            if (mustRefuse && a.status >= 200 && a.status < 300) {
                violations.add("hostile body accepted (2xx)", "PUT " + tier + "/" + key + " body "
                        + RawHttp.abbreviate(new String(body, 0, Math.min(body.length, 60), StandardCharsets.US_ASCII), 60)
                        + " (" + body.length + " bytes) -> " + a.status);
            }
            // paced, so that the test's own CPU does not decide the good client's latency
            sleep(Math.max(0, BODY_CYCLE_MS - (System.nanoTime() - sent) / 1_000_000L));
        }
    }

    /** One user's tiny GETs from many threads, each sending its next as soon as the last was answered. */
    private void flood(HttpClient http, String token) {
        int i = 0;
        while (!stop.get()) {
            String url = base + NOTES + (i++ % 2 == 0 ? "ephemeral" : "persistent") + "/flood";
            Answer a = call("flood", http, get(url, token, Duration.ofSeconds(10)), false);
            // a refusal costs the server little; the pause only keeps the test's own CPU use bounded
            if (a.status < 0) {
                sleep(100);
            } else if (a.status == 429 || a.status == 503) {
                sleep(50);
            }
        }
    }

    /** Fills the lister's user scope and the shared scope with ~1 MiB values, then lists 100-entry pages. */
    private void listing(HttpClient http, String token, ExecutorService workers) {
        String big = "l".repeat(LISTING_VALUE_CHARS);
        for (String scope : List.of("", "?shared=true")) {
            for (int i = 0; i < 80 && !stop.get(); i++) {
                String valueText = "\"lst-" + i + "-" + big + "\"";
                String url = base + NOTES + "persistent/lst-" + i + scope;
                Acks.Key ack = acks.key("lister", token, url);
                String hash = canonicalHash(valueText);
                ack.attempt(hash);
                Answer a = call("listing", http, put(url, token,
                        ("{\"value\":" + valueText + "}").getBytes(StandardCharsets.US_ASCII), Duration.ofSeconds(20)), false);
                ack.outcome(hash, a.status);
                if (a.status == 413) {
                    break;
                }
                if (a.status == 429 || a.status == 503 || a.status < 0) {
                    i--;
                    sleep(retryAfterMillis(a));
                }
            }
        }
        List<java.util.concurrent.Future<?>> listers = new ArrayList<>();
        for (int t = 0; t < LIST_THREADS && !stop.get(); t++) {
            int thread = t;
            Runnable lister = guard("listing", () -> {
                int i = thread;
                while (!stop.get()) {
                    String url = base + NOTES + "persistent?page=0&page_size=100" + (i++ % 2 == 0 ? "" : "&shared=true");
                    Answer a = call("listing", http, get(url, token, Duration.ofSeconds(30)), false);
                    if (a.status != 200 && !(a.status == 400 && "PAGE_TOO_LARGE".equals(a.code)) && !a.outcome.equals(CANCELLED)
                            && a.status != 429 && !(a.status == 503 && "SERVER_BUSY".equals(a.code))) {
                        violations.add("listing answered neither 200, 400 PAGE_TOO_LARGE, 429 nor 503 SERVER_BUSY",
                                "GET " + url.substring(base.length()) + " -> " + a.outcome);
                    }
                    pauseAfterFailure(a);
                }
            });
            try {
                listers.add(workers.submit(lister));
            } catch (java.util.concurrent.RejectedExecutionException phaseOver) {
                break;
            }
        }
        for (java.util.concurrent.Future<?> f : listers) {
            try {
                f.get();
            } catch (Exception e) {
                violations.add("test thread failed", "listing: " + e);
            }
        }
    }

    /** One user taking all it may of both tiers, then pressing on. */
    private final class Hog implements Runnable {
        private final HttpClient http;
        private final String token;
        volatile boolean persistentRefused;
        volatile boolean ephemeralRefused;
        volatile boolean sharedEphemeralRefused;
        volatile int persistentAcked;
        volatile int ephemeralAcked;
        volatile int sharedEphemeralAcked;

        Hog(HttpClient http, String token) {
            this.http = http;
            this.token = token;
        }

        @Override
        public void run() {
            String pad = "h".repeat(HOG_VALUE_CHARS);
            int n = 0;
            persistentAcked = fill("persistent/hog-p-", "", pad, 80, false);
            ephemeralAcked = fill("ephemeral/hog-e-", "", pad, 60, true);
            sharedEphemeralAcked = fill("ephemeral/hog-s-", "?shared=true", pad, 120, true);
            // and keeps pressing: new keys (which must stay refused) and rewrites of its own
            while (!stop.get()) {
                n++;
                boolean ephemeral = n % 2 == 0;
                String key = (ephemeral ? "ephemeral/hog-e-" : "persistent/hog-p-")
                        + (n % 3 == 0 ? "more-" + n : Integer.toString(n % 4));
                String valueText = "\"hog-again-" + n + "-" + pad + "\"";
                String url = base + NOTES + key;
                Acks.Key ack = ephemeral ? null : acks.key("hog", token, url);
                String hash = ephemeral ? null : canonicalHash(valueText);
                if (ack != null) {
                    ack.attempt(hash);
                }
                Answer a = call("hog", http, put(url, token, ("{\"value\":" + valueText
                        + (ephemeral ? ",\"ttl\":300}" : "}")).getBytes(StandardCharsets.US_ASCII), Duration.ofSeconds(15)), false);
                if (ack != null) {
                    ack.outcome(hash, a.status);
                }
                noteRefusal(ephemeral, a);
                sleep(a.status == 429 ? retryAfterMillis(a) : 50);
            }
        }

        private int fill(String prefix, String query, String pad, int max, boolean ephemeral) {
            int acked = 0;
            for (int i = 0; i < max && !stop.get(); i++) {
                String valueText = "\"hog-" + i + "-" + pad + "\"";
                String url = base + NOTES + prefix + i + query;
                Acks.Key ack = ephemeral ? null : acks.key("hog", token, url);
                String hash = ephemeral ? null : canonicalHash(valueText);
                if (ack != null) {
                    ack.attempt(hash);
                }
                Answer a = call("hog", http, put(url, token, ("{\"value\":" + valueText
                        + (ephemeral ? ",\"ttl\":300}" : "}")).getBytes(StandardCharsets.US_ASCII), Duration.ofSeconds(15)), false);
                if (ack != null) {
                    ack.outcome(hash, a.status);
                }
                if (a.status == 200) {
                    acked++;
                }
                if (a.status == 413 && "QUOTA_EXCEEDED".equals(a.code)) {
                    if (query.isEmpty()) {
                        noteRefusal(ephemeral, a);
                    } else {
                        sharedEphemeralRefused = true;
                    }
                    break;
                }
                if (a.status == 429 || a.status == 503 || a.status < 0) {
                    i--;
                    sleep(retryAfterMillis(a));
                }
            }
            return acked;
        }

        private void noteRefusal(boolean ephemeral, Answer a) {
            if (a.status == 413 && "QUOTA_EXCEEDED".equals(a.code)) {
                if (ephemeral) {
                    ephemeralRefused = true;
                } else {
                    persistentRefused = true;
                }
            }
        }
    }

    /**
     * 320 raw connections driven by one thread: each sends a PUT's headers with Content-Length 100000 and then
     * one body byte a second, or its headers one byte every half second. A connection the server closes is
     * opened again a second later, so the server keeps facing about 320 of them.
     */
    private final class SlowConnections implements Runnable {
        private final Map<String, String> tokens;
        final AtomicInteger opened = new AtomicInteger();
        final AtomicInteger connectFailures = new AtomicInteger();
        final AtomicInteger closedByServer = new AtomicInteger();
        final AtomicInteger maxOpen = new AtomicInteger();
        final AtomicInteger heldTooLong = new AtomicInteger();
        final AtomicInteger longestHoldMs = new AtomicInteger();
        final List<Long> lifetimesMs = new CopyOnWriteArrayList<>();
        final LongAdder bytesSent = new LongAdder();

        SlowConnections(Map<String, String> tokens) {
            this.tokens = tokens;
        }

        private final class Slot {
            final int index;
            final boolean headerMode;
            SocketChannel channel;
            byte[] script;
            int sent;
            long nextSendAt;
            long openedAt;
            long reopenAt;
            java.io.ByteArrayOutputStream received;
            boolean connected;

            Slot(int index, boolean headerMode) {
                this.index = index;
                this.headerMode = headerMode;
            }
        }

        @Override
        public void run() {
            List<Slot> slots = new ArrayList<>();
            for (int i = 0; i < SLOW_BODY_CONNECTIONS + SLOW_HEADER_CONNECTIONS; i++) {
                slots.add(new Slot(i, i >= SLOW_BODY_CONNECTIONS));
            }
            Selector selector = null;
            try {
                selector = Selector.open();
                ByteBuffer readBuffer = ByteBuffer.allocate(16384);
                while (!stop.get()) {
                    long now = System.nanoTime();
                    int open = 0;
                    for (Slot s : slots) {
                        if (s.channel == null && now >= s.reopenAt) {
                            openSlot(s, selector, now);
                        }
                        if (s.channel != null) {
                            open++;
                            if (s.connected && now >= s.nextSendAt && s.sent < s.script.length) {
                                sendNext(s, now);
                            }
                        }
                    }
                    maxOpen.accumulateAndGet(open, Math::max);
                    selector.select(50);
                    for (SelectionKey key : selector.selectedKeys()) {
                        Slot s = (Slot) key.attachment();
                        try {
                            if (key.isConnectable()) {
                                s.channel.finishConnect();
                                s.connected = true;
                                s.nextSendAt = System.nanoTime();
                                key.interestOps(SelectionKey.OP_READ);
                            } else if (key.isReadable()) {
                                readBuffer.clear();
                                int n = s.channel.read(readBuffer);
                                if (n < 0) {
                                    closed(s, true);
                                } else if (s.received.size() < 65536) {
                                    s.received.write(readBuffer.array(), 0, n);
                                }
                            }
                        } catch (IOException e) {
                            if (!s.connected) {
                                connectFailures.incrementAndGet();
                                closeQuietly(s);
                            } else {
                                closed(s, true);
                            }
                        }
                    }
                    selector.selectedKeys().clear();
                }
            } catch (IOException e) {
                violations.add("test thread failed", "slow connections: " + e);
            } finally {
                for (Slot s : slots) {
                    if (s.channel != null) {
                        closed(s, false);
                    }
                }
                if (selector != null) {
                    try {
                        selector.close();
                    } catch (IOException ignored) {
                        // closing
                    }
                }
            }
        }

        private void openSlot(Slot s, Selector selector, long now) {
            String token = tokens.get("evil-slow-" + (s.index % SLOW_USERS));
            String head = "PUT " + NOTES + "persistent/slow-" + s.index + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + port + "\r\n"
                    + "Authorization: Bearer " + token + "\r\n"
                    + "Content-Type: application/json\r\n"
                    + "Content-Length: 100000\r\n\r\n";
            s.script = (head + "{\"value\":\"" + "x".repeat(200)).getBytes(StandardCharsets.US_ASCII);
            // a body slot sends its headers at once, then a byte a second; a header slot trickles everything
            s.sent = 0;
            s.received = new java.io.ByteArrayOutputStream();
            s.connected = false;
            s.openedAt = now;
            try {
                SocketChannel ch = SocketChannel.open();
                ch.configureBlocking(false);
                s.channel = ch;
                if (ch.connect(new InetSocketAddress("127.0.0.1", port))) {
                    s.connected = true;
                    s.nextSendAt = now;
                    ch.register(selector, SelectionKey.OP_READ, s);
                } else {
                    ch.register(selector, SelectionKey.OP_CONNECT, s);
                }
                opened.incrementAndGet();
                phase("slow").requests.increment();
            } catch (IOException e) {
                connectFailures.incrementAndGet();
                closeQuietly(s);
                s.reopenAt = now + 1_000_000_000L;
            }
        }

        private void sendNext(Slot s, long now) {
            int headEnd = new String(s.script, StandardCharsets.US_ASCII).indexOf("\r\n\r\n") + 4;
            int count = !s.headerMode && s.sent == 0 ? headEnd + 10 : 1;
            try {
                int n = s.channel.write(ByteBuffer.wrap(s.script, s.sent, Math.min(count, s.script.length - s.sent)));
                s.sent += n;
                bytesSent.add(n);
                s.nextSendAt = now + (s.headerMode ? 500_000_000L : 1_000_000_000L);
            } catch (IOException e) {
                closed(s, true);
            }
        }

        /** Records what the connection received, if anything, and schedules a new one. */
        private void closed(Slot s, boolean byServer) {
            long now = System.nanoTime();
            long heldMs = (now - s.openedAt) / 1_000_000L;
            if (s.connected) {
                longestHoldMs.accumulateAndGet((int) heldMs, Math::max);
                if (heldMs > SLOW_MAX_HOLD_MS) {
                    heldTooLong.incrementAndGet();
                }
            }
            if (byServer) {
                closedByServer.incrementAndGet();
                lifetimesMs.add((now - s.openedAt) / 1_000_000L);
            }
            byte[] bytes = s.received == null ? new byte[0] : s.received.toByteArray();
            if (bytes.length > 0) {
                List<RawHttp.Response> responses = new ArrayList<>();
                String problem = RawHttp.parse(bytes, false, responses);
                for (RawHttp.Response r : responses) {
                    if (!r.complete()) {
                        phase("slow").count(r.status() + " (incomplete)");
                        continue;
                    }
                    check("slow", "PUT persistent/slow-" + s.index + " (slow)", r.status(), r.body(),
                            r.header("Retry-After"), false);
                }
                if (problem != null) {
                    violations.add("answer is not HTTP", "slow connection: " + problem);
                }
            } else if (byServer) {
                phase("slow").count("closed without an answer");
            } else {
                phase("slow").count("held to the end");
            }
            closeQuietly(s);
            s.reopenAt = now + 1_000_000_000L;
        }

        private void closeQuietly(Slot s) {
            s.reopenAt = System.nanoTime() + 1_000_000_000L;
            try {
                if (s.channel != null) {
                    s.channel.close();
                }
            } catch (IOException ignored) {
                // closing
            }
            s.channel = null;
        }
    }

    /** The well-behaved user: sequential, paced, a mix of every kind of request; each success and latency. */
    private final class GoodClient implements Runnable {
        private final HttpClient http;
        private final String token;
        final List<Long> latenciesNanos = new ArrayList<>();
        final Map<String, Integer> failures = new ConcurrentSkipListMap<>();
        final AtomicInteger quotaRefusals = new AtomicInteger();
        int ok;
        int total;

        private final long durationMs;

        GoodClient(HttpClient http, String token, long durationMs) {
            this.http = http;
            this.token = token;
            this.durationMs = durationMs;
        }

        private long end;

        @Override
        public void run() {
            end = System.nanoTime() + durationMs * 1_000_000L;
            for (int i = 0; System.nanoTime() < end; i++) {
                String eKey = base + NOTES + "ephemeral/g-e-" + (i % 20);
                String pKey = base + NOTES + "persistent/g-p-" + (i % 50);
                String eValue = "{\"i\":" + i + ",\"who\":\"good\"}";
                String pValue = "{\"i\":" + i + ",\"who\":\"good\",\"pad\":\"" + "p".repeat(100) + "\"}";
                request(put(eKey, token, ("{\"value\":" + eValue + ",\"ttl\":300}").getBytes(StandardCharsets.UTF_8),
                        Duration.ofSeconds(3)), null);
                request(get(eKey, token, Duration.ofSeconds(3)), null);
                Acks.Key ack = acks.key("good", token, pKey);
                String hash = canonicalHash(pValue);
                ack.attempt(hash);
                Answer put = request(put(pKey, token, ("{\"value\":" + pValue + "}").getBytes(StandardCharsets.UTF_8),
                        Duration.ofSeconds(3)), null);
                if (put.outcome.equals("not sent")) {
                    ack.outcome(hash, 400);
                    break;
                }
                ack.outcome(hash, put.status);
                request(get(pKey, token, Duration.ofSeconds(5)), put.status == 200 ? hash : null);
                if (i % 5 == 0) {
                    request(get(base + NOTES + "persistent?page=0&page_size=10", token, Duration.ofSeconds(3)), null);
                }
            }
        }

        /** One paced request; {@code expectHash}: a GET that must read what was just acknowledged. */
        private Answer request(HttpRequest request, String expectHash) {
            long started = System.nanoTime();
            if (started >= end) {
                // the phase is over: the rest of this iteration is not sent, and not counted
                return new Answer(-1, null, new byte[0], null, 0, "not sent");
            }
            Answer a = call("good", http, request, false);
            latenciesNanos.add(a.nanos);
            total++;
            if (a.status >= 200 && a.status < 300) {
                ok++;
                if (expectHash != null) {
                    String got = resultHash(a.body);
                    if (!expectHash.equals(got)) {
                        violations.add("good client read something else than it had just written",
                                request.uri().getPath() + ": " + RawHttp.abbreviate(new String(a.body, StandardCharsets.UTF_8), 120));
                    }
                }
            } else {
                failures.merge(a.outcome, 1, Integer::sum);
                if (a.status == 413) {
                    quotaRefusals.incrementAndGet();
                }
            }
            long rest = GOOD_INTERVAL_MS - (System.nanoTime() - started) / 1_000_000L;
            if (rest > 0) {
                sleep(rest);
            }
            return a;
        }

        double successRate() {
            return total == 0 ? 0 : ok / (double) total;
        }

        long percentileMillis(int p) {
            if (latenciesNanos.isEmpty()) {
                return -1;
            }
            long[] sorted = latenciesNanos.stream().mapToLong(Long::longValue).sorted().toArray();
            int at = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, at))] / 1_000_000L;
        }

        double percentileMillisExact(int p) {
            if (latenciesNanos.isEmpty()) {
                return -1;
            }
            long[] sorted = latenciesNanos.stream().mapToLong(Long::longValue).sorted().toArray();
            int at = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, at))] / 1e6;
        }
    }

    // ------------------------------------------------------------------------------------------ requests

    /** An answer (status -1: none, {@code outcome} says why), its {@code code} and the time it took. */
    private record Answer(int status, String code, byte[] body, String retryAfter, long nanos, String outcome) {
    }

    /**
     * Sends one request and checks its answer. A hostile request still under way when the phase ends is
     * cancelled (counted as such, not as a failure), so that the test ends on time whatever the server does.
     */
    private Answer call(String phaseName, HttpClient http, HttpRequest request, boolean head) {
        Phase phase = phase(phaseName);
        phase.requests.increment();
        boolean cancellable = !phaseName.equals("good");
        long start = System.nanoTime();
        HttpResponse<byte[]> response;
        CompletableFuture<HttpResponse<byte[]>> pending = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        try {
            while (true) {
                try {
                    response = pending.get(100, TimeUnit.MILLISECONDS);
                    break;
                } catch (TimeoutException notYet) {
                    if (cancellable && stop.get()) {
                        pending.cancel(true);
                        return noAnswer(phase, start, CANCELLED);
                    }
                }
            }
        } catch (ExecutionException failed) {
            Throwable e = failed.getCause();
            if (e instanceof HttpConnectTimeoutException) {
                return noAnswer(phase, start, "connect timeout");
            } else if (e instanceof HttpTimeoutException) {
                return noAnswer(phase, start, "timeout");
            } else if (e instanceof ConnectException) {
                return noAnswer(phase, start, "connection refused");
            } else if (e instanceof IOException) {
                return noAnswer(phase, start, "I/O error");
            }
            return noAnswer(phase, start, "client failure " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            return noAnswer(phase, start, "interrupted");
        }
        long nanos = System.nanoTime() - start;
        byte[] body = response.body() == null ? new byte[0] : response.body();
        String retryAfter = response.headers().firstValue("Retry-After").orElse(null);
        String code = check(phaseName, request.method() + " " + request.uri().getRawPath(), response.statusCode(), body,
                retryAfter, head);
        String outcome = response.statusCode() + (code == null ? "" : " " + code);
        return new Answer(response.statusCode(), code, body, retryAfter, nanos, outcome);
    }

    private Answer noAnswer(Phase phase, long start, String why) {
        phase.count(why);
        return new Answer(-1, null, new byte[0], null, System.nanoTime() - start, why);
    }

    /**
     * The checks every answer of the run gets; counts it under its phase and returns its code. SPEC section 4:
     * never a 5xx but 503 SERVER_BUSY (the store is local and up), every API body JSON, every error with its
     * code and status, 429 and 503 with Retry-After.
     */
    private String check(String phaseName, String what, int status, byte[] body, String retryAfter, boolean head) {
        String code = head ? null : JsonChecks.codeOf(body);
        phase(phaseName).count(status + (code == null ? "" : " " + code));
        String sample = phaseName + ": " + what + " -> " + status + " "
                + RawHttp.abbreviate(new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8), 160);
        if (status >= 500 && !(status == 503 && "SERVER_BUSY".equals(code))) {
            violations.add("answered >= 500 other than 503 SERVER_BUSY", sample);
        }
        if (!head) {
            if (!JsonChecks.isJsonObject(body)) {
                violations.add("API answer body is not a JSON object", sample);
            } else if (status >= 400) {
                String problem = JsonChecks.errorProblem(status, body);
                if (problem != null) {
                    violations.add("error answer not per SPEC section 4", problem + ": " + sample);
                }
            }
        }
        if ((status == 429 || status == 503) && (retryAfter == null || !retryAfter.trim().matches("\\d{1,6}"))) {
            violations.add("429/503 without a Retry-After in seconds", sample + " Retry-After: " + retryAfter);
        }
        return code;
    }

    private static HttpRequest put(String url, String token, byte[] body, Duration timeout) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private static HttpRequest get(String url, String token, Duration timeout) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Authorization", "Bearer " + token).GET().build();
    }

    private static HttpClient client(ExecutorService executor) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
                .connectTimeout(Duration.ofSeconds(3)).build();
    }

    private int statusWithin(HttpClient http, String path, int attempts) {
        int status = -1;
        for (int i = 0; i < attempts; i++) {
            try {
                status = http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(3)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200) {
                    return status;
                }
            } catch (IOException e) {
                status = -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
            sleep(1000);
        }
        return status;
    }

    private static void pauseAfterFailure(Answer a) {
        if (a.status < 0) {
            sleep(100);
        } else if (a.status == 429 || a.status == 503) {
            sleep(Math.min(200, retryAfterMillis(a)));
        }
    }

    private static long retryAfterMillis(Answer a) {
        if (a.retryAfter != null) {
            try {
                return Math.min(3000, Math.max(50, Long.parseLong(a.retryAfter.trim()) * 1000));
            } catch (NumberFormatException ignored) {
                // fall through
            }
        }
        return 200;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Runnable guard(String phaseName, Runnable r) {
        return () -> {
            try {
                r.run();
            } catch (RuntimeException | Error e) {
                violations.add("test thread failed", phaseName + ": " + e);
            }
        };
    }

    // ------------------------------------------------------------------------------------------ bodies

    /** The large hostile bodies, built once and shared by the attacking threads. */
    private static final class HostileBodies {
        private static HostileBodies instance;
        final byte[] manyObjects = manyEmptyObjects(6_000_000, false);
        final byte[] manyObjectsWithTtl = manyEmptyObjects(6_000_000, true);
        final byte[] deepArrays = nested("{\"value\":", "[", "]", 100_000, "}");
        final byte[] deepObjects = nested("{\"value\":", "{\"a\":", "}", 100_000, "}");
        final byte[] aboveBodyLimit = bigString(7_200_000);

        static synchronized HostileBodies get() {
            if (instance == null) {
                instance = new HostileBodies();
            }
            return instance;
        }
    }

    /** {@code {"value":[{},{},...]}} of about {@code bytes} bytes (and a ttl for the ephemeral tier). */
    private static byte[] manyEmptyObjects(int bytes, boolean ttl) {
        String head = "{\"value\":[";
        String tail = ttl ? "{}],\"ttl\":60}" : "{}]}";
        int n = (bytes - head.length() - tail.length()) / 3;
        byte[] out = new byte[head.length() + n * 3 + tail.length()];
        int at = copy(out, 0, head);
        for (int i = 0; i < n; i++) {
            out[at++] = '{';
            out[at++] = '}';
            out[at++] = ',';
        }
        copy(out, at, tail);
        return out;
    }

    private static byte[] nested(String head, String open, String close, int depth, String tail) {
        StringBuilder b = new StringBuilder(head.length() + depth * (open.length() + close.length()) + tail.length());
        b.append(head);
        b.append(open.repeat(depth));
        if (open.endsWith(":")) {
            b.append("1");
        }
        b.append(close.repeat(depth)).append(tail);
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] bigString(int bytes) {
        byte[] out = new byte[bytes];
        int at = copy(out, 0, "{\"value\":\"");
        Arrays.fill(out, at, bytes - 2, (byte) 'z');
        out[bytes - 2] = '"';
        out[bytes - 1] = '}';
        return out;
    }

    private static int copy(byte[] out, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, out, at, b.length);
        return at + b.length;
    }

    private static String canonicalHash(String valueText) {
        try {
            return JsonChecks.sha256(JsonChecks.canonical(valueText));
        } catch (IOException e) {
            throw new IllegalStateException("the test wrote a value that is not JSON: " + valueText, e);
        }
    }

    /** The hash of the canonical {@code result} of a GET answer, or {@code null}. */
    private static String resultHash(byte[] body) {
        try {
            String c = JsonChecks.canonicalResult(body);
            return c == null ? null : JsonChecks.sha256(c);
        } catch (IOException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------------------------------ bookkeeping

    private Phase phase(String name) {
        return phases.computeIfAbsent(name, Phase::new);
    }

    private long count(String phaseName, String outcome) {
        LongAdder a = phase(phaseName).outcomes.get(outcome);
        return a == null ? 0 : a.sum();
    }

    /** Requests of one phase and their outcomes ("200", "413 QUOTA_EXCEEDED", "timeout", ...). */
    private static final class Phase {
        final String name;
        final LongAdder requests = new LongAdder();
        final Map<String, LongAdder> outcomes = new ConcurrentSkipListMap<>();

        Phase(String name) {
            this.name = name;
        }

        void count(String outcome) {
            outcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
        }
    }

    /** Broken rules: a count per kind and the first few examples. */
    private static final class Violations {
        private final Map<String, LongAdder> counts = new ConcurrentSkipListMap<>();
        private final Map<String, List<String>> samples = new ConcurrentHashMap<>();

        void add(String kind, String sample) {
            counts.computeIfAbsent(kind, k -> new LongAdder()).increment();
            List<String> list = samples.computeIfAbsent(kind, k -> new CopyOnWriteArrayList<>());
            if (list.size() < 5) {
                list.add(sample);
            }
        }

        void describeInto(List<String> failures) {
            counts.forEach((kind, n) -> failures.add(kind + ": " + n.sum() + " time(s), e.g.\n      "
                    + String.join("\n      ", samples.get(kind))));
        }
    }

    private record ReadBack(int checked, int lost, int unchecked) {
    }

    /**
     * Every persistent write, per key: the hash of the last acknowledged value and of the writes sent after it
     * whose fate is unknown (no answer, 5xx): one of these must read back. Each key has one sequential writer.
     */
    private static final class Acks {
        private final Map<String, Key> keys = new ConcurrentHashMap<>();

        static final class Key {
            final String user;
            final String token;
            final String url;
            String acked;
            final List<String> unknown = new ArrayList<>();

            Key(String user, String token, String url) {
                this.user = user;
                this.token = token;
                this.url = url;
            }

            synchronized void attempt(String hash) {
                unknown.add(hash);
            }

            synchronized void outcome(String hash, int status) {
                if (status >= 200 && status < 300) {
                    acked = hash;
                    unknown.clear();
                } else if (status >= 400 && status < 500) {
                    unknown.remove(hash);
                }
            }
        }

        Key key(String user, String token, String url) {
            return keys.computeIfAbsent(user + " " + url, k -> new Key(user, token, url));
        }

        int size() {
            return (int) keys.values().stream().filter(k -> k.acked != null).count();
        }

        ReadBack verify(HttpClient http, Violations violations) {
            int checked = 0;
            int lost = 0;
            int unchecked = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            for (Key k : keys.values()) {
                if (k.acked == null) {
                    continue;
                }
                if (System.nanoTime() > deadline) {
                    unchecked++;
                    violations.add("acknowledged write could not be read back", k.user + " " + k.url
                            + ": not read, the read-back took over 20 s");
                    continue;
                }
                HttpResponse<byte[]> r = null;
                for (int attempt = 0; attempt < 6; attempt++) {
                    try {
                        r = http.send(get(k.url, k.token, Duration.ofSeconds(10)), HttpResponse.BodyHandlers.ofByteArray());
                    } catch (IOException e) {
                        r = null;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                    if (r != null && r.statusCode() == 200) {
                        break;
                    }
                    OptionalLong retry = r == null ? OptionalLong.empty() : r.headers().firstValueAsLong("Retry-After");
                    sleep(Math.min(3000, Math.max(200, retry.orElse(0) * 1000)));
                }
                if (r == null || r.statusCode() != 200) {
                    unchecked++;
                    violations.add("acknowledged write could not be read back", k.user + " " + k.url
                            + " -> " + (r == null ? "no answer" : r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8)));
                    continue;
                }
                checked++;
                String got = resultHash(r.body());
                boolean ok = k.acked.equals(got) || (got != null && k.unknown.contains(got));
                if (!ok) {
                    lost++;
                    violations.add("acknowledged write lost or changed", k.user + " " + k.url + " read back "
                            + RawHttp.abbreviate(new String(r.body(), 0, Math.min(r.body().length, 120), StandardCharsets.UTF_8), 120));
                }
            }
            return new ReadBack(checked, lost, unchecked);
        }
    }

    private void checkLog(ServerProcess server, List<String> failures) throws IOException {
        if (!Files.exists(server.log())) {
            failures.add("no server log at " + server.log());
            return;
        }
        List<String> bad = new ArrayList<>();
        int oom = 0;
        int traces = 0;
        for (String line : Files.readAllLines(server.log(), StandardCharsets.UTF_8)) {
            boolean isOom = line.contains("OutOfMemoryError");
            boolean isTrace = line.startsWith("\tat ") || line.contains("Exception in thread");
            if (isOom) {
                oom++;
            }
            if (isTrace) {
                traces++;
            }
            if ((isOom || isTrace || line.contains("Exception:")) && bad.size() < 8) {
                bad.add(RawHttp.abbreviate(line, 200));
            }
        }
        System.out.println("[hostile] server log " + server.log() + ": " + oom + " OutOfMemoryError line(s), "
                + traces + " stack trace line(s)");
        if (oom > 0 || traces > 0) {
            failures.add("server log holds " + oom + " OutOfMemoryError line(s) and " + traces
                    + " stack-trace line(s), e.g.\n      " + String.join("\n      ", bad));
        }
    }

    private void printSummary(double phaseSeconds, GoodClient good, SlowConnections slow, Hog hog, ReadBack readBack) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%n=== HostileLoadIT: ephemeral tier on %s, persistent on SQLite, %.1f s of attack (%s) ===%n",
                EPHEMERAL.equals("memory") ? "the in-process cache" : "Redis", phaseSeconds, String.join(", ", ATTACKS)));
        b.append(String.format("%-26s %9s  %s%n", "phase", "requests", "outcomes (status code: count)"));
        for (Phase p : phases.values()) {
            StringBuilder o = new StringBuilder();
            p.outcomes.forEach((k, v) -> o.append(o.length() == 0 ? "" : ", ").append(k).append(": ").append(v.sum()));
            b.append(String.format("%-26s %9d  %s%n", p.name, p.requests.sum(), o));
        }
        b.append(String.format("good client: %d requests, %.2f %% success, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                good.total, good.successRate() * 100, good.percentileMillisExact(50), good.percentileMillisExact(99),
                good.percentileMillisExact(100)));
        long[] lifetimes = slow.lifetimesMs.stream().mapToLong(Long::longValue).sorted().toArray();
        b.append(String.format("slow connections: %d at once at most (%d planned), %d opened, %d connect failures, %d closed"
                        + " by the server (median lifetime %s ms), %d held over %d s (longest %d ms), %d bytes sent%n",
                slow.maxOpen.get(), SLOW_BODY_CONNECTIONS + SLOW_HEADER_CONNECTIONS, slow.opened.get(),
                slow.connectFailures.get(), slow.closedByServer.get(),
                lifetimes.length == 0 ? "-" : Long.toString(lifetimes[lifetimes.length / 2]), slow.heldTooLong.get(),
                SLOW_MAX_HOLD_MS / 1000, slow.longestHoldMs.get(), slow.bytesSent.sum()));
        b.append(String.format("hog: %d persistent, %d ephemeral, %d shared ephemeral writes of %d chars acknowledged;"
                        + " refused with QUOTA_EXCEEDED: persistent %s, ephemeral %s, shared ephemeral %s%n",
                hog.persistentAcked, hog.ephemeralAcked, hog.sharedEphemeralAcked, HOG_VALUE_CHARS, hog.persistentRefused,
                hog.ephemeralRefused, hog.sharedEphemeralRefused));
        b.append(String.format("read-back: %d acknowledged persistent keys read back, %d lost or changed, %d unreadable%n",
                readBack.checked, readBack.lost, readBack.unchecked));
        if (violations.counts.isEmpty()) {
            b.append("violations: none\n");
        } else {
            b.append("violations:\n");
            violations.counts.forEach((kind, n) -> b.append(String.format("  %6d  %s%n", n.sum(), kind)));
        }
        System.out.println(b);
    }
}
