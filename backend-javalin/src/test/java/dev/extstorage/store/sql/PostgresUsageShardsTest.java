package dev.extstorage.store.sql;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.StorageException;
import dev.extstorage.store.Namespace;
import dev.extstorage.store.PersistentStore;
import dev.extstorage.store.Quota;
import dev.extstorage.store.Stores;
import dev.extstorage.testing.PgDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.extstorage.store.Fixtures.NOTES;
import static dev.extstorage.store.Fixtures.assertCode;
import static dev.extstorage.store.Fixtures.concurrently;
import static dev.extstorage.store.Fixtures.cost;
import static dev.extstorage.store.Fixtures.eventually;
import static dev.extstorage.store.Fixtures.jsonString;
import static dev.extstorage.store.Fixtures.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sharded usage of PostgreSQL (migration V15, {@link UsageRows}): exact bounds under concurrent writers of one
 * namespace and one extension, on both sides of the fast path's margin, with shrinks and growths in flight. An
 * in-flight writer of another server is stood in for by a connection that called the usage function in a
 * transaction it has not ended yet: that is exactly what {@code ext_storage_put} and every other writer do.
 */
class PostgresUsageShardsTest {
    /** The function's constants (V15): rows per namespace or extension, the fast path's largest growth. */
    private static final int SHARDS = 16;
    private static final long FAST_MAX = 65536;
    private static final long UNBOUNDED = Long.MAX_VALUE;
    private static final Namespace ALICE = user("alice");
    /** The value of the margin tests' write, and its cost. */
    private static final String VALUE = jsonString(1000);
    private static final long WRITE = cost("k", VALUE);

    private PgDatabase db;
    private PersistentStore store;
    private final List<Connection> held = new ArrayList<>();
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @BeforeEach
    void open() throws Exception {
        db = PgDatabase.create("usage_shards");
        store = Stores.openPersistent(db.url(), 16);
    }

