package dev.extstorage.store.sql;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteDataSource;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * SQLite: one writer thread with the one writer connection, its statements prepared once and kept, and group
 * commit. Every write is queued; the writer thread takes the queued writes, in queue order and at most
 * {@value #MAX_BATCH} of them, runs them in ONE {@code BEGIN IMMEDIATE} transaction with one {@code COMMIT}, then
 * completes every write of the batch. A lone write is a batch of one, committed as soon as the thread takes
 * it; under contention the cost of a commit is shared by the whole batch.
 *
 * <p>Guarantees, as with one transaction per write: a write returns only after the {@code COMMIT} that holds
 * it, so an acknowledged write is as durable as before; writes apply in queue order, so change numbers follow
 * the order of the acknowledgements. In a batch of more than one write each write runs inside its own
 * {@code SAVEPOINT}: a write whose body throws (for example a quota refusal) is rolled back alone and fails
 * alone, the others still commit. A batch of rerunnable writes only ({@link #inRerunnableTransaction}, every
 * write of the store) first runs without savepoints; if one of its writes throws, the whole transaction is
 * rolled back and the batch runs again as above, so the outcome is the same. If the savepoint cannot be rolled
 * back, or the {@code COMMIT} fails, every write of the batch fails with that error and none of them is kept.
 *
 * <p>A caller waits at most the busy time-out for its write to be taken into a batch (so callers do not pile up
 * behind a lock held by another process); once taken, it waits for the batch to finish, which SQLite bounds by
 * the same busy time-out. After a database error the connection is dropped and reopened by the next batch.
 * {@link #close} lets the thread finish the writes queued before it, fails those queued after, and closes the
 * connection.
 */
final class SqliteWriter implements SqlWriter {
    /** The most writes committed together: bounds a batch's transaction and the latency of its first write. */
    static final int MAX_BATCH = 256;
    // Logs under the store's name, as before this class was split out of it, so log configuration still applies.
    private static final Logger LOG = LoggerFactory.getLogger(SqlPersistentStore.class);
    /** Queued by close(): the thread ends once it has run every write queued before it. */
    private static final QueuedWrite<Void> END = new QueuedWrite<>(tx -> null, false);

    private final SqliteWriterConnection db;
    private final long lockTimeoutMs;
    private final LinkedBlockingQueue<QueuedWrite<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;
    // Only touched by the writer thread.
    private final List<QueuedWrite<?>> batch = new ArrayList<>(MAX_BATCH);
    /** Savepoints taken so far (for tests; read after the writes that took them have returned). */
    private long savepoints;

    SqliteWriter(SQLiteDataSource source, long lockTimeoutMs) {
        this.db = new SqliteWriterConnection(source);
        this.lockTimeoutMs = lockTimeoutMs;
        this.thread = new Thread(this::drain, "sqlite-writer");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public <T> T inTransaction(TxBody<T> body) throws SQLException {
        return submit(body, false);
    }

    @Override
    public <T> T inRerunnableTransaction(TxBody<T> body) throws SQLException {
        return submit(body, true);
    }

    private <T> T submit(TxBody<T> body, boolean rerunnable) throws SQLException {
        if (closed) {
            throw closedFailure();
        }
        QueuedWrite<T> write = new QueuedWrite<>(body, rerunnable);
        queue.add(write);
        if (closed && write.cancel()) {
            // Raced with close(): the thread may have ended before this write was queued.
            queue.remove(write);
            throw closedFailure();
        }
        try {
            if (!write.await(TimeUnit.MILLISECONDS.toNanos(lockTimeoutMs))) {
                withdraw(write, "SQLite writer busy for " + lockTimeoutMs + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            withdraw(write, "Interrupted waiting for the SQLite writer");
        }
        return write.outcome();
    }

    /**
     * Fails a write still queued with {@code reason}; once taken into a batch it cannot be withdrawn, so this
     * then waits for its outcome, however long.
     */
    private void withdraw(QueuedWrite<?> write, String reason) throws SQLException {
        if (write.cancel()) {
            queue.remove(write);
            throw new SQLTransientConnectionException(reason);
        }
        write.awaitUninterruptibly();
    }

    long savepoints() {
        return savepoints;
    }

    /** Writes waiting to be taken into a batch (for tests). */
    int queued() {
        return queue.size();
    }

    /** The writer thread: takes batches off the queue until close() queues {@link #END}. */
    private void drain() {
        boolean ending = false;
        while (!ending) {
            QueuedWrite<?> next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                continue;
            }
            batch.clear();
            while (next != null) {
                if (next == END) {
                    ending = true;
                    break;
                }
                if (next.take()) {
                    batch.add(next);
                    if (batch.size() == MAX_BATCH) {
                        break;
                    }
                }
                next = queue.poll();
            }
            if (!batch.isEmpty()) {
                runBatch();
            }
        }
        QueuedWrite<?> late;
        while ((late = queue.poll()) != null) {
            if (late.take()) {
                late.failIfPending(closedFailure());
                late.complete();
            }
        }
        db.drop();
    }

    /** Runs the batch in one transaction and completes each of its writes. */
    private void runBatch() {
        try {
            if (batch.size() == 1) {
                // A lone write's failure rolls back the whole transaction, so it needs no savepoint.
                db.transaction(() -> batch.get(0).run(db::statement));
            } else if (!allRerunnable() || !runWithoutSavepoints()) {
                db.transaction(() -> {
                    for (QueuedWrite<?> write : batch) {
                        runInSavepoint(write);
                    }
                });
            }
        } catch (Throwable e) {
            if (e instanceof SQLException) {
                db.drop();
            }
            for (QueuedWrite<?> write : batch) {
                write.failIfPending(batch.size() == 1 ? e : sharedFailure(e));
            }
        } finally {
            // Completes every write, also when the batch failed in a way not caught above: none is left waiting.
            for (QueuedWrite<?> write : batch) {
                write.complete();
            }
            batch.clear();
        }
    }

    private boolean allRerunnable() {
        for (QueuedWrite<?> write : batch) {
            if (!write.rerunnable()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Runs the batch's writes, all rerunnable, one after the other without savepoints (two of the three
     * statements a write of a batch would otherwise cost): whether they committed. If one throws, the whole transaction
     * is rolled back and the outcomes forgotten, to run the batch again with a savepoint per write, where that
     * write fails alone. Refusals are rare, so the second run is too.
     *
     * @throws SQLException if {@code BEGIN} or {@code COMMIT} failed (a second run would only wait for the lock
     *                      again), or the rollback did (the connection is dropped): the batch fails
     */
    private boolean runWithoutSavepoints() throws SQLException {
        boolean[] writeFailed = {false};
        try {
            db.transaction(() -> {
                for (QueuedWrite<?> write : batch) {
                    try {
                        write.run(db::statement);
                    } catch (SQLException | RuntimeException e) {
                        writeFailed[0] = true;
                        throw e;
                    }
                }
            });
            return true;
        } catch (SQLException | RuntimeException e) {
            if (!writeFailed[0] || !db.isOpen()) {
                throw e;
            }
            for (QueuedWrite<?> write : batch) {
                write.reset();
            }
            return false;
        }
    }

    private void runInSavepoint(QueuedWrite<?> write) throws SQLException {
        savepoints++;
        db.statement("SAVEPOINT w").execute();
        try {
            write.run(db::statement);
        } catch (SQLException | RuntimeException e) {
            write.fail(e);
            // If the savepoint cannot be undone (SQLite may have rolled back the whole transaction on an I/O
            // error), this throws and fails the whole batch; otherwise only this write fails.
            db.statement("ROLLBACK TO w").execute();
        }
        db.statement("RELEASE w").execute();
    }

    // Each writer of a failed batch gets its own exception (they are thrown in several threads), with the cause.
    private static Throwable sharedFailure(Throwable e) {
        if (e instanceof SQLTransientConnectionException) {
            return new SQLTransientConnectionException("The SQLite write batch failed: " + e.getMessage(), e);
        }
        if (e instanceof SQLException s) {
            return new SQLException("The SQLite write batch failed: " + e.getMessage(), s.getSQLState(),
                    s.getErrorCode(), e);
        }
        return e instanceof Error ? e : new IllegalStateException("The SQLite write batch failed: " + e, e);
    }

    private static SQLTransientConnectionException closedFailure() {
        return new SQLTransientConnectionException("The SQLite store is closed");
    }

    /**
     * Lets the thread run the writes queued so far, fails later ones, and waits (at most the busy time-out
     * plus a margin) for the thread to close the connection.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.add(END);
        try {
            thread.join(lockTimeoutMs + 5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("The SQLite writer did not finish its queued writes in time; they fail or finish later");
        }
    }
}
