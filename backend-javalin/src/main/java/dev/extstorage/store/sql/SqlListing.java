package dev.extstorage.store.sql;

import dev.extstorage.store.PersistentStore;
import dev.extstorage.store.PageSink;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.Paging;
import dev.extstorage.model.StorageException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The listing of {@link SqlPersistentStore}: a bounded page, streamed. In one read transaction (one snapshot:
 * a deferred transaction in SQLite's WAL mode, {@code REPEATABLE READ} on PostgreSQL) it reads the namespace's
 * total ({@code namespace_usage.entry_count} less its resource entries; one resource's: a count), then the sum of the page's {@code size_bytes}, refusing the page
 * with {@code PAGE_TOO_LARGE} before anything reaches the sink, then the page's rows, each handed to the sink
 * as it is read. Memory is thus bounded by a few rows, not by the page: SQLite's driver steps through rows one
 * at a time; PostgreSQL's loads the whole result unless it uses a cursor, which it does with auto-commit off and
 * a fetch size, so a large page is fetched {@value #FETCH_ROWS} rows at a time.
 */
final class SqlListing {
    /** Rows per round trip for a page above {@link #FETCH_ALL_BYTES}: a few values of up to the value limit. */
    static final int FETCH_ROWS = 4;
    /** A page this small is fetched in one round trip: holding it costs less than the round trips it saves. */
    static final long FETCH_ALL_BYTES = 256 * 1024;

    // The listed entries: a namespace's plain ones (resource '') or one resource's (migration V12).
    private static final String WHERE_NAMESPACE = " WHERE extension_id = ? AND scope = ? AND owner_hash = ?"
            + " AND resource = ?";
    // The usage rows count the namespace's resource entries too; those are taken off (one range of the primary
    // key, usually short) rather than counting the plain ones.
    // The usage is the SUM over the namespace's rows (shards, migration V15).
    private static final String TOTAL = "SELECT COALESCE((SELECT SUM(entry_count) FROM namespace_usage"
            + " WHERE extension_id = ? AND scope = ? AND owner_hash = ?), 0) - (SELECT COUNT(*) FROM storage_entry"
            + " WHERE extension_id = ? AND scope = ? AND owner_hash = ? AND resource > '')";
    private static final String RESOURCE_TOTAL = "SELECT COUNT(*) FROM storage_entry" + WHERE_NAMESPACE;
    private static final String PAGE = " FROM storage_entry" + WHERE_NAMESPACE
            + " ORDER BY change_seq DESC LIMIT ? OFFSET ?";
    private static final String PAGE_BYTES = "SELECT COALESCE(SUM(size_bytes), 0) FROM (SELECT size_bytes" + PAGE
            + ") page";
    private static final String PAGE_ROWS = "SELECT entry_key, value_json" + PAGE;
    // A prefix is compared as text, never as a LIKE pattern: no character of it is a wildcard. substr counts
    // characters (code points) on both engines, and = compares them exactly.
    private static final String PREFIX = " AND substr(entry_key, 1, ?) = ?";
    private static final String PREFIXED_TOTAL = "SELECT COUNT(*) FROM storage_entry" + WHERE_NAMESPACE + PREFIX;
    private static final String PREFIXED_PAGE = " FROM storage_entry" + WHERE_NAMESPACE + PREFIX
            + " ORDER BY change_seq DESC LIMIT ? OFFSET ?";
    private static final String PREFIXED_PAGE_BYTES = "SELECT COALESCE(SUM(size_bytes), 0) FROM (SELECT size_bytes"
            + PREFIXED_PAGE + ") page";
    private static final String PREFIXED_PAGE_ROWS = "SELECT entry_key, value_json" + PREFIXED_PAGE;

    private SqlListing() {
    }

    /**
     * Streams the page as {@link PersistentStore#list} promises; an exception of the sink comes out wrapped in
     * {@link SinkFailure}, so the store can tell it from its own failures.
     */
    static void list(DataSource pool, Snapshot snapshot, EntryDao.Ref ns, Paging paging, long maxPageBytes,
                     PageSink sink) throws SQLException {
        list(pool, snapshot, ns, "", paging, maxPageBytes, sink);
    }

    /** As {@link #list(DataSource, Snapshot, EntryDao.Ref, Paging, long, PageSink)}, only keys under {@code prefix}. */
    static void list(DataSource pool, Snapshot snapshot, EntryDao.Ref ns, String prefix, Paging paging,
                     long maxPageBytes, PageSink sink) throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                snapshot.begin(c);
                long total = total(c, ns, prefix);
                long pageBytes = paging.pageSize() == 0 ? 0 : pageBytes(c, ns, prefix, paging);
                if (pageBytes > maxPageBytes) {
                    throw new StorageException(ErrorCode.PAGE_TOO_LARGE, "This listing page would carry "
                            + pageBytes + " bytes of entries, above the limit of " + maxPageBytes
                            + " bytes; ask for a smaller page_size", maxPageBytes, pageBytes);
                }
                call(() -> sink.begin(total, pageBytes));
                if (paging.pageSize() > 0) {
                    rows(c, ns, prefix, paging, pageBytes <= FETCH_ALL_BYTES ? 0 : FETCH_ROWS, sink);
                }
                call(sink::end);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException r) {
                    e.addSuppressed(r);
                }
                throw e;
            }
        }
    }

    private static long total(Connection c, EntryDao.Ref ns, String prefix) throws SQLException {
        if (prefix.isEmpty() && ns.resource().isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(TOTAL)) {
                for (int i = 0; i < 2; i++) {
                    ps.setString(3 * i + 1, ns.ext());
                    ps.setString(3 * i + 2, ns.scope());
                    ps.setString(3 * i + 3, ns.ownerHash());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(prefix.isEmpty() ? RESOURCE_TOTAL : PREFIXED_TOTAL)) {
            bindNamespace(ps, ns);
            bindPrefix(ps, prefix);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private static long pageBytes(Connection c, EntryDao.Ref ns, String prefix, Paging paging) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(prefix.isEmpty() ? PAGE_BYTES : PREFIXED_PAGE_BYTES)) {
            bindPage(ps, ns, prefix, paging);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void rows(Connection c, EntryDao.Ref ns, String prefix, Paging paging, int fetchSize,
                             PageSink sink) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(prefix.isEmpty() ? PAGE_ROWS : PREFIXED_PAGE_ROWS,
                ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            ps.setFetchSize(fetchSize);
            bindPage(ps, ns, prefix, paging);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String key = rs.getString(1);
                    String json = rs.getString(2);
                    call(() -> sink.entry(key, json));
                }
            }
        }
    }

    private static void bindNamespace(PreparedStatement ps, EntryDao.Ref ns) throws SQLException {
        ps.setString(1, ns.ext());
        ps.setString(2, ns.scope());
        ps.setString(3, ns.ownerHash());
        ps.setString(4, ns.resource());
    }

    private static void bindPage(PreparedStatement ps, EntryDao.Ref ns, String prefix, Paging paging)
            throws SQLException {
        bindNamespace(ps, ns);
        int next = bindPrefix(ps, prefix);
        ps.setLong(next, paging.pageSize());
        ps.setLong(next + 1, paging.offset());
    }

    /** Binds the prefix clause's two parameters after the namespace's, if there is a prefix; the next index. */
    private static int bindPrefix(PreparedStatement ps, String prefix) throws SQLException {
        if (prefix.isEmpty()) {
            return 5;
        }
        ps.setInt(5, prefix.codePointCount(0, prefix.length()));
        ps.setString(6, prefix);
        return 7;
    }

    private static void call(Runnable sinkCall) {
        try {
            sinkCall.run();
        } catch (RuntimeException e) {
            throw new SinkFailure(e);
        }
    }

    /** How the engine makes the listing's transaction read from one snapshot, before its first statement. */
    @FunctionalInterface
    interface Snapshot {
        void begin(Connection c) throws SQLException;
    }

    /** What a {@link PageSink} threw, carried out of the store untouched. */
    static final class SinkFailure extends RuntimeException {
        SinkFailure(RuntimeException cause) {
            super(cause.getMessage(), cause, false, false);
        }

        RuntimeException sinkException() {
            return (RuntimeException) getCause();
        }
    }
}