    @AfterEach
    void close() throws Exception {
        pool.shutdownNow();
        for (Connection c : held) {
            c.close();
        }
        if (store != null) {
            store.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void sixteenWritersOfOneNamespaceReachItsBoundExactlyAndNeverPassIt() throws Exception {
        Namespace alice = user("alice");
        String value = jsonString(16 * 1024); // below the fast path's bound: both paths are taken on the way up
        long each = cost("k000", value);
        long fits = 100;
        Quota quota = new Quota(UNBOUNDED, fits * each);
        List<Boolean> accepted = concurrently(16, 10, (t, i) -> tryPut(alice, String.format("k%03d", t * 10 + i),
                value, quota));
        assertEquals(fits, accepted.stream().filter(a -> a).count(),
                "exactly the writes that fit: none past the bound, no refusal while one more fitted");
        assertEquals(new PersistentStore.Usage(fits * each, fits), store.usage(alice));
        assertEquals(fits * each, entryBytes(), "the usage rows' sum is the entries' sum");
    }

    @Test
    void writersOfManyNamespacesReachTheExtensionsQuotaExactly() throws Exception {
        String value = jsonString(8 * 1024);
        long each = cost("k000", value);
        long fits = 150;
        Quota quota = new Quota(fits * each, UNBOUNDED);
        List<Boolean> accepted = concurrently(16, 12, (t, i) -> tryPut(user("u" + (t % 4)),
                String.format("k%03d", t * 12 + i), value, quota));
        assertEquals(fits, accepted.stream().filter(a -> a).count());
        assertEquals(fits * each, store.usedBytes(NOTES));
        assertEquals(fits * each, entryBytes());
    }

    @Test
    void aFastWriteCountsEveryOtherRowAsAFullFastGrowthInFlight() throws Exception {
        // One byte less than all of them together and the write must not be accepted.
        long all = everyOtherRowGrowingInFlight() + WRITE;
        Future<?> refused = pool.submit(() -> store.set(ALICE, "k", VALUE, new Quota(UNBOUNDED, all - 1)));
        awaitLockWait(); // the fast path handed over; the slow path waits for the rows held
        commitHeld();
        StorageException e = assertRefusal(refused);
        assertEquals(all, e.actual());
        assertEquals(all - WRITE, store.usage(ALICE).bytes());
    }

    @Test
    void aFastWriteThatFitsBesideEveryGrowthInFlightIsAcceptedWithoutWaiting() throws Exception {
        long limit = everyOtherRowGrowingInFlight() + WRITE;
        // Runs while the other rows stay held: the fast path decides alone.
        store.set(ALICE, "k", VALUE, new Quota(UNBOUNDED, limit));
        commitHeld();
        assertEquals(limit, store.usage(ALICE).bytes(), "the bound reached exactly once all commit");
    }

    /**
     * Seeds {@link #ALICE}, then holds SHARDS - 1 growths of FAST_MAX in flight, each on a row of its own: a write's
     * fast path finds the last free row and cannot see them. The bytes once all commit.
     */
    private long everyOtherRowGrowingInFlight() throws SQLException {
        long seed = seed(ALICE);
        holdGrowths(ALICE, SHARDS - 1, FAST_MAX);
        return seed + (SHARDS - 1) * FAST_MAX;
    }

    @Test
    void aGrowthAboveTheFastBoundTakesTheExactPathAtTheLimit() throws Exception {
        Namespace alice = user("alice");
        long seed = seed(alice);
        String big = jsonString((int) FAST_MAX + 1);
        long limit = seed + cost("big", big);
        assertCode(ErrorCode.QUOTA_EXCEEDED, () -> store.set(alice, "big", big, new Quota(UNBOUNDED, limit - 1)));
        store.set(alice, "big", big, new Quota(UNBOUNDED, limit));
        assertEquals(limit, store.usage(alice).bytes(), "exactly at the limit");
        String fast = jsonString((int) FAST_MAX - 600);
        long fastLimit = store.usage(alice).bytes() + cost("fast", fast);
        // The fast path's margin cannot hold here; the exact check accepts what fits and refuses one byte more.
        assertCode(ErrorCode.QUOTA_EXCEEDED,
                () -> store.set(alice, "fast", fast, new Quota(UNBOUNDED, fastLimit - 1)));
        store.set(alice, "fast", fast, new Quota(UNBOUNDED, fastLimit));
        assertEquals(fastLimit, store.usage(alice).bytes());
        assertEquals(fastLimit, entryBytes());
    }

    @Test
    void aGrowthThatFitsOnlyAfterAShrinkInFlightWaitsForItsCommit() throws Exception {
        assertGrowthBesideShrinkInFlight(true);
    }

    @Test
    void aGrowthThatFitsOnlyAfterAShrinkInFlightIsRefusedWhenTheShrinkRollsBack() throws Exception {
        assertGrowthBesideShrinkInFlight(false);
    }

    private void assertGrowthBesideShrinkInFlight(boolean shrinkCommits) throws Exception {
        Namespace alice = user("alice");
        long seed = seed(alice);
        String value = jsonString(1000);
        long write = cost("k", value);
        holdGrowths(alice, 1, -200); // a removal's transaction, not ended yet
        long limit = seed + write - 100;
        Future<?> growth = pool.submit(() -> store.set(alice, "k", value, new Quota(UNBOUNDED, limit)));
        awaitLockWait();
        if (shrinkCommits) {
            commitHeld();
            growth.get(60, TimeUnit.SECONDS);
            assertEquals(seed - 200 + write, store.usage(alice).bytes());
        } else {
            for (Connection c : held) {
                c.rollback();
            }
            assertRefusal(growth);
            assertEquals(seed, store.usage(alice).bytes());
        }
    }

    @Test
    void theUsageFunctionsNeverDeadlockWithWritesOfBothTablesInFlight() throws Exception {
        // Growths and shrinks of two namespaces of one extension at once, with batches and removals: every one
        // ends (a deadlock would make PostgreSQL abort one with 40P01, which fails the test).
        List<Boolean> done = concurrently(16, 20, (t, i) -> {
            Namespace ns = user("u" + (t % 2));
            String key = "k" + (i % 5);
            if (i % 3 == 2) {
                store.remove(ns, key);
            } else {
                store.set(ns, key, jsonString(100 + 3000 * (t + i) % 70_000), Quota.ofExtension(UNBOUNDED));
            }
            return true;
        });
        assertEquals(16 * 20, done.size());
        assertEquals(entryBytes(), store.usedBytes(NOTES));
        assertEquals(entryBytes(), store.usage(user("u0")).bytes() + store.usage(user("u1")).bytes());
    }

    /**
     * A bulk deletion shrinks every namespace of its batch in one transaction. Past 64 subtransactions that write,
     * a backend's cache of them overflows and every other session's snapshot slows down until the transaction
     * ends, so a shrink takes none (V16) while a growth's fast path still takes one. A subtransaction that writes
     * consumes a transaction id, which the ids handed out before and after show (a bound, not an exact count:
     * the ids are the whole cluster's).
     */
    @Test
    void shrinksOfManyNamespacesInOneTransactionTakeNoSubtransactions() throws Exception {
        int namespaces = 100;
        for (int i = 0; i < namespaces; i++) {
            seed(user("u" + i));
        }
        assertTrue(idsConsumedBy(namespaces, -1, -1) < 10, "a shrink takes no transaction id of its own");
        assertTrue(idsConsumedBy(namespaces, 1, 0) >= namespaces, "a growth takes one: the probe works");
        assertEquals(cost("seed", "1") * namespaces, store.usedBytes(NOTES), "both transactions rolled back");
    }

    /** The transaction ids one transaction consumes that changes each of {@code namespaces} users' usage once. */
    private long idsConsumedBy(int namespaces, long delta, long entries) throws SQLException {
        try (Connection probe = db.connect(); Connection c = db.connect()) {
            long before = nextTransactionId(probe);
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("SELECT ext_storage_usage_ns(?, ?, ?, ?, ?, NULL),"
                    + " ext_storage_usage_ext(?, ?, NULL)")) {
                for (int i = 0; i < namespaces; i++) {
                    EntryDao.Ref ref = EntryRefs.ref(user("u" + i), null);
                    ps.setString(1, ref.ext());
                    ps.setString(2, ref.scope());
                    ps.setString(3, ref.ownerHash());
                    ps.setLong(4, delta);
                    ps.setLong(5, entries);
                    ps.setString(6, ref.ext());
                    ps.setLong(7, delta);
                    ps.executeQuery().close();
                }
            }
            c.rollback();
            return nextTransactionId(probe) - before - 1;
        }
    }

    /** Takes the next transaction id (an auto-committed statement of its own). */
    private static long nextTransactionId(Connection probe) throws SQLException {
        try (Statement s = probe.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_current_xact_id()::text::bigint")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private boolean tryPut(Namespace ns, String key, String value, Quota quota) {
        try {
            store.set(ns, key, value, quota);
            return true;
        } catch (StorageException e) {
            assertEquals(ErrorCode.QUOTA_EXCEEDED, e.code(), e.getMessage());
            return false;
        }
    }

    /** A committed first write of the namespace: its rows exist, as after any earlier write. */
    private long seed(Namespace ns) {
        store.set(ns, "seed", "1", Quota.ofExtension(UNBOUNDED));
        return cost("seed", "1");
    }

    /** {@code count} transactions, each with one unchecked change of {@code delta} bytes of the namespace, open. */
    private void holdGrowths(Namespace ns, int count, long delta) throws SQLException {
        EntryDao.Ref ref = EntryRefs.ref(ns, null);
        for (int i = 0; i < count; i++) {
            Connection c = db.connect();
            held.add(c);
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("SELECT ext_storage_usage_ns(?, ?, ?, ?, 0, NULL)")) {
                ps.setString(1, ref.ext());
                ps.setString(2, ref.scope());
                ps.setString(3, ref.ownerHash());
                ps.setLong(4, delta);
                ps.executeQuery().close();
            }
        }
    }

    private void commitHeld() throws SQLException {
        for (Connection c : held) {
            c.commit();
        }
    }

    /** Waits until a backend of the store waits for a row lock (no timing is asserted: only that it happens). */
    private void awaitLockWait() throws Exception {
        assertTrue(eventually(Duration.ofSeconds(60), db::hasLockWait), "the write waits for the rows held");
    }

    private static StorageException assertRefusal(Future<?> write) throws Exception {
        try {
            write.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertTrue(e.getCause() instanceof StorageException, String.valueOf(e.getCause()));
            StorageException s = (StorageException) e.getCause();
            assertEquals(ErrorCode.QUOTA_EXCEEDED, s.code(), s.getMessage());
            return s;
        }
        throw new AssertionError("the write was accepted");
    }

    private long entryBytes() throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COALESCE(SUM(size_bytes), 0) FROM storage_entry")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
