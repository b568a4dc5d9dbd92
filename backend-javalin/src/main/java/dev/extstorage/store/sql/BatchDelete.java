package dev.extstorage.store.sql;

import dev.extstorage.store.DataLifecycle;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One kind of bulk deletion of {@link SqlLifecycle} (an extension's entries, one user's user-scoped entries, or
 * one resource's entries),
 * a batch of at most {@value DataLifecycle#BATCH} rows per transaction: {@code DELETE ... WHERE (row id) IN
 * (SELECT ... LIMIT n) RETURNING} the deleted rows' namespaces and sizes, then each namespace's usage row and
 * its extension's shrink by what was deleted ({@link UsageRows#shrinkMany}: namespaces' rows, then extensions',
 * each sorted, so two bulk deletions take these locks alike, and after the entry rows as every write does).
 */
final class BatchDelete {
    private final String deleteBatch;
    private final String[] dropEmpty;
    private final String match;

    private BatchDelete(String deleteBatch, String[] dropEmpty, String match) {
        this.deleteBatch = deleteBatch;
        this.dropEmpty = dropEmpty;
        this.match = match;
    }

    /** Every entry of the extension {@code extensionId}, all scopes and users. */
    static BatchDelete ofExtension(String engine, String extensionId) {
        return new BatchDelete(batch(engine, "extension_id = ?"),
                new String[] {
                    "DELETE FROM namespace_usage WHERE extension_id = ? AND used_bytes = 0 AND entry_count = 0",
                    "DELETE FROM extension_usage WHERE extension_id = ? AND used_bytes = 0"},
                extensionId);
    }

    /** Every user-scoped entry of the user whose owner hash is {@code ownerHash}, all extensions. */
    static BatchDelete ofUser(String engine, String ownerHash) {
        return new BatchDelete(batch(engine, "owner_hash = ? AND scope = 'user'"),
                new String[] {"DELETE FROM namespace_usage WHERE scope = 'user' AND owner_hash = ?"
                        + " AND used_bytes = 0 AND entry_count = 0"},
                ownerHash);
    }

    /** Every entry of the resource whose storage form is {@code resource}, all extensions, scopes and users. */
    static BatchDelete ofResource(String engine, String resource) {
        // The usage rows are the namespaces' (plain and resource entries together); one left at zero stays, as
        // every emptied namespace's does (V5), for the next write of the namespace.
        return new BatchDelete(batch(engine, "resource = ?"), new String[0], resource);
    }

    /**
     * The batch's statement: rows picked by their physical id, so the delete itself is a direct lookup (SQLite's
     * {@code rowid}; PostgreSQL's {@code ctid}, whose {@code = ANY(ARRAY(...))} becomes a TID scan). A row a
     * concurrent write moved meanwhile (PostgreSQL: a new {@code ctid}) is left for the next batch.
     */
    private static String batch(String engine, String where) {
        return deleteBatch(engine, "storage_entry", where) + " RETURNING extension_id, scope, owner_hash, size_bytes";
    }

    /**
     * {@code DELETE FROM table} of at most {@code ?} rows matching {@code where} (its parameters first, the
     * limit last), picked by their physical id as above.
     */
    static String deleteBatch(String engine, String table, String where) {
        String pick = "SELECT %s FROM " + table + " WHERE " + where + " LIMIT ?";
        String rows = "postgresql".equals(engine)
                ? "ctid = ANY(ARRAY(" + pick.replace("%s", "ctid") + "))"
                : "rowid IN (" + pick.replace("%s", "rowid") + ")";
        return "DELETE FROM " + table + " WHERE " + rows;
    }

    /** Deletes one batch and gives its bytes and entries back; returns the rows deleted. */
    int deleteBatch(SqlWriter.Tx tx) throws SQLException {
        PreparedStatement ps = tx.prepare(deleteBatch);
        ps.setString(1, match);
        ps.setInt(2, DataLifecycle.BATCH);
        // namespace (extension, scope, owner hash) -> {bytes, entries}
        SortedMap<EntryDao.Ref, long[]> freed = new TreeMap<>(BatchDelete::compare);
        int rows = 0;
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                EntryDao.Ref ns = new EntryDao.Ref(rs.getString(1), rs.getString(2), null, rs.getString(3), null, null);
                long[] sum = freed.computeIfAbsent(ns, k -> new long[2]);
                sum[0] += rs.getLong(4);
                sum[1]++;
                rows++;
            }
        }
        if (rows > 0) {
            UsageRows.shrinkMany(tx, freed);
        }
        return rows;
    }

    /** Removes the usage rows this deletion left at zero (a concurrent write that grew one keeps it). */
    void dropEmptyUsageRows(SqlWriter.Tx tx) throws SQLException {
        for (String sql : dropEmpty) {
            PreparedStatement ps = tx.prepare(sql);
            ps.setString(1, match);
            ps.executeUpdate();
        }
    }

    /** Namespaces by extension, scope and owner hash: the order usage rows are locked in. */
    static int compare(EntryDao.Ref a, EntryDao.Ref b) {
        int c = a.ext().compareTo(b.ext());
        if (c == 0) {
            c = a.scope().compareTo(b.scope());
        }
        return c != 0 ? c : a.ownerHash().compareTo(b.ownerHash());
    }
}
