package dev.extstorage.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The database floor: the fastest a plain JDBC loop gets single-row upserts or primary-key selects through
 * the same driver, engine and durability settings the server uses, with no HTTP, JSON, auth or pool in
 * between. Each thread holds its own connection and one prepared statement for the whole run, which is the
 * cheapest way JDBC offers, so the server's figure divided by this one is the share of the engine's speed
 * the server delivers.
 *
 * <p>Usage: {@code java -cp bench.jar dev.extstorage.bench.JdbcFloor --url URL --mode upsert|select
 * [--threads 16] [--seconds 10] [--warmup 2] [--keys 1000] [--pragma journal_mode=WAL]...}. Prints one JSON
 * object: {@code {"ops_per_s":..,"p50_ms":..,"p99_ms":..,"errors":..,"ops":..}}.
 *
 * <p>The table mirrors the server's {@code entries} table in shape (a four-column unique key, a JSON text
 * value, two timestamps), so index maintenance costs the same; it lives in its own table
 * ({@code bench_floor}) and is dropped at the start, so it never touches the server's data.
 */
public final class JdbcFloor {
    private static final String EXTENSION = "acme.notes";
    private static final String SCOPE = "user";
    private static final String OWNER = "bench-user";
    /** Stands for SHA-256 hex of the owner: only its length matters to the engine. */
    private static final String OWNER_HASH = "0123456789abcdef".repeat(4);

