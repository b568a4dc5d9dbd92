package dev.extstorage.store.sql;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteDataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The one connection of {@link SqliteWriter}, used by its thread only: opened on first use, every statement
 * prepared once and kept (SQLite's driver compiles a statement on every prepare), and dropped after a database
 * error, to be reopened by the next use.
 */
final class SqliteWriterConnection {
    // Logs under the store's name, as before the writer was split out of it, so log configuration still applies.
    private static final Logger LOG = LoggerFactory.getLogger(SqlPersistentStore.class);

    private final SQLiteDataSource source;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private Connection connection;

    SqliteWriterConnection(SQLiteDataSource source) {
        this.source = source;
    }

    /** The kept statement for {@code sql}, prepared (and the connection opened) on first use. */
    PreparedStatement statement(String sql) throws SQLException {
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

    /**
     * One {@code BEGIN IMMEDIATE} ... {@code COMMIT} around {@code steps}; if anything throws, rolled back and
     * the failure rethrown (the connection dropped if the rollback fails too).
     */
    void transaction(Steps steps) throws SQLException {
        statement("BEGIN IMMEDIATE").execute();
        try {
            steps.run();
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
    }

    /** Whether the connection is open (not dropped since its last use). */
    boolean isOpen() {
        return connection != null;
    }

    /** Closes the connection and forgets its statements; the next use opens a new one. */
    void drop() {
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

    interface Steps {
        void run() throws SQLException;
    }
}
