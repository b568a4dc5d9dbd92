package dev.extstorage.store.sql;

import dev.extstorage.model.Precondition;
import dev.extstorage.store.Versions;

import dev.extstorage.store.Fixtures;

import dev.extstorage.store.Quota;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.StorageException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.extstorage.store.Fixtures.shared;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Group commit of {@link SqliteWriter}, made deterministic: a first write holds the writer thread inside its
 * body while the others queue, so they form one batch when it lets go.
 */
class SqliteWriterTest {
    private static final Quota NO_QUOTA = Quota.ofExtension(Long.MAX_VALUE);
    private static final int QUEUED = 12;

    @TempDir
    Path dir;
    private String url;
    private SqliteWriter writer;
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @BeforeEach
    void open() {
        url = "jdbc:sqlite:" + dir.resolve("writer.db");
        SqlSchema.migrate(SqlConnections.sqliteSource(url, false, 5000), SqlitePersistentStore.MIGRATIONS);
        writer = new SqliteWriter(SqlConnections.sqliteSource(url, false, 5000), 5000);
    }

    @AfterEach
    void close() {
        pool.shutdownNow();
        writer.close();
    }

    private static EntryDao.Ref ref(String key) {
        return EntryRefs.ref(shared(), key);
    }

    private static long size(String key, String json) {
        return Fixtures.cost(key, json);
    }

    /** Starts a write whose body waits for the returned latch, and returns once it is inside its transaction. */
    private CountDownLatch holdTheWriter() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        pool.submit(() -> writer.inTransaction(tx -> {
            EntryWrites.put(tx, ref("first"), "0", size("first", "0"), NO_QUOTA, Versions.next(), Precondition.NONE);
            inside.countDown();
            try {
                assertTrue(release.await(30, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return null;
        }));
        assertTrue(inside.await(30, TimeUnit.SECONDS));
        return release;
    }

    private void awaitQueued(int writes) throws Exception {
        assertTrue(Fixtures.eventually(Duration.ofSeconds(30), () -> writer.queued() == writes),
                "queued: " + writer.queued());
    }

    private long usage() throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT used_bytes FROM extension_usage")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private List<String> keysByChange() throws Exception {
        List<String> keys = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT entry_key FROM storage_entry ORDER BY change_seq")) {
            while (rs.next()) {
                keys.add(rs.getString(1));
            }
        }
        return keys;
    }

