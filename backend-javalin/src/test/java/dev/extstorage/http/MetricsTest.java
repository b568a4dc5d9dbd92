package dev.extstorage.http;

import dev.extstorage.config.ServerConfig;
import dev.extstorage.metrics.Refusals;
import dev.extstorage.model.StorageException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /metrics} after real requests: labels by route template, never by a key. */
class MetricsTest {
    private static final String SECRET_KEY = "secret-key-7f3a";
    private static final String KEY_ROUTE = Routes.STORAGE_KEY;

    @Test
    void requestsStoresAndRefusalsAreCountedByTemplate() throws IOException {
        try (TestServer s = new TestServer(Map.of(ServerConfig.RATE_PER_SECOND, "1", ServerConfig.RATE_BURST, "5"))) {
            String eph = TestServer.url("acme", "notes", "ephemeral", SECRET_KEY);
            assertEquals(200, s.put(eph, "alice", "{\"value\":{\"a\":1},\"ttl\":300}").status());
            assertEquals("{\"a\":1}", s.get(eph, "alice").result());
            assertEquals(200, s.put(TestServer.url("acme", "notes", "persistent", SECRET_KEY), "alice",
                    "{\"value\":2}").status());
            assertEquals(404, s.get("/no/such/" + SECRET_KEY, "alice").status());
            int refused = 0;
            for (int i = 0; i < 20; i++) {
                if (s.get(TestServer.url("globex", "todo", "persistent", SECRET_KEY), "carol").status() == 429) {
                    refused++;
                }
            }
            assertTrue(refused > 0, "the flood met the rate limit");

            System.gc();   // a gauge whose function was only weakly held would read NaN now
            TestServer.Response m = s.get("/metrics", null);
            assertEquals(200, m.status());
            String type = m.raw().headers().firstValue("Content-Type").orElseThrow();
            assertTrue(type.startsWith("text/plain; version=0.0.4"), type);
            List<String> lines = samples(m.body());

            assertEquals(1.0, value(lines, "http_server_requests_seconds_count", "method=\"PUT\"",
                    "route=\"" + KEY_ROUTE + "\"", "status=\"200\"", "tier=\"ephemeral\""));
            assertEquals(1.0, value(lines, "http_server_requests_seconds_count", "method=\"GET\"",
                    "route=\"" + KEY_ROUTE + "\"", "status=\"200\"", "tier=\"ephemeral\""));
            assertEquals(refused, value(lines, "http_server_requests_seconds_count", "method=\"GET\"",
                    "route=\"" + KEY_ROUTE + "\"", "status=\"429\"", "tier=\"persistent\""));
            assertEquals(1.0, value(lines, "http_server_requests_seconds_count", "method=\"GET\"",
                    "route=\"unmatched\"", "status=\"404\"", "tier=\"none\""));
            assertTrue(value(lines, "http_server_requests_seconds_bucket", "route=\"" + KEY_ROUTE + "\"",
                    "status=\"200\"", "tier=\"ephemeral\"", "method=\"PUT\"", "le=\"+Inf\"") >= 1.0);

            assertEquals(1.0, value(lines, "extstorage_store_operations_seconds_count", "tier=\"ephemeral\"",
                    "engine=\"memory\"", "operation=\"set\"", "outcome=\"ok\""));
            assertEquals(1.0, value(lines, "extstorage_store_operations_seconds_count", "tier=\"persistent\"",
                    "engine=\"sqlite\"", "operation=\"set\"", "outcome=\"ok\""));
            assertEquals(0.0, value(lines, "extstorage_store_errors_total", "tier=\"persistent\"",
                    "engine=\"sqlite\"", "operation=\"get\"", "code=\"STORE_UNAVAILABLE\""));

            assertEquals(refused, value(lines, "extstorage_refusals_total", "reason=\"rate\"", "status=\"429\""));
            assertEquals(0.0, value(lines, "extstorage_refusals_total", "reason=\"server_busy\"", "status=\"503\""));
            assertEquals(1.0, value(lines, "extstorage_cache_entries", "engine=\"memory\""));
            assertTrue(value(lines, "extstorage_cache_size_bytes", "engine=\"memory\"") > 0);
            assertTrue(value(lines, "extstorage_connections_open") >= 1.0, "this scrape's own connection");
            assertEquals(0.0, value(lines, "extstorage_event_streams"));
            assertEquals(0.0, value(lines, "extstorage_requests_in_flight"));
            assertEquals(0.0, value(lines, "extstorage_admission_budget_in_use_bytes"));
            assertTrue(value(lines, "extstorage_admission_budget_bytes") > 0);

            // no label holds a key, a publisher or a user
            for (String secret : List.of(SECRET_KEY, "acme", "globex", "alice", "carol")) {
                assertFalse(m.body().contains(secret), secret + " appears in the metrics");
            }
        }
    }

    @Test
    void metricsCanBeTurnedOff() throws IOException {
        try (TestServer s = new TestServer(Map.of(ServerConfig.METRICS, "false"))) {
            assertEquals(200, s.get(TestServer.url("acme", "notes", "ephemeral", "k"), "alice").status());
            assertEquals(404, s.get("/metrics", null).status());
        }
    }

    @Test
    void admissionTellsWhyItRefused() {
        int[] counts = new int[4];
        Refusals refusals = new Refusals() {
            @Override
            public void rateLimited() {
                counts[0]++;
            }

            @Override
            public void userInFlight() {
                counts[1]++;
            }

            @Override
            public void userInFlightBytes() {
                counts[2]++;
            }

            @Override
            public void serverBusy() {
                counts[3]++;
            }
        };
        long kib = 1024;
        Admission admission = new Admission(1024 * kib, 1024 * kib, 1, refusals);
        Admission.Ticket first = admission.admit("u", 0);
        assertThrows(StorageException.class, () -> admission.admit("u", 0));
        assertEquals(1, counts[1]);
        Admission.Ticket big = admission.admit("v", 1024 * kib);
        assertEquals(1024 * kib, admission.budgetBytesInUse());
        assertThrows(StorageException.class, () -> admission.admit("w", 100 * kib));
        assertEquals(1, counts[3]);
        big.close();
        first.close();
        assertEquals(0, admission.budgetBytesInUse());
    }

    /** The sample lines of a Prometheus text exposition (comments dropped). */
    private static List<String> samples(String body) {
        List<String> lines = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** The value of the one sample named {@code name} whose labels include all of {@code labels}. */
    private static double value(List<String> lines, String name, String... labels) {
        List<String> found = new ArrayList<>();
        for (String line : lines) {
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String sampleName = brace >= 0 ? line.substring(0, brace) : line.substring(0, space);
            if (!sampleName.equals(name)) {
                continue;
            }
            boolean all = true;
            for (String label : labels) {
                all &= line.contains(label);
            }
            if (all) {
                found.add(line);
            }
        }
        assertEquals(1, found.size(), name + " " + List.of(labels) + " in " + found + "\n" + String.join("\n", lines));
        String line = found.get(0);
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
}
