package dev.extstorage.store.sql;

import dev.extstorage.model.Precondition;
import dev.extstorage.store.BatchWrite;
import dev.extstorage.store.Namespace;
import dev.extstorage.store.Quota;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.extstorage.store.Fixtures.eventually;
import static dev.extstorage.store.Fixtures.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link WriteGroups} with a runner that records what it runs (the grouping alone; the PostgreSQL runner is
 * {@code PostgresWriteGroupsTest}'s). The first write of each test blocks in its runner until released, so the
 * writes sent meanwhile queue, and the groups are known exactly.
 */
class WriteGroupsTest {
    private static final Namespace ALICE = user("alice");
    private static final Namespace BOB = user("bob");
    private static final Quota QUOTA = Quota.ofExtension(1000);

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch firstRunning = new CountDownLatch(1);
    /** Each run, as the keys (value text) of its writes in the order given to the runner. */
    private final List<List<String>> runs = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean failNextMany = new AtomicBoolean();
    private final WriteGroups groups = new WriteGroups(new WriteGroups.Runner() {
        @Override
        public void one(Namespace ns, WriteGroups.Write write) {
            if (firstRunning.getCount() > 0) {
                firstRunning.countDown();
                await(release);
            }
            runs.add(List.of(label(write)));
            write.succeeded();
        }

        @Override
        public void many(Namespace ns, List<WriteGroups.Write> writes) {
            List<String> run = new ArrayList<>();
            for (WriteGroups.Write w : writes) {
                run.add(label(w));
            }
            runs.add(run);
            if (failNextMany.getAndSet(false)) {
                writes.get(0).succeeded();
                throw new IllegalStateException("the group broke");
            }
            for (WriteGroups.Write w : writes) {
                w.succeeded();
            }
        }
    });

    @AfterEach
    void stop() {
        release.countDown();
        threads.shutdownNow();
    }

    @Test
    void writesQueuedBehindARunningOneRunAsOneGroupInTheirOrder() throws Exception {
        List<Future<?>> writes = startBehindFirst(ALICE, "a=1", "b=1", "c=1");
        release.countDown();
        awaitAll(writes);
        assertEquals(List.of(List.of("first=1"), List.of("a=1", "b=1", "c=1")), runs);
        assertEquals(1, groups.groupsRun());
    }

    @Test
    void aGroupTakesOneWriteOfAKeyAndLeavesTheLaterOnesQueuedInTheirOrder() throws Exception {
        List<Future<?>> writes = startBehindFirst(ALICE, "a=1", "a=2", "b=1", "a=3");
        release.countDown();
        awaitAll(writes);
        assertEquals(List.of(List.of("first=1"), List.of("a=1", "b=1"), List.of("a=2"), List.of("a=3")), runs);
    }

    @Test
    void writesOfAnotherNamespaceDoNotWaitForTheRunningOne() throws Exception {
        startBehindFirst(ALICE);
        Future<?> bob = threads.submit(() -> groups.run(BOB, write("b=1", QUOTA)));
        bob.get(60, TimeUnit.SECONDS);
        assertEquals(List.of(List.of("b=1")), runs, "bob's write ran while alice's first one still runs");
    }

    @Test
    void writesWithAnotherQuotaRunInAGroupOfTheirOwn() throws Exception {
        List<Future<?>> writes = startBehindFirst(ALICE, "a=1");
        writes.add(submit(ALICE, write("b=1", Quota.ofExtension(5))));
        awaitQueued(ALICE, 2);
        writes.add(submit(ALICE, write("c=1", QUOTA)));
        awaitQueued(ALICE, 3);
        release.countDown();
        awaitAll(writes);
        assertEquals(List.of(List.of("first=1"), List.of("a=1", "c=1"), List.of("b=1")), runs);
    }

    @Test
    void aRunnerThatThrowsFailsTheWritesItGaveNoOutcomeAndTheNextWritesStillRun() throws Exception {
        failNextMany.set(true);
        List<Future<?>> writes = startBehindFirst(ALICE, "a=1", "b=1", "c=1");
        release.countDown();
        writes.get(1).get(60, TimeUnit.SECONDS);
        for (int i = 2; i <= 3; i++) {
            ExecutionException e = assertThrows(ExecutionException.class, writes.get(i)::get);
            assertEquals("the group broke", e.getCause().getMessage());
        }
        groups.run(ALICE, write("d=1", QUOTA));
        assertEquals(List.of("d=1"), runs.get(runs.size() - 1));
    }

    @Test
    void anInterruptedWriterWaitsForItsWriteAndKeepsItsInterruptStatus() throws Exception {
        startBehindFirst(ALICE);
        CountDownLatch queued = new CountDownLatch(1);
        AtomicBoolean interruptedAfter = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            queued.countDown();
            groups.run(ALICE, write("a=1", QUOTA));
            interruptedAfter.set(Thread.currentThread().isInterrupted());
        });
        writer.start();
        queued.await();
        awaitQueued(ALICE, 1);
        writer.interrupt();
        writer.join(200);
        assertTrue(writer.isAlive(), "the writer still waits for its write");
        assertFalse(runs.contains(List.of("a=1")));
        release.countDown();
        writer.join(60_000);
        assertFalse(writer.isAlive());
        assertTrue(runs.contains(List.of("a=1")), "its write ran");
        assertTrue(interruptedAfter.get(), "its interrupt status is kept");
    }

    @Test
    void theRunnersFailureReachesTheCallerAsThrown() {
        IllegalStateException thrown = new IllegalStateException("refused");
        WriteGroups failing = new WriteGroups(new WriteGroups.Runner() {
            @Override
            public void one(Namespace ns, WriteGroups.Write write) {
                write.failed(thrown);
            }

            @Override
            public void many(Namespace ns, List<WriteGroups.Write> writes) {
                throw new AssertionError("no group");
            }
        });
        assertSame(thrown, assertThrows(IllegalStateException.class, () -> failing.run(ALICE, write("a=1", QUOTA))));
    }

    /** Starts the blocking write {@code first=1} of {@code ns}, then the given writes, once each has queued. */
    private List<Future<?>> startBehindFirst(Namespace ns, String... labels) throws Exception {
        List<Future<?>> writes = new ArrayList<>();
        writes.add(submit(ns, write("first=1", QUOTA)));
        assertTrue(firstRunning.await(60, TimeUnit.SECONDS));
        for (int i = 0; i < labels.length; i++) {
            writes.add(submit(ns, write(labels[i], QUOTA)));
            awaitQueued(ns, i + 1);
        }
        return writes;
    }

    private Future<?> submit(Namespace ns, WriteGroups.Write write) {
        return threads.submit(() -> groups.run(ns, write));
    }

    private void awaitQueued(Namespace ns, int count) throws Exception {
        assertTrue(eventually(Duration.ofSeconds(60), () -> groups.waiting(ns) == count), count + " queued");
    }

    private static void awaitAll(List<Future<?>> writes) throws Exception {
        for (Future<?> w : writes) {
            w.get(60, TimeUnit.SECONDS);
        }
    }

    /** A write of {@code key=value}; the label is kept as the value text. */
    private static WriteGroups.Write write(String label, Quota quota) {
        String key = label.substring(0, label.indexOf('='));
        return new WriteGroups.Write(BatchWrite.of(key, label, Precondition.NONE), 1, quota, "v");
    }

    private static String label(WriteGroups.Write write) {
        return write.batchWrite.json();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
