package dev.extstorage.store.sql;

import dev.extstorage.store.BatchWrite;
import dev.extstorage.store.Namespace;
import dev.extstorage.store.Quota;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Group commit of single writes, per namespace, without a thread of its own: the caller whose write finds its
 * namespace idle runs it at once, alone ({@link Runner#one}); writes of that namespace arriving meanwhile queue up.
 * When a run ends, its runner hands the namespace to the oldest queued write, whose caller takes it and every
 * queued write of another key behind it with the same quota (at most {@value #MAX_GROUP}) and runs them together
 * ({@link Runner#many}: one transaction). So a lone write costs what it did without groups, and writers that
 * contend for one namespace, whose usage rows they would take in turn, share one transaction and its commit.
 *
 * <p>Guarantees: each write's caller returns only when its write has run, with its own outcome (the runner sets
 * it); writes of one key run in the order they queued (a group takes at most one write per key); a group's
 * writes were all queued at once, so none of them was acknowledged before another started, and any order among
 * them is one a client could see. A waiting caller that is interrupted keeps waiting (its write may be running)
 * and returns with its interrupt status set. A runner that throws fails every write of its run it left without
 * an outcome; the namespace is handed on in any case.
 */
final class WriteGroups {
    /** The most writes one group runs together. */
    static final int MAX_GROUP = 64;

    /** Runs writes of one namespace and gives each its outcome ({@link Write#succeeded}, {@link Write#failed}). */
    interface Runner {
        void one(Namespace ns, Write write);

        /** Runs two or more writes, of distinct keys and one quota. */
        void many(Namespace ns, List<Write> writes);
    }

    private final ConcurrentHashMap<Namespace, Lane> lanes = new ConcurrentHashMap<>();
    private final Runner runner;
    private final AtomicLong groups = new AtomicLong();

    WriteGroups(Runner runner) {
        this.runner = runner;
    }

    /**
     * Runs {@code write} of {@code ns}, alone or in a group: returns once it has run and succeeded.
     *
     * @throws RuntimeException the failure the runner gave the write
     */
    void run(Namespace ns, Write write) {
        write.thread = Thread.currentThread();
        Lane lane;
        while (true) {
            lane = lanes.computeIfAbsent(ns, n -> new Lane());
            synchronized (lane) {
                if (lane.retired) {
                    continue;
                }
                lane.queue.add(write);
                if (!lane.busy) {
                    lane.busy = true;
                    write.state = Write.LEADING;
                }
                break;
            }
        }
        boolean interrupted = false;
        while (write.state == Write.QUEUED) {
            LockSupport.park(this);
            interrupted |= Thread.interrupted();
        }
        if (write.state == Write.LEADING) {
            lead(ns, lane);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        write.outcome();
    }

    /** Writes of {@code ns} queued and not yet taken into a run (for tests). */
    int waiting(Namespace ns) {
        Lane lane = lanes.get(ns);
        if (lane == null) {
            return 0;
        }
        synchronized (lane) {
            return lane.queue.size();
        }
    }

    /** Groups of two or more writes run so far. */
    long groupsRun() {
        return groups.get();
    }

    /** Takes the oldest queued write (the caller's) and what may join it, runs them, and hands the lane on. */
    private void lead(Namespace ns, Lane lane) {
        List<Write> group = new ArrayList<>();
        synchronized (lane) {
            Write first = lane.queue.peek();
            Set<String> keys = new HashSet<>();
            for (Iterator<Write> it = lane.queue.iterator(); it.hasNext() && group.size() < MAX_GROUP; ) {
                Write w = it.next();
                if (w.quota.equals(first.quota) && keys.add(w.batchWrite.key())) {
                    group.add(w);
                    it.remove();
                }
            }
        }
        try {
            if (group.size() == 1) {
                runner.one(ns, group.get(0));
            } else {
                groups.incrementAndGet();
                runner.many(ns, group);
            }
        } catch (RuntimeException | Error e) {
            for (Write w : group) {
                if (!w.hasOutcome()) {
                    w.failed(e);
                }
            }
        } finally {
            Write leader = group.get(0);
            for (Write w : group) {
                if (w != leader) {
                    w.finish();
                }
            }
            synchronized (lane) {
                Write next = lane.queue.peek();
                if (next != null) {
                    next.state = Write.LEADING;
                    LockSupport.unpark(next.thread);
                } else {
                    lane.busy = false;
                    lane.retired = true;
                    lanes.remove(ns, lane);
                }
            }
        }
    }

    /** One namespace's queue; a lane removed from the map is retired, and a caller that finds one takes a new one. */
    private static final class Lane {
        final ArrayDeque<Write> queue = new ArrayDeque<>();
        boolean busy;
        boolean retired;
    }

    /** One write queued for, or running in, a group. */
    static final class Write {
        private static final int QUEUED = 0;
        private static final int LEADING = 1;
        private static final int DONE = 2;

        final BatchWrite batchWrite;
        /** The entry's cost, {@link dev.extstorage.store.EntryCost#of}. */
        final long size;
        final Quota quota;
        final String version;
        /** The caller's thread, set by {@link #run} before the write is queued (under the lane's lock). */
        private Thread thread;
        private volatile int state = QUEUED;
        // Written by the thread that runs the write before it sets state (volatile), read by the caller after.
        private boolean succeeded;
        private Throwable failure;

        Write(BatchWrite batchWrite, long size, Quota quota, String version) {
            this.batchWrite = batchWrite;
            this.size = size;
            this.quota = quota;
            this.version = version;
        }

        void succeeded() {
            succeeded = true;
            failure = null;
        }

        void failed(Throwable e) {
            succeeded = false;
            failure = e;
        }

        private boolean hasOutcome() {
            return succeeded || failure != null;
        }

        private void finish() {
            state = DONE;
            LockSupport.unpark(thread);
        }

        private void outcome() {
            if (failure instanceof RuntimeException r) {
                throw r;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            if (!succeeded) {
                throw new IllegalStateException("The write's group ended without an outcome for it");
            }
        }
    }
}