    private long storedBytes() throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COALESCE(SUM(size_bytes), 0) FROM storage_entry")) {
            return rs.getLong(1);
        }
    }

    @Test
    void queuedWritesCommitTogetherAndAQuotaRefusalFailsOnlyItself() throws Exception {
        CountDownLatch release = holdTheWriter();
        long first = size("first", "0");
        // Each write adds the same bytes; the quota leaves room for exactly 5 of them.
        long each = size("keya", "12345");
        long quota = first + 5 * each;
        List<Thread> ranOn = Collections.synchronizedList(new ArrayList<>());
        List<String> applied = Collections.synchronizedList(new ArrayList<>());
        List<Future<String>> outcomes = new ArrayList<>();
        for (int i = 0; i < QUEUED; i++) {
            String key = "key" + (char) ('a' + i);
            outcomes.add(pool.submit(() -> {
                try {
                    writer.inTransaction(tx -> {
                        ranOn.add(Thread.currentThread());
                        EntryWrites.put(tx, ref(key), "12345", size(key, "12345"), Quota.ofExtension(quota), Versions.next(), Precondition.NONE);
                        applied.add(key);
                        return null;
                    });
                    return "ok";
                } catch (StorageException e) {
                    return e.code().name();
                }
            }));
        }
        awaitQueued(QUEUED);
        release.countDown();

        int ok = 0;
        for (Future<String> outcome : outcomes) {
            String o = outcome.get(30, TimeUnit.SECONDS);
            assertTrue(o.equals("ok") || o.equals(ErrorCode.QUOTA_EXCEEDED.name()), o);
            ok += o.equals("ok") ? 1 : 0;
        }
        assertEquals(5, ok);
        // Not declared rerunnable: each write of the batch had its savepoint from the start.
        assertEquals(QUEUED, writer.savepoints());
        // The writer thread ran every queued write, after the held one: they were one batch.
        assertEquals(QUEUED, ranOn.size());
        assertEquals(1, ranOn.stream().distinct().count(), "writes ran on " + ranOn);
        assertEquals(quota, usage());
        assertEquals(usage(), storedBytes());
        // The refused writes left nothing; the accepted ones are listed in the order they were applied.
        List<String> expected = new ArrayList<>(List.of("first"));
        expected.addAll(applied);
        assertEquals(expected, keysByChange());
    }

    @Test
    void aWriteThatFailsInABatchRollsBackOnlyItsOwnStatements() throws Exception {
        CountDownLatch release = holdTheWriter();
        List<Future<?>> writes = new ArrayList<>();
        for (int i = 0; i < QUEUED; i++) {
            String key = "key" + i;
            boolean broken = i == QUEUED / 2;
            writes.add(pool.submit(() -> writer.inTransaction(tx -> {
                EntryWrites.put(tx, ref(key), "1", size(key, "1"), NO_QUOTA, Versions.next(), Precondition.NONE);
                if (broken) {
                    throw new IllegalStateException("broken body");
                }
                return key;
            })));
        }
        awaitQueued(QUEUED);
        release.countDown();
        for (int i = 0; i < QUEUED; i++) {
            if (i == QUEUED / 2) {
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> writes.get(QUEUED / 2).get(30, TimeUnit.SECONDS));
                assertInstanceOf(IllegalStateException.class, e.getCause());
            } else {
                assertEquals("key" + i, writes.get(i).get(30, TimeUnit.SECONDS));
            }
        }
        List<String> keys = keysByChange();
        assertEquals(QUEUED, keys.size());
        assertFalse(keys.contains("key" + QUEUED / 2));
        assertEquals(storedBytes(), usage());
    }

    /** Queues {@code QUEUED} rerunnable puts of key0, key1, ... one at a time (so in key order) behind the held write. */
    private List<Future<String>> queueRerunnablePuts(Quota quota, List<String> ran) throws Exception {
        List<Future<String>> outcomes = new ArrayList<>();
        for (int i = 0; i < QUEUED; i++) {
            String key = "key" + i;
            outcomes.add(pool.submit(() -> {
                try {
                    return writer.inRerunnableTransaction(tx -> {
                        ran.add(key);
                        EntryWrites.put(tx, ref(key), "12345", size(key, "12345"), quota, Versions.next(),
                                Precondition.NONE);
                        return key;
                    });
                } catch (StorageException e) {
                    return e.code().name();
                }
            }));
            awaitQueued(i + 1);
        }
        return outcomes;
    }

    @Test
    void aBatchOfRerunnableWritesRunsOnceWithoutSavepoints() throws Exception {
        CountDownLatch release = holdTheWriter();
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        List<Future<String>> outcomes = queueRerunnablePuts(NO_QUOTA, ran);
        release.countDown();
        List<String> expected = new ArrayList<>(List.of("first"));
        for (int i = 0; i < QUEUED; i++) {
            assertEquals("key" + i, outcomes.get(i).get(30, TimeUnit.SECONDS));
            expected.add("key" + i);
        }
        assertEquals(0, writer.savepoints());
        assertEquals(expected.subList(1, expected.size()), ran);
        assertEquals(expected, keysByChange());
        assertEquals(storedBytes(), usage());
    }

    @Test
    void aRefusedRerunnableWriteFailsAloneAndItsBatchRunsAgainWithSavepoints() throws Exception {
        CountDownLatch release = holdTheWriter();
        // Room for exactly 5 of the queued writes after the held one.
        long quota = size("first", "0") + 5 * size("key0", "12345");
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        List<Future<String>> outcomes = queueRerunnablePuts(Quota.ofExtension(quota), ran);
        release.countDown();
        List<String> expected = new ArrayList<>(List.of("first"));
        for (int i = 0; i < QUEUED; i++) {
            String outcome = outcomes.get(i).get(30, TimeUnit.SECONDS);
            if (i < 5) {
                assertEquals("key" + i, outcome);
                expected.add("key" + i);
            } else {
                assertEquals(ErrorCode.QUOTA_EXCEEDED.name(), outcome);
            }
        }
        // The first run stopped at the first refusal (key5) and was rolled back; the second ran every write.
        assertEquals(QUEUED, writer.savepoints());
        assertEquals(6 + QUEUED, ran.size());
        assertEquals(expected, keysByChange());
        assertEquals(quota, usage());
        assertEquals(usage(), storedBytes());
    }

    @Test
    void aWriterQueuedPastTheTimeOutFailsAndItsWriteNeverRuns() throws Exception {
        writer.close();
        writer = new SqliteWriter(SqlConnections.sqliteSource(url, false, 5000), 200);
        CountDownLatch release = holdTheWriter();
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        Future<?> late = pool.submit(() -> writer.inTransaction(tx -> {
            ran.add("late");
            return null;
        }));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> late.get(30, TimeUnit.SECONDS));
        assertInstanceOf(SQLTransientConnectionException.class, e.getCause());
        assertEquals(0, writer.queued());
        release.countDown();
        assertNull(writer.inTransaction(tx -> null));
        assertEquals(List.of(), ran);
        assertEquals(List.of("first"), keysByChange());
    }

    @Test
    void everyWriteRunsOnTheOneWriterThreadAndIsCommittedWhenItReturns() throws Exception {
        List<Thread> ranOn = new ArrayList<>();
        for (String key : List.of("k1", "k2")) {
            writer.inTransaction(tx -> {
                ranOn.add(Thread.currentThread());
                EntryWrites.put(tx, ref(key), "1", size(key, "1"), NO_QUOTA, Versions.next(), Precondition.NONE);
                return null;
            });
            // Visible to another connection at once: acknowledged only after its COMMIT.
            assertTrue(keysByChange().contains(key));
        }
        assertEquals(2, ranOn.size());
        assertEquals(ranOn.get(0), ranOn.get(1));
        assertNotEquals(Thread.currentThread(), ranOn.get(0));
        assertEquals(List.of("k1", "k2"), keysByChange());
    }

    @Test
    void closeFinishesTheQueuedWritesAndFailsLaterOnes() throws Exception {
        CountDownLatch release = holdTheWriter();
        List<Future<String>> queued = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String key = "queued" + i;
            queued.add(pool.submit(() -> writer.inTransaction(tx -> {
                EntryWrites.put(tx, ref(key), "1", size(key, "1"), NO_QUOTA, Versions.next(), Precondition.NONE);
                return key;
            })));
            // one at a time, so the queue order is the order of the keys
            awaitQueued(i + 1);
        }
        Future<?> closing = pool.submit(() -> writer.close());
        // close() queues its end behind the three writes, then waits for the thread.
        awaitQueued(4);
        SQLTransientConnectionException late = assertThrows(SQLTransientConnectionException.class,
                () -> writer.inTransaction(tx -> "late"));
        assertTrue(late.getMessage().contains("closed"), late.getMessage());
        release.countDown();
        for (int i = 0; i < 3; i++) {
            assertEquals("queued" + i, queued.get(i).get(30, TimeUnit.SECONDS));
        }
        closing.get(30, TimeUnit.SECONDS);
        assertEquals(List.of("first", "queued0", "queued1", "queued2"), keysByChange());
        assertThrows(SQLTransientConnectionException.class, () -> writer.inTransaction(tx -> null));
    }
}
