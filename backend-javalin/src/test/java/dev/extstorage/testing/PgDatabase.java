package dev.extstorage.testing;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A PostgreSQL database of a test's own on the server of {@code EXT_STORAGE_TEST_PG_URL} (as that URL's user,
 * who may create databases), dropped by {@link #close()}: tables, sequences and functions of the schema cannot
 * meet another test's.
 */
public final class PgDatabase implements AutoCloseable {
    private final String admin;
    private final String name;
    private final String url;

    private PgDatabase(String admin, String name, String url) {
        this.admin = admin;
        this.name = name;
        this.url = url;
    }

    /** Creates an empty database named {@code prefix} and a random suffix. */
    public static PgDatabase create(String prefix) throws SQLException {
        String admin = TestServices.postgresUrl();
        String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        URI u = URI.create(admin.substring("jdbc:".length()));
        return new PgDatabase(admin, name, "jdbc:postgresql://" + u.getHost() + ":" + u.getPort() + "/" + name
                + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()));
    }

    /** Its JDBC URL, with the credentials of {@code EXT_STORAGE_TEST_PG_URL}. */
    public String url() {
        return url;
    }

    public String name() {
        return name;
    }

    /** A connection to it (the caller closes it). */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }

    /** Whether a session of this database waits for a lock now (a row lock another transaction holds, say). */
    public boolean hasLockWait() {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM pg_stat_activity"
                     + " WHERE datname = current_database() AND wait_event_type = 'Lock'")) {
            rs.next();
            return rs.getInt(1) > 0;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }
}
