package dev.extstorage.events;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.postgresql.PGConnection;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The feed of instances that share only PostgreSQL: a publish queues the event and returns; one thread per
 * instance inserts what is queued into {@code ext_storage_event} (a {@code bigserial} id per row) and sends
 * {@code NOTIFY}, in one transaction per drain ({@link AsyncPublisher}: bounded, order kept, losses counted and
 * marked by a row of tier {@value PostgresEventTable#GAP_TIER}, which resets subscribers); each instance holds one connection in
 * {@code LISTEN} ({@link PGConnection#getNotifications(int)}) and, woken by a notification or at the latest
 * every {@value #POLL_MS} ms, reads the rows after the last id it dispatched. Inserts take a transaction-level
 * advisory lock, so ids commit in order and a reader never passes an id that commits later; this serializes
 * event inserts of all instances (one short transaction per drain, whatever number of events it holds). The table is
 * trimmed to the newest {@code retention} rows in batches of {@value PostgresEventTable#TRIM_BATCH} every
 * {@value #TRIM_INTERVAL_MS} ms by every instance (idempotent).
 */
public final class PostgresChangeFeed extends DispatchingFeed {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresChangeFeed.class);
    static final int POLL_MS = 1000;
    static final long TRIM_INTERVAL_MS = 5000;
    private static final int READ_COUNT = 500;
    private static final int MAX_BACKOFF_MS = 5000;
    private static final int MAX_TRIM_BATCHES = 20;

    private final PGSimpleDataSource source;
    private final HikariDataSource pool;
    private final int retention;
    private final Thread listenerThread;
    private final AsyncPublisher publisher;
    /** The last id dispatched here; {@code -1} until the database was reached once. */
    private long position;

    /**
     * @param jdbcUrl   the PostgreSQL URL (as the persistent store's)
     * @param retention the most events kept for resumption
     */
    public PostgresChangeFeed(String jdbcUrl, int retention) {
        this(source(jdbcUrl), retention);
    }

    private PostgresChangeFeed(PGSimpleDataSource source, int retention) {
        this(source, retention, startPosition(source));
    }

    private PostgresChangeFeed(PGSimpleDataSource source, int retention, long start) {
        super(new EventId(0, Math.max(0, start)));
        this.source = source;
        this.retention = retention;
        this.position = start;
        HikariConfig config = new HikariConfig();
        config.setPoolName("ext-storage-events");
        config.setDataSource(source);
        config.setMaximumPoolSize(4);   // the publishing thread and resumptions' history reads
        config.setMinimumIdle(1);
        config.setConnectionTimeout(500);   // history reads run on request threads: never wait long for it
        config.setInitializationFailTimeout(-1);
        this.pool = new HikariDataSource(config);
        this.listenerThread = new Thread(this::listenLoop, "ext-storage-events-postgresql");
        listenerThread.setDaemon(true);
        listenerThread.start();
        this.publisher = new AsyncPublisher("ext-storage-events-postgresql-publish", this::send, this::lost);
    }

    private static PGSimpleDataSource source(String jdbcUrl) {
        PGSimpleDataSource s = new PGSimpleDataSource();
        s.setURL(jdbcUrl);
        if (!jdbcUrl.contains("connectTimeout=")) {
            s.setConnectTimeout(2);
        }
        if (!jdbcUrl.contains("socketTimeout=")) {
            s.setSocketTimeout(30);
        }
        s.setApplicationName("extension-storage-events");
        return s;
    }

    private static long startPosition(PGSimpleDataSource source) {
        try (Connection c = source.getConnection()) {
            PostgresEventTable.create(c);
            return PostgresEventTable.head(c);
        } catch (SQLException e) {
            LOG.warn("PostgreSQL cannot be reached now; change events start when it can: {}", e.toString());
            return -1;
        }
    }

    @Override
    public String engine() {
        return "postgresql";
    }

    /** Queues the event for the publishing thread; never blocks, never throws (a drop is counted there). */
    @Override
    void append(ChangeEvent event) {
        publisher.offer(event);
    }

    private void send(List<ChangeEvent> batch) {
        try (Connection c = pool.getConnection()) {
            PostgresEventTable.insert(c, batch);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL: " + e.getMessage(), e);
        }
    }

    @Override
    List<ChangeEvent> history(EventId after) {
        if (after.major() != 0) {
            return null;
        }
        try (Connection c = pool.getConnection()) {
            return PostgresEventTable.history(c, after.minor(), retention * 2);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL: " + e.getMessage(), e);
        }
    }

    private void listenLoop() {
        int backoff = 100;
        long nextTrim = 0;
        while (!isClosed()) {
            try (Connection c = source.getConnection()) {
                PostgresEventTable.create(c);
                try (var s = c.createStatement()) {
                    s.execute("LISTEN " + PostgresEventTable.CHANNEL);
                }
                catchUp(c);
                backoff = 100;
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!isClosed()) {
                    pg.getNotifications(POLL_MS);
                    readNew(c);
                    if (System.currentTimeMillis() >= nextTrim) {
                        trim(c);
                        nextTrim = System.currentTimeMillis() + TRIM_INTERVAL_MS;
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (isClosed()) {
                    return;
                }
                LOG.warn("Listening for change events in PostgreSQL failed; retrying with back-off: {}", e.toString());
                pause(backoff);
                backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
            }
        }
    }

    /** After (re)connecting: go on from the last id, or reset every subscriber if events after it are gone. */
    private void catchUp(Connection c) throws SQLException {
        if (position < 0) {
            position = PostgresEventTable.head(c);
            dispatchReset();
            return;
        }
        if (!PostgresEventTable.isRetained(c, position)) {
            position = PostgresEventTable.head(c);
            dispatchReset();
        }
        readNew(c);
    }

    private void readNew(Connection c) throws SQLException {
        int n;
        do {
            n = PostgresEventTable.readAfter(c, position, READ_COUNT, (id, e) -> {
                position = id;
                if (e == AsyncPublisher.GAP) {
                    dispatchReset();
                } else if (e != null) {
                    dispatch(e);
                }
            });
        } while (n == READ_COUNT && !isClosed());
    }

    private void trim(Connection c) throws SQLException {
        for (int i = 0; i < MAX_TRIM_BATCHES && PostgresEventTable.trim(c, retention) == PostgresEventTable.TRIM_BATCH;
             i++) {
            // bounded batches: each a short statement, so trimming never holds the table for long
        }
    }

    @Override
    public void close() {
        publisher.close();   // first: queued events still reach the database (and the other instances)
        super.close();
        stop(listenerThread, POLL_MS + 2000);
        pool.close();
    }
}
