package dev.extstorage.store.sql;

import dev.extstorage.store.DataLifecycle;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;

/**
 * One kind of bulk deletion of {@link SqlLifecycle} (an extension's entries, or one user's user-scoped entries),
 * a batch of at most {@value DataLifecycle#BATCH} rows per transaction: {@code DELETE ... WHERE (its key) IN
 * (SELECT ... LIMIT n) RETURNING} the deleted rows' namespaces and sizes, then each namespace's usage row and
 * its extension's shrink by what was deleted, in the order every write takes these locks (entry rows, then a
 * namespace's row, then its extension's; namespaces sorted, so two bulk deletions take them alike).
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
    static BatchDelete ofExtension(String extensionId) {
        return new BatchDelete("DELETE FROM storage_entry WHERE extension_id = ? AND (scope, owner_hash, entry_key) IN"
                + " (SELECT scope, owner_hash, entry_key FROM storage_entry WHERE extension_id = ? LIMIT ?)"
                + " RETURNING extension_id, scope, owner_hash, size_bytes",
                new String[] {
                    "DELETE FROM namespace_usage WHERE extension_id = ? AND used_bytes = 0 AND entry_count = 0",
                    "DELETE FROM extension_usage WHERE extension_id = ? AND used_bytes = 0"},
                extensionId);
    }

    /** Every user-scoped entry of the user whose owner hash is {@code ownerHash}, all extensions. */
    static BatchDelete ofUser(String ownerHash) {
        return new BatchDelete("DELETE FROM storage_entry WHERE scope = 'user' AND owner_hash = ?"
                + " AND (extension_id, entry_key) IN (SELECT extension_id, entry_key FROM storage_entry"
                + " WHERE scope = 'user' AND owner_hash = ? LIMIT ?)"
                + " RETURNING extension_id, scope, owner_hash, size_bytes",
                new String[] {"DELETE FROM namespace_usage WHERE scope = 'user' AND owner_hash = ?"
                        + " AND used_bytes = 0 AND entry_count = 0"},
                ownerHash);
    }

    /** Deletes one batch and gives its bytes and entries back; returns the rows deleted. */
    int deleteBatch(SqlWriter.Tx tx) throws SQLException {
        PreparedStatement ps = tx.prepare(deleteBatch);
        ps.setString(1, match);
        ps.setString(2, match);
        ps.setInt(3, DataLifecycle.BATCH);
        // namespace (extension, scope, owner hash) -> {bytes, entries}
        Map<EntryDao.Ref, long[]> freed = new TreeMap<>(BatchDelete::compare);
        int rows = 0;
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                EntryDao.Ref ns = new EntryDao.Ref(rs.getString(1), rs.getString(2), null, rs.getString(3), null);
                long[] sum = freed.computeIfAbsent(ns, k -> new long[2]);
                sum[0] += rs.getLong(4);
                sum[1]++;
                rows++;
            }
        }
        for (Map.Entry<EntryDao.Ref, long[]> e : freed.entrySet()) {
            UsageRows.shrink(tx, e.getKey(), -e.getValue()[0], (int) -e.getValue()[1]);
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

    private static int compare(EntryDao.Ref a, EntryDao.Ref b) {
        int c = a.ext().compareTo(b.ext());
        if (c == 0) {
            c = a.scope().compareTo(b.scope());
        }
        return c != 0 ? c : a.ownerHash().compareTo(b.ownerHash());
    }
}
