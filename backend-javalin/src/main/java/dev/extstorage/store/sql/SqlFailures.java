package dev.extstorage.store.sql;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * Turns whatever a database call throws into the one error the HTTP layer expects from a store that cannot
 * serve: {@link ErrorCode#STORE_UNAVAILABLE}. Failures that mean "cannot reach the database now" (no
 * connection, pool time-out, server shutting down, a lock that stays busy) are expected in operation and
 * logged briefly; anything else is a bug or a broken database and is logged with its stack trace.
 */
final class SqlFailures {
    private static final Logger LOG = LoggerFactory.getLogger(SqlFailures.class);

    private SqlFailures() {
    }

    static StorageException unavailable(String engine, String what, Throwable e) {
        if (isUnreachable(e)) {
            LOG.warn("{} store: cannot {}: {}", engine, what, rootMessage(e));
        } else {
            LOG.error("{} store: {} failed", engine, what, e);
        }
        return new StorageException(ErrorCode.STORE_UNAVAILABLE,
                "The persistent store is unavailable; retry later", e);
    }

    /**
     * A write transaction of {@code writer}: rule violations ({@link StorageException}) pass through, every other
     * failure is {@code STORE_UNAVAILABLE}.
     */
    static <T> T inTransaction(SqlWriter writer, String engine, String action, SqlWriter.TxBody<T> body) {
        return translated(engine, action, () -> writer.inTransaction(body));
    }

    /** As {@link #inTransaction}, for a body the writer may run more than once ({@link SqlWriter#inRerunnableTransaction}). */
    static <T> T inRerunnableTransaction(SqlWriter writer, String engine, String action, SqlWriter.TxBody<T> body) {
        return translated(engine, action, () -> writer.inRerunnableTransaction(body));
    }

    private interface WriterCall<T> {
        T call() throws SQLException;
    }

    private static <T> T translated(String engine, String action, WriterCall<T> call) {
        try {
            return call.call();
        } catch (StorageException e) {
            throw e;
        } catch (SQLException | RuntimeException e) {
            throw unavailable(engine, action, e);
        }
    }

    /** Whether {@code e}, or an exception it wraps, says the database cannot be reached or used right now. */
    static boolean isUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof ConnectException
                    || t instanceof SocketTimeoutException) {
                return true;
            }
            if (t instanceof SQLiteException) {
                SQLiteErrorCode code = ((SQLiteException) t).getResultCode();
                String name = code == null ? "" : code.name();
                if (name.startsWith("SQLITE_BUSY") || name.startsWith("SQLITE_LOCKED")
                        || name.startsWith("SQLITE_CANTOPEN") || name.startsWith("SQLITE_IOERR")
                        || name.startsWith("SQLITE_FULL")) {
                    return true;
                }
            }
            if (t instanceof SQLException) {
                String state = ((SQLException) t).getSQLState();
                // 08: connection exception; 57P01-3: server shutting down or starting; 53300: too many
                // connections; 57014: statement cancelled (time-out).
                if (state != null && (state.startsWith("08") || state.startsWith("57P") || state.equals("53300")
                        || state.equals("57014"))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.toString();
    }
}
