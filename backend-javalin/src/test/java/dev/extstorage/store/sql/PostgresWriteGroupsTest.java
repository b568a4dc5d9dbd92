package dev.extstorage.store.sql;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.Precondition;
import dev.extstorage.model.StorageException;
import dev.extstorage.store.Namespace;
import dev.extstorage.store.PersistentStore;
import dev.extstorage.store.Quota;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.extstorage.store.Fixtures.cost;
import static dev.extstorage.store.Fixtures.eventually;
import static dev.extstorage.store.Fixtures.jsonString;
import static dev.extstorage.store.Fixtures.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Group commit of PostgreSQL's single writes ({@link WriteGroups}, {@link PostgresGroupWrite}) on a real database.
 * Each test makes a group deterministically: a write of the key {@code held} waits for that entry's row, which
 * another connection holds locked; the writes sent meanwhile queue behind it; when the row is released, they run
 * as one group. Each write must get the outcome it would have had alone, and the usage must stay exact.
 */
class PostgresWriteGroupsTest {
    private static final Namespace ALICE = user("alice");
    private static final long UNBOUNDED = Long.MAX_VALUE;

    private PgDatabase db;
    private PostgresPersistentStore store;
    private Connection holder;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeEach
    void open() throws Exception {
        db = PgDatabase.create("write_groups");
        store = PostgresPersistentStore.open(db.url(), 16);
    }

    @AfterEach
    void close() throws Exception {
        threads.shutdownNow();
        if (holder != null) {
            holder.close();
        }
        if (store != null) {
            store.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void writesQueuedBehindARunningWriteCommitInOneTransaction() throws Exception {
        Quota quota = Quota.ofExtension(UNBOUNDED);
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            values.put("k" + i, "{\"n\":" + i + "}");
        }
        Map<String, Future<String>> writes = behindHeldWrite(quota, values, Map.of());

        for (Map.Entry<String, Future<String>> w : writes.entrySet()) {
            String version = w.getValue().get(60, TimeUnit.SECONDS);
            assertEquals(version, store.getEntry(ALICE, w.getKey()).version(), w.getKey());
            assertEquals(values.get(w.getKey()), store.getEntry(ALICE, w.getKey()).json());
        }
        assertEquals(1, store.writeGroupsRun(), "the ten queued writes ran as one group");
        assertUsageExact();
    }

    @Test
    void aWriteThatWouldPassTheBoundFailsAloneAndTheRestOfItsGroupCommits() throws Exception {
        long seeded = seed();
        String small = jsonString(100);
        String large = jsonString(5000);
        // Room for the held write's new value and the five small writes, not for the large one besides them.
        long room = cost("held", "2") - cost("held", "1") + 5 * cost("s0", small) + cost("large", large) / 2;
        Quota quota = new Quota(UNBOUNDED, seeded + room);
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            values.put("s" + i, small);
        }
        values.put("large", large);
        Map<String, Future<String>> writes = behindHeldWrite(quota, values, Map.of());

        for (int i = 0; i < 5; i++) {
            writes.get("s" + i).get(60, TimeUnit.SECONDS);
        }
        assertFailure(ErrorCode.QUOTA_EXCEEDED, writes.get("large"));
        assertNull(store.getEntry(ALICE, "large"));
        assertEquals(1, store.writeGroupsRun());
        assertUsageExact();
    }

    @Test
    void aConditionThatDoesNotHoldFailsOnlyItsOwnWriteOfTheGroup() throws Exception {
        store.set(ALICE, "guarded", "\"old\"", Quota.ofExtension(UNBOUNDED));
        Map<String, String> values = new LinkedHashMap<>();
        values.put("a", "1");
        values.put("guarded", "\"new\"");
        values.put("b", "2");
        Map<String, Future<String>> writes = behindHeldWrite(Quota.ofExtension(UNBOUNDED), values,
                Map.of("guarded", Precondition.ifVersion("not-its-version")));

        writes.get("a").get(60, TimeUnit.SECONDS);
        writes.get("b").get(60, TimeUnit.SECONDS);
        assertFailure(ErrorCode.PRECONDITION_FAILED, writes.get("guarded"));
        assertEquals("\"old\"", store.getEntry(ALICE, "guarded").json());
        assertEquals(1, store.writeGroupsRun());
        assertUsageExact();
    }

    @Test
    void aGroupThatGrowsSomeEntriesAndShrinksOthersCommitsWithTheUsageExact() throws Exception {
        Quota open = Quota.ofExtension(UNBOUNDED);
        store.set(ALICE, "big", jsonString(4000), open);
        Map<String, String> values = new LinkedHashMap<>();
        values.put("big", "0");
        values.put("grown", jsonString(300));
        values.put("new", jsonString(1000));
        store.set(ALICE, "grown", "1", open);
        Map<String, Future<String>> writes = behindHeldWrite(open, values, Map.of());

        for (Map.Entry<String, Future<String>> w : writes.entrySet()) {
            w.getValue().get(60, TimeUnit.SECONDS);
            assertEquals(values.get(w.getKey()), store.getEntry(ALICE, w.getKey()).json());
        }
        assertEquals(1, store.writeGroupsRun(), "the three writes ran as one group");
        assertUsageExact();
    }

