package dev.extstorage.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteDataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * SQLite: the one writer connection, its statements prepared once and kept, guarded by a lock that waits at
 * most the busy time-out (so writers do not pile up behind a lock held by another process). Transactions
 * are {@code BEGIN IMMEDIATE}: the database write lock is taken at the start, never upgraded midway. After
 * a database error the connection is dropped and reopened by the next write.
 */
final class SqliteWriter implements SqlWriter {
    // Logs under the store's name, as before this class was split out of it, so log configuration still applies.
    private static final Logger LOG = LoggerFactory.getLogger(SqlPersistentStore.class);

    private final SQLiteDataSource source;
    private final long lockTimeoutMs;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private Connection connection;
    private boolean closed;

    SqliteWriter(SQLiteDataSource source, long lockTimeoutMs) {
        this.source = source;
        this.lockTimeoutMs = lockTimeoutMs;
    }

    @Override
    public <T> T inTransaction(TxBody<T> body) throws SQLException {
        acquire();
        try {
            if (closed) {
                throw new SQLTransientConnectionException("The SQLite store is closed");
            }
            statement("BEGIN IMMEDIATE").execute();
            try {
                T result = body.run(this::statement);
                statement("COMMIT").execute();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    statement("ROLLBACK").execute();
                } catch (SQLException r) {
                    e.addSuppressed(r);
                    drop();
                }
                throw e;
            }
        } catch (SQLException e) {
            drop();
            throw e;
        } finally {
            lock.unlock();
        }
    }

    private void acquire() throws SQLException {
        try {
            if (!lock.tryLock(lockTimeoutMs, TimeUnit.MILLISECONDS)) {
                throw new SQLTransientConnectionException("SQLite writer busy for " + lockTimeoutMs + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("Interrupted waiting for the SQLite writer", e);
        }
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
    }
}
