package dev.extstorage.store.sql;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Runs the write transactions of {@link SqlPersistentStore}: commits when the body returns, rolls back when it
 * throws.
 */
interface SqlWriter {
    <T> T inTransaction(TxBody<T> body) throws SQLException;

    /**
     * As {@link #inTransaction}, for a body whose only effects are its statements and its result: the writer may
     * run it more than once, each run but the last rolled back and its result dropped. SQLite's group commit
     * uses this to run a batch of such writes without a savepoint each ({@link SqliteWriter}).
     */
    default <T> T inRerunnableTransaction(TxBody<T> body) throws SQLException {
        return inTransaction(body);
    }

    void close();

    /** The statements of one write transaction. */
    interface Tx {
        /** A statement of this transaction, ready to bind; the transaction closes it. */
        PreparedStatement prepare(String sql) throws SQLException;

        /**
         * Whether usage is spread over several rows per namespace and extension by the database's functions
         * (PostgreSQL, migration V15), rather than kept in shard 0 by plain statements (SQLite's one writer).
         */
        default boolean shardedUsage() {
            return false;
        }
    }

    @FunctionalInterface
    interface TxBody<T> {
        T run(Tx tx) throws SQLException;
    }
}
