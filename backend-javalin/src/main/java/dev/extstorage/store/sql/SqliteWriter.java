package dev.extstorage.store.sql;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteDataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * SQLite: the one writer connection, its statements prepared once and kept, with group commit. Every write is
 * queued; whichever writer takes the (non-fair) lock becomes the leader and runs the queued writes, in queue
 * order and at most {@value #MAX_BATCH} of them, in ONE {@code BEGIN IMMEDIATE} transaction with one
 * {@code COMMIT}, then completes every writer of the batch. The others park until their write is done or it is
 * their turn to lead. A lone writer finds the lock free and commits its own write at once, so there is no added
 * latency without contention; under contention the cost of a commit and of the lock hand-offs is shared by the
 * whole batch.
 *
 * <p>Guarantees, as with one transaction per write: a write returns only after the {@code COMMIT} that holds
 * it, so an acknowledged write is as durable as before; writes apply in queue order, so change numbers follow
 * the order of the acknowledgements. In a batch of more than one write each write runs inside its own
 * {@code SAVEPOINT}: a write whose body throws (for example a quota refusal) is rolled back alone and fails
 * alone, the others still commit. If the savepoint cannot be rolled back, or the {@code COMMIT} fails, every
 * write of the batch fails with that error and none of them is kept.
 *
 * <p>A writer waits at most the busy time-out for its write to be taken into a batch (so writers do not pile up
 * behind a lock held by another process); once taken, it waits for the batch to finish, which SQLite bounds by
 * the same busy time-out. After a database error the connection is dropped and reopened by the next batch.
 */
final class SqliteWriter implements SqlWriter {
    /** The most writes committed together: bounds a batch's transaction and the latency of its first write. */
    static final int MAX_BATCH = 256;
    // Logs under the store's name, as before this class was split out of it, so log configuration still applies.
    private static final Logger LOG = LoggerFactory.getLogger(SqlPersistentStore.class);

    private final SQLiteDataSource source;
    private final long lockTimeoutMs;
    private final ReentrantLock lock = new ReentrantLock();
    private final ConcurrentLinkedQueue<Write<?>> queue = new ConcurrentLinkedQueue<>();
    // Only touched while holding lock.
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final List<Write<?>> batch = new ArrayList<>(MAX_BATCH);
    private Connection connection;
    private boolean closed;

    SqliteWriter(SQLiteDataSource source, long lockTimeoutMs) {
        this.source = source;
        this.lockTimeoutMs = lockTimeoutMs;
    }

    @Override
    public <T> T inTransaction(TxBody<T> body) throws SQLException {
        Write<T> write = new Write<>(body, Thread.currentThread());
        queue.add(write);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(lockTimeoutMs);
        boolean interrupted = false;
        try {
            while (!write.isDone()) {
                if (lock.tryLock()) {
                    try {
                        while (!write.isDone()) {
                            runBatch();
                        }
                    } finally {
                        lock.unlock();
                    }
                    wakeNextLeader();
                    break;
                }
                long left = deadline - System.nanoTime();
                if (write.state.get() == Write.QUEUED && (left <= 0 || interrupted)) {
                    if (write.state.compareAndSet(Write.QUEUED, Write.CANCELLED)) {
                        queue.remove(write);
                        throw interrupted
                                ? new SQLTransientConnectionException("Interrupted waiting for the SQLite writer")
                                : new SQLTransientConnectionException("SQLite writer busy for " + lockTimeoutMs
                                + " ms");
                    }
                }
                // Once taken into a batch the write cannot be withdrawn: wait for its outcome, however long.
                LockSupport.parkNanos(this, write.state.get() == Write.QUEUED
                        ? Math.max(left, 1) : TimeUnit.MILLISECONDS.toNanos(lockTimeoutMs));
                if (Thread.interrupted()) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return write.outcome();
    }

    /** Writes waiting to be taken into a batch (for tests). */
    int queued() {
        return queue.size();
    }

    /**
     * After a leader lets go of the lock, the writer at the head of the queue (if any) is woken to lead the next
     * batch: every writer that found the lock taken is queued before that leader let go, so none is forgotten.
     */
    private void wakeNextLeader() {
        Write<?> next;
        while ((next = queue.peek()) != null) {
            if (next.state.get() == Write.CANCELLED) {
                queue.remove(next);
                continue;
            }
            LockSupport.unpark(next.thread);
            return;
        }
    }

    /** Takes up to {@value #MAX_BATCH} queued writes, runs them in one transaction and completes each. */
    private void runBatch() {
        batch.clear();
        Write<?> w;
        while (batch.size() < MAX_BATCH && (w = queue.poll()) != null) {
            if (w.state.compareAndSet(Write.QUEUED, Write.TAKEN)) {
                batch.add(w);
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            if (closed) {
                throw new SQLTransientConnectionException("The SQLite store is closed");
            }
            statement("BEGIN IMMEDIATE").execute();
            try {
                if (batch.size() == 1) {
                    runAlone(batch.get(0));
                } else {
                    for (Write<?> write : batch) {
                        runInSavepoint(write);
                    }
                }
                statement("COMMIT").execute();
            } catch (Throwable e) {
                try {
                    statement("ROLLBACK").execute();
                } catch (SQLException r) {
                    e.addSuppressed(r);
                    drop();
                }
                throw e;
            }
        } catch (Throwable e) {
            if (e instanceof SQLException) {
                drop();
            }
            for (Write<?> write : batch) {
                write.failIfPending(batch.size() == 1 ? e : sharedFailure(e));
            }
        } finally {
            // Completes every write, also when the batch failed in a way not caught above: none is left waiting.
            for (Write<?> write : batch) {
                write.complete();
            }
            batch.clear();
        }
    }

    /** A lone write's failure rolls back the whole transaction, as before batching, so it needs no savepoint. */
    private void runAlone(Write<?> write) throws SQLException {
        write.run(this::statement);
    }

    private void runInSavepoint(Write<?> write) throws SQLException {
        statement("SAVEPOINT w").execute();
        try {
            write.run(this::statement);
        } catch (SQLException | RuntimeException e) {
            write.fail(e);
            // If the savepoint cannot be undone (SQLite may have rolled back the whole transaction on an I/O
            // error), this throws and fails the whole batch; otherwise only this write fails.
            statement("ROLLBACK TO w").execute();
        }
        statement("RELEASE w").execute();
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

    private PreparedStatement statement(String sql) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            if (connection == null) {
                connection = source.getConnection();
            }
            ps = connection.prepareStatement(sql);
            statements.put(sql, ps);
        }
        return ps;
    }

    private void drop() {
        statements.clear();
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.warn("Closing the SQLite writer connection failed: {}", e.toString());
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            drop();
        } finally {
            lock.unlock();
        }
        // Writers queued meanwhile must still learn that the store is closed.
        wakeNextLeader();
    }

    /** One queued write: its body, its writer, and once done its result or failure. */
    private static final class Write<T> {
        static final int QUEUED = 0;
        static final int TAKEN = 1;
        static final int CANCELLED = 2;
        static final int DONE = 3;

        final TxBody<T> body;
        final Thread thread;
        final AtomicInteger state = new AtomicInteger(QUEUED);
        // Written by the leader before the volatile write of DONE, read by the writer after reading DONE.
        private T result;
        private Throwable failure;

        Write(TxBody<T> body, Thread thread) {
            this.body = body;
            this.thread = thread;
        }

        boolean isDone() {
            return state.get() == DONE;
        }

        void run(Tx tx) throws SQLException {
            result = body.run(tx);
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
            state.set(DONE);
            if (thread != Thread.currentThread()) {
                LockSupport.unpark(thread);
            }
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
}