    public static void main(String[] args) throws Exception {
        String url = null;
        String mode = "upsert";
        int threads = 16;
        double seconds = 10;
        double warmup = 2;
        int keys = 1000;
        List<String> pragmas = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> url = args[++i];
                case "--mode" -> mode = args[++i];
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--warmup" -> warmup = Double.parseDouble(args[++i]);
                case "--keys" -> keys = Integer.parseInt(args[++i]);
                case "--pragma" -> pragmas.add(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (url == null || !(mode.equals("upsert") || mode.equals("select"))) {
            throw new IllegalArgumentException("need --url and --mode upsert|select");
        }
        prepare(url, pragmas, keys);
        if (warmup > 0) {
            run(url, pragmas, mode, threads, warmup, keys);
        }
        Result r = run(url, pragmas, mode, threads, seconds, keys);
        System.out.println(String.format(Locale.ROOT,
                "{\"ops_per_s\":%.1f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"errors\":%d,\"ops\":%d,\"threads\":%d}",
                r.opsPerSecond, r.p50, r.p99, r.errors, r.ops, threads));
    }

    private record Result(double opsPerSecond, double p50, double p99, long errors, long ops) {
    }

    private static Connection open(String url, List<String> pragmas) throws SQLException {
        Connection c = DriverManager.getConnection(url);
        try (Statement s = c.createStatement()) {
            for (String p : pragmas) {
                s.execute("PRAGMA " + p);
            }
        }
        c.setAutoCommit(true);
        return c;
    }

    /** A fresh table holding every key, so selects always find a row and upserts always update one. */
    private static void prepare(String url, List<String> pragmas, int keys) throws SQLException {
        try (Connection c = open(url, pragmas); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS bench_floor");
            // Same columns, primary key and listing index as the server's storage_entry (V1 migration), so
            // index maintenance costs the same; the server's per-extension usage row is NOT here: that lock
            // is the server's design, and its cost belongs in the ratio.
            s.execute("CREATE TABLE bench_floor (extension_id VARCHAR(129) NOT NULL, scope VARCHAR(6) NOT NULL,"
                    + " owner TEXT NOT NULL, owner_hash CHAR(64) NOT NULL, entry_key TEXT NOT NULL,"
                    + " value_json TEXT NOT NULL, size_bytes BIGINT NOT NULL, created_at BIGINT NOT NULL,"
                    + " updated_at BIGINT NOT NULL, change_seq BIGINT NOT NULL,"
                    + " PRIMARY KEY (extension_id, scope, owner_hash, entry_key))");
            s.execute("CREATE INDEX bench_floor_listing ON bench_floor (extension_id, scope, owner_hash, change_seq)");
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(upsertSql())) {
                for (int k = 0; k < keys; k++) {
                    bindUpsert(ps, k, "{\"n\":0}");
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
            c.setAutoCommit(true);
        }
    }

    private static String upsertSql() {
        return "INSERT INTO bench_floor (extension_id, scope, owner, owner_hash, entry_key, value_json, size_bytes,"
                + " created_at, updated_at, change_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (extension_id, scope, owner_hash, entry_key) DO UPDATE SET"
                + " value_json = excluded.value_json, size_bytes = excluded.size_bytes,"
                + " updated_at = excluded.updated_at, change_seq = excluded.change_seq";
    }

    private static final String SELECT_SQL = "SELECT value_json FROM bench_floor WHERE extension_id = ?"
            + " AND scope = ? AND owner_hash = ? AND entry_key = ?";

    private static final AtomicLong SEQ = new AtomicLong();

    private static void bindUpsert(PreparedStatement ps, int key, String json) throws SQLException {
        long now = System.currentTimeMillis();
        ps.setString(1, EXTENSION);
        ps.setString(2, SCOPE);
        ps.setString(3, OWNER);
        ps.setString(4, OWNER_HASH);
        ps.setString(5, "k" + key);
        ps.setString(6, json);
        ps.setLong(7, json.length() + 4);
        ps.setLong(8, now);
        ps.setLong(9, now);
        ps.setLong(10, SEQ.incrementAndGet());
    }

    private static Result run(String url, List<String> pragmas, String mode, int threads, double seconds, int keys)
            throws Exception {
        List<Latencies> all = new ArrayList<>();
        AtomicLong errors = new AtomicLong();
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        long[] window = new long[2];
        for (int t = 0; t < threads; t++) {
            Latencies lat = new Latencies();
            all.add(lat);
            int id = t;
            Thread w = new Thread(() -> {
                try (Connection c = open(url, pragmas);
                      PreparedStatement ps = c.prepareStatement(mode.equals("upsert") ? upsertSql() : SELECT_SQL)) {
                    ready.countDown();
                    go.await();
                    long end = window[1];
                    // Start each thread on a different key and change the value every time: SQLite skips
                    // writing a row whose value did not change, which would measure nothing.
                    long n = 0;
                    int key = (id * 97) % keys;
                    while (true) {
                        long t0 = System.nanoTime();
                        if (t0 >= end) {
                            break;
                        }
                        try {
                            if (mode.equals("upsert")) {
                                bindUpsert(ps, key, "{\"t\":" + id + ",\"n\":" + (n++) + "}");
                                ps.executeUpdate();
                            } else {
                                ps.setString(1, EXTENSION);
                                ps.setString(2, SCOPE);
                                ps.setString(3, OWNER_HASH);
                                ps.setString(4, "k" + key);
                                try (ResultSet rs = ps.executeQuery()) {
                                    if (!rs.next() || rs.getString(1) == null) {
                                        errors.incrementAndGet();
                                    }
                                }
                            }
                            lat.add(System.nanoTime() - t0);
                        } catch (SQLException e) {
                            if (errors.incrementAndGet() == 1) {
                                System.err.println("JdbcFloor: " + e);
                            }
                        }
                        key = (key + 1) % keys;
                    }
                } catch (Exception e) {
                    errors.incrementAndGet();
                    System.err.println("JdbcFloor thread: " + e);
                    ready.countDown();
                }
            });
            workers.add(w);
            w.start();
        }
        ready.await();
        window[0] = System.nanoTime();
        window[1] = window[0] + (long) (seconds * 1e9);
        go.countDown();
        for (Thread w : workers) {
            w.join();
        }
        double elapsed = (System.nanoTime() - window[0]) / 1e9;
        long[] sorted = Latencies.merge(all);
        return new Result(sorted.length / elapsed, Latencies.percentileMillis(sorted, 50),
                Latencies.percentileMillis(sorted, 99), errors.get(), sorted.length);
    }
}
