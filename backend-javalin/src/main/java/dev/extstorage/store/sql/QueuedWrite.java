package dev.extstorage.store.sql;

import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One write queued for the {@link SqliteWriter} thread: its body, and once done its result or failure. Exactly
 * one of {@link #take} (the writer thread puts it into a batch) and {@link #cancel} (its caller withdraws it)
 * succeeds.
 */
final class QueuedWrite<T> {
    private static final int QUEUED = 0;
    private static final int TAKEN = 1;
    private static final int CANCELLED = 2;

    private final SqlWriter.TxBody<T> body;
    /** Whether the body may run more than once ({@link SqlWriter#inRerunnableTransaction}). */
    private final boolean rerunnable;
    private final AtomicInteger state = new AtomicInteger(QUEUED);
    private final CountDownLatch done = new CountDownLatch(1);
    // Written by the writer thread before done.countDown(), read by the caller after done.await().
    private T result;
    private Throwable failure;

    QueuedWrite(SqlWriter.TxBody<T> body, boolean rerunnable) {
        this.body = body;
        this.rerunnable = rerunnable;
    }

    boolean rerunnable() {
        return rerunnable;
    }

    boolean take() {
        return state.compareAndSet(QUEUED, TAKEN);
    }

    boolean cancel() {
        return state.compareAndSet(QUEUED, CANCELLED);
    }

    /** Waits at most {@code nanos} for the outcome; whether it is there. */
    boolean await(long nanos) throws InterruptedException {
        return done.await(Math.max(nanos, 0), TimeUnit.NANOSECONDS);
    }

    /** Waits for the outcome, however long; an interrupt meanwhile is kept for the caller. */
    void awaitUninterruptibly() {
        boolean interrupted = false;
        while (true) {
            try {
                done.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    void run(SqlWriter.Tx tx) throws SQLException {
        result = body.run(tx);
    }

    /** Forgets the outcome of a run whose transaction was rolled back, before the body runs again. */
    void reset() {
        result = null;
        failure = null;
    }

    void fail(Throwable e) {
        failure = e;
    }

    void failIfPending(Throwable e) {
        // A write that failed alone keeps its own error; the others lose their result with the batch.
        if (failure == null) {
            failure = e;
        }
        result = null;
    }

    void complete() {
        done.countDown();
    }

    T outcome() throws SQLException {
        if (failure instanceof SQLException e) {
            throw e;
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        return result;
    }
}
