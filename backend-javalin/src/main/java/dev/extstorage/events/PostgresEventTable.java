package dev.extstorage.events;

import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.Scope;
import dev.extstorage.model.Tier;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The SQL of {@link PostgresChangeFeed}: the table {@code ext_storage_event} (a {@code bigserial} id per
 * event) and the one-row {@code ext_storage_event_floor} (the highest id trimmed). Created by the feed itself,
 * not by a Flyway migration: it is a bounded buffer of recent events, not data, and may be dropped at any time
 * (subscribers then reset).
 */
final class PostgresEventTable {
    static final String CHANNEL = "ext_storage_events";
    /** Serializes inserts, so that ids commit in id order and a reader never skips an id committed later. */
    private static final long INSERT_LOCK = 0x6578745f65766e74L;
    private static final long SCHEMA_LOCK = INSERT_LOCK + 1;
    private static final String COLUMNS = "id, ext, tier, scope, owner, key, version, value, deleted, resource";
    static final int TRIM_BATCH = 1000;
    /** The tier of a gap mark's row: events were lost at this place (see {@link AsyncPublisher}). */
    static final String GAP_TIER = "gap";

    private PostgresEventTable() {
    }

    static void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            // two instances starting together must not race on CREATE TABLE IF NOT EXISTS
            s.execute("SELECT pg_advisory_lock(" + SCHEMA_LOCK + ")");
            try {
                s.execute("CREATE TABLE IF NOT EXISTS ext_storage_event (id bigserial PRIMARY KEY,"
                        + " ext text NOT NULL, tier text NOT NULL, scope text NOT NULL, owner text, key text NOT NULL,"
                        + " version text, value text, deleted boolean NOT NULL)");
                // the resource of a resource entry's change (SPEC section 10); tables of earlier releases get it
                s.execute("ALTER TABLE ext_storage_event ADD COLUMN IF NOT EXISTS resource text");
                s.execute("CREATE TABLE IF NOT EXISTS ext_storage_event_floor (one boolean PRIMARY KEY CHECK (one),"
                        + " floor_id bigint NOT NULL)");
                s.execute("INSERT INTO ext_storage_event_floor VALUES (true, 0) ON CONFLICT DO NOTHING");
            } finally {
                s.execute("SELECT pg_advisory_unlock(" + SCHEMA_LOCK + ")");
            }
        }
    }

    /**
     * Inserts the events in order and notifies every listener, in one transaction: the advisory lock is taken
     * first and held to the commit, so the rows' ids are drawn and committed in order. A {@link AsyncPublisher#GAP}
     * becomes a row of tier {@value #GAP_TIER}.
     */
    static void insert(Connection c, List<ChangeEvent> batch) throws SQLException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement(); PreparedStatement p = c.prepareStatement("INSERT INTO ext_storage_event"
                + " (ext, tier, scope, owner, key, version, value, deleted, resource) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.execute("SELECT pg_advisory_xact_lock(" + INSERT_LOCK + ")");
            for (ChangeEvent e : batch) {
                boolean gap = e == AsyncPublisher.GAP;
                p.setString(1, gap ? "" : e.extension().id());
                p.setString(2, gap ? GAP_TIER : e.tier().wireName());
                p.setString(3, e.scope().wireName());
                p.setString(4, e.ownerId());
                p.setString(5, gap ? "" : e.key());
                p.setString(6, e.version());
                p.setString(7, e.valueJson());
                p.setBoolean(8, e.deleted());
                p.setString(9, e.resource());
                p.addBatch();
            }
            p.executeBatch();
            s.execute("SELECT pg_notify('" + CHANNEL + "', '')");
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** The newest id, or the floor when the table is empty. */
    static long head(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "SELECT GREATEST((SELECT max(id) FROM ext_storage_event), floor_id) FROM ext_storage_event_floor")) {
            return r.next() ? r.getLong(1) : 0;
        }
    }

    /**
     * Passes the rows after {@code after} to {@code sink}, oldest first, at most {@code limit}: each row's id
     * and its event ({@code null} for a row no server wrote, {@link AsyncPublisher#GAP} for a gap mark). Returns
     * the number of rows.
     */
    static int readAfter(Connection c, long after, int limit, BiConsumer<Long, ChangeEvent> sink) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS
                + " FROM ext_storage_event WHERE id > ? ORDER BY id LIMIT ?")) {
            p.setLong(1, after);
            p.setInt(2, limit);
            int n = 0;
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    n++;
                    sink.accept(r.getLong("id"), event(r));
                }
            }
            return n;
        }
    }

    /**
     * The retained events after {@code after} from one snapshot, or {@code null} when some may be trimmed,
     * {@code after} is newer than every event, or more than {@code limit} follow it.
     */
    static List<ChangeEvent> history(Connection c, long after, int limit) throws SQLException {
        c.setAutoCommit(false);
        try {
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            if (!isRetained(c, after)) {
                return null;
            }
            List<ChangeEvent> events = new ArrayList<>();
            boolean[] gap = {false};
            int rows = readAfter(c, after, limit + 1, (id, e) -> {
                if (e == AsyncPublisher.GAP) {
                    gap[0] = true;
                } else if (e != null) {
                    events.add(e);
                }
            });
            // more than a replay may hold (trimming lags far behind): a part would lose the rest, so none; events
            // after a gap mark were lost: none either, the subscriber re-reads its state
            return rows > limit || gap[0] ? null : events;
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
    }

    /** Whether every event after {@code after} is still in the table (it is neither trimmed nor in the future). */
    static boolean isRetained(Connection c, long after) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT floor_id,"
                + " (SELECT coalesce(max(id), 0) FROM ext_storage_event) FROM ext_storage_event_floor")) {
            if (!r.next()) {
                return false;
            }
            long floor = r.getLong(1);
            long head = Math.max(floor, r.getLong(2));
            return after >= floor && after <= head;
        }
    }

    /** Deletes the oldest events beyond the newest {@code retention}, one bounded batch; returns how many. */
    static int trim(Connection c, int retention) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "WITH doomed AS (SELECT id FROM ext_storage_event"
                        + " WHERE id <= (SELECT max(id) FROM ext_storage_event) - ? ORDER BY id LIMIT " + TRIM_BATCH + "),"
                        + " gone AS (DELETE FROM ext_storage_event e USING doomed d WHERE e.id = d.id RETURNING e.id)"
                        + " UPDATE ext_storage_event_floor SET floor_id = GREATEST(floor_id, (SELECT max(id) FROM gone))"
                        + " WHERE EXISTS (SELECT 1 FROM gone) RETURNING (SELECT count(*) FROM gone)")) {
            p.setLong(1, retention);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? r.getInt(1) : 0;
            }
        }
    }

    private static ChangeEvent event(ResultSet r) throws SQLException {
        if (GAP_TIER.equals(r.getString("tier"))) {
            return AsyncPublisher.GAP;
        }
        Tier tier = Tier.serverTierFromPath(r.getString("tier"));
        Scope scope = "shared".equals(r.getString("scope")) ? Scope.SHARED : Scope.USER;
        try {
            return new ChangeEvent(ExtensionId.parse(r.getString("ext")), tier, scope, r.getString("owner"),
                    r.getString("key"), r.getString("version"), r.getString("value"), r.getBoolean("deleted"),
                    new EventId(0, r.getLong("id")).toString(), r.getString("resource"));
        } catch (RuntimeException e) {
            return null;   // a row no server wrote: skipped, not fatal
        }
    }
}