    /**
     * Above a lowered bound, a group whose shrink outweighs its growth is still refused the growth, as each order
     * of the two writes alone would refuse it: its net change must not hide a growth that can never fit.
     */
    @Test
    void aGrowthOfAGroupIsCheckedEvenWhenTheGroupShrinksOnTheWhole() throws Exception {
        Quota open = Quota.ofExtension(UNBOUNDED);
        store.set(ALICE, "big", jsonString(4000), open);
        seed();
        long shrink = cost("big", jsonString(4000)) - cost("big", "0");
        long growth = cost("new", jsonString(1000));
        // After the shrink the namespace is still above this bound by more than nothing: the growth never fits.
        long used = store.usage(ALICE).bytes();
        Quota lowered = new Quota(UNBOUNDED, used - shrink + growth / 2);
        assertTrue(shrink > growth, "the group shrinks on the whole");
        Map<String, String> values = new LinkedHashMap<>();
        values.put("big", "0");
        values.put("new", jsonString(1000));
        Map<String, Future<String>> writes = behindHeldWrite(lowered, values, Map.of());

        writes.get("big").get(60, TimeUnit.SECONDS);
        assertFailure(ErrorCode.QUOTA_EXCEEDED, writes.get("new"));
        assertNull(store.getEntry(ALICE, "new"));
        assertEquals(1, store.writeGroupsRun());
        assertUsageExact();
    }

    /** The namespace's first entries: the key {@code held} and a filler; their bytes. */
    private long seed() {
        Quota open = Quota.ofExtension(UNBOUNDED);
        store.set(ALICE, "held", "1", open);
        store.set(ALICE, "filler", jsonString(200), open);
        return store.usage(ALICE).bytes();
    }

    /**
     * Locks the entry {@code held} (creating it if needed), starts a write of it, which waits for that row, then
     * the given writes, which queue behind it; once all are queued, releases the row.
     */
    private Map<String, Future<String>> behindHeldWrite(Quota quota, Map<String, String> values,
                                                        Map<String, Precondition> conditions) throws Exception {
        if (store.getEntry(ALICE, "held") == null) {
            store.set(ALICE, "held", "1", Quota.ofExtension(UNBOUNDED));
        }
        holder = db.connect();
        holder.setAutoCommit(false);
        try (PreparedStatement ps = holder.prepareStatement(
                "SELECT 1 FROM storage_entry WHERE entry_key = 'held' FOR UPDATE")) {
            ps.executeQuery().close();
        }
        Future<String> held = threads.submit(() -> store.set(ALICE, "held", "2", quota));
        awaitLockWait();
        Map<String, Future<String>> writes = new LinkedHashMap<>();
        for (Map.Entry<String, String> v : values.entrySet()) {
            Precondition condition = conditions.getOrDefault(v.getKey(), Precondition.NONE);
            writes.put(v.getKey(), threads.submit(() -> store.set(ALICE, v.getKey(), v.getValue(), quota, condition)));
        }
        assertTrue(eventually(Duration.ofSeconds(60), () -> store.writesWaiting(ALICE) == values.size()),
                "every write queued");
        holder.commit();
        held.get(60, TimeUnit.SECONDS);
        for (Future<String> w : writes.values()) {
            try {
                w.get(60, TimeUnit.SECONDS);
            } catch (ExecutionException expectedForSome) {
                // Each test checks which.
            }
        }
        return writes;
    }

    private void awaitLockWait() throws Exception {
        assertTrue(eventually(Duration.ofSeconds(60), db::hasLockWait), "the held write waits for its row");
    }

    private static void assertFailure(ErrorCode code, Future<String> write) throws Exception {
        try {
            write.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertTrue(e.getCause() instanceof StorageException, String.valueOf(e.getCause()));
            assertEquals(code, ((StorageException) e.getCause()).code(), e.getCause().getMessage());
            return;
        }
        throw new AssertionError("the write was accepted");
    }

    /** The namespace's usage and the extension's equal the sums over the entries. */
    private void assertUsageExact() throws SQLException {
        List<Long> sums = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COALESCE(SUM(size_bytes), 0), COUNT(*) FROM storage_entry")) {
            rs.next();
            sums.add(rs.getLong(1));
            sums.add(rs.getLong(2));
        }
        PersistentStore.Usage usage = store.usage(ALICE);
        assertEquals(sums.get(0), usage.bytes(), "namespace bytes");
        assertEquals(sums.get(1), usage.entries(), "namespace entries");
        assertEquals(sums.get(0), store.usedBytes(ALICE.extension()), "extension bytes");
    }
}
