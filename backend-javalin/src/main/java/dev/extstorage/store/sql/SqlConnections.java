package dev.extstorage.store.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import javax.sql.DataSource;

/** The connections of {@link SqlPersistentStore}: SQLite data sources with their PRAGMAs, HikariCP pools, JDBI. */
final class SqlConnections {
    // Logs under the store's name, as before this class was split out of it, so log configuration still applies.
    private static final Logger LOG = LoggerFactory.getLogger(SqlPersistentStore.class);

    private SqlConnections() {
    }

    static Jdbi jdbi(DataSource source) {
        Jdbi jdbi = Jdbi.create(source).installPlugin(new SqlObjectPlugin());
        // Ref binds all of its components; the namespace-wide queries leave the key unused.
        jdbi.getConfig(SqlStatements.class).setUnusedBindingAllowed(true);
        return jdbi;
    }

    static SQLiteDataSource sqliteSource(String url, boolean synchronousFull, int busyTimeoutMs) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(synchronousFull ? SQLiteConfig.SynchronousMode.FULL
                : SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(busyTimeoutMs);
        config.enforceForeignKeys(true);
        SQLiteDataSource source = new SQLiteDataSource(config);
        source.setUrl(url);
        return source;
    }

    static HikariDataSource pool(String name, DataSource source, int size, long connectionTimeoutMs) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("ext-storage-" + name);
        config.setDataSource(source);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(Math.min(2, size));
        config.setConnectionTimeout(Math.max(250, connectionTimeoutMs));
        config.setValidationTimeout(1000);
        // Opening the pool must not fail when the database is down: calls report it instead, and the pool
        // keeps trying to connect.
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }

    static void requirePoolSize(int poolSize) {
        if (poolSize < 1) {
            throw new IllegalArgumentException("Database pool size must be at least 1, was " + poolSize);
        }
    }

    static void closeQuietly(HikariDataSource pool) {
        if (pool != null) {
            try {
                pool.close();
            } catch (RuntimeException e) {
                LOG.warn("Closing pool {} failed: {}", pool.getPoolName(), e.toString());
            }
        }
    }
}
