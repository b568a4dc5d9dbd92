package dev.extstorage.store.sql;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ReadStatements} on a real SQLite pool of one connection: reuse across borrows, discard, retirement. */
class ReadStatementsTest {
    private static final String SELECT = "SELECT v FROM t WHERE k = ?";
    @TempDir
    Path dir;
    private HikariDataSource pool;
    private final ReadStatements statements = new ReadStatements();

    @BeforeEach
    void open() throws SQLException {
        pool = SqlConnections.pool("test-read", SqlConnections.sqliteSource("jdbc:sqlite:" + dir.resolve("t.db"),
                false, 1000), 1, 1000);
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT)");
            s.execute("INSERT INTO t VALUES ('a', 'one'), ('b', 'two')");
        }
    }

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void theSameStatementServesEveryBorrowOfAConnection() throws SQLException {
        PreparedStatement first;
        try (Connection c = pool.getConnection()) {
            first = statements.prepare(c, SELECT);
            assertEquals("one", read(first, "a"));
        }
        try (Connection c = pool.getConnection()) {
            PreparedStatement again = statements.prepare(c, SELECT);
            assertSame(first, again, "the pool's proxy did not close it and it was not prepared again");
            assertEquals("two", read(again, "b"));
            assertEquals(null, read(again, "missing"));
        }
    }

    @Test
    void aDiscardedStatementIsClosedAndPreparedAnew() throws SQLException {
        try (Connection c = pool.getConnection()) {
            PreparedStatement first = statements.prepare(c, SELECT);
            statements.discard(c, SELECT);
            assertTrue(first.isClosed());
            PreparedStatement next = statements.prepare(c, SELECT);
            assertNotSame(first, next);
            assertEquals("one", read(next, "a"));
        }
    }

    @Test
    void aRetiredConnectionsStatementIsNotUsedOnItsSuccessor() throws SQLException {
        PreparedStatement first;
        try (Connection c = pool.getConnection()) {
            first = statements.prepare(c, SELECT);
        }
        pool.getHikariPoolMXBean().softEvictConnections();   // closes the idle connection, and its statements
        try (Connection c = pool.getConnection()) {
            PreparedStatement next = statements.prepare(c, SELECT);
            assertNotSame(first, next);
            assertFalse(next.isClosed());
            assertEquals("one", read(next, "a"));
        }
    }

    private static String read(PreparedStatement ps, String key) throws SQLException {
        ps.setString(1, key);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
