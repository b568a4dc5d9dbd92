package dev.extstorage.store;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.StorageException;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The statements of one write transaction of {@link SqlPersistentStore}, run through a {@link SqlWriter}: the
 * SQLite put (PostgreSQL runs the same steps in {@code ext_storage_put}, see {@link PostgresPut}) and the remove
 * of both engines. Every write locks the entry row first and the usage row second, so writers cannot deadlock.
 */
final class EntryWrites {
    // SQLite's write (PostgreSQL runs the same in ext_storage_put). prev_size takes the size of the row being
    // replaced (SET expressions see the old row), so the RETURNING delta is exact (see migration V2). The
    // change number is the namespace's highest plus one: SQLite writes are serialized, and the listing index
    // answers it.
    private static final String SQLITE_UPSERT = "INSERT INTO storage_entry (extension_id, scope, owner, owner_hash,"
            + " entry_key, value_json, size_bytes, prev_size, created_at, updated_at, change_seq)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, (SELECT COALESCE(MAX(change_seq), 0) + 1 FROM storage_entry"
            + " WHERE extension_id = ? AND scope = ? AND owner_hash = ?))"
            + " ON CONFLICT (extension_id, scope, owner_hash, entry_key)"
            + " DO UPDATE SET prev_size = storage_entry.size_bytes, value_json = excluded.value_json,"
            + " size_bytes = excluded.size_bytes, updated_at = excluded.updated_at,"
            + " change_seq = excluded.change_seq"
            + " RETURNING size_bytes - prev_size";
    private static final String GROW_USAGE = "UPDATE extension_usage SET used_bytes = used_bytes + ?"
            + " WHERE extension_id = ? AND used_bytes + ? <= ?";
    private static final String SHRINK_USAGE = "UPDATE extension_usage SET used_bytes = used_bytes + ?"
            + " WHERE extension_id = ?";
    private static final String SELECT_USAGE = "SELECT used_bytes FROM extension_usage WHERE extension_id = ?";
    private static final String CREATE_USAGE = "INSERT INTO extension_usage (extension_id, used_bytes, last_seq)"
            + " VALUES (?, 0, 0) ON CONFLICT (extension_id) DO NOTHING";
    private static final String DELETE_ENTRY = "DELETE FROM storage_entry WHERE extension_id = ? AND scope = ?"
            + " AND owner_hash = ? AND entry_key = ? RETURNING size_bytes";

    private EntryWrites() {
    }

    /**
     * SQLite: upserts the entry, then adjusts the extension's usage only when its size changed.
     *
     * @throws StorageException {@code QUOTA_EXCEEDED} if the write would grow the extension past its quota
     */
    static void put(SqlWriter.Tx tx, EntryDao.Ref ref, String json, long size, long quotaBytes)
            throws SQLException {
        long delta = upsert(tx, ref, json, size);
        if (delta > 0) {
            grow(tx, ref.ext(), delta, quotaBytes);
        } else if (delta < 0) {
            shrink(tx, ref.ext(), delta);
        }
    }

    /** Deletes the entry if it exists and gives its bytes back to the extension's usage. */
    static void remove(SqlWriter.Tx tx, EntryDao.Ref ref) throws SQLException {
        // Entry row first, usage row second: the lock order of set().
        PreparedStatement ps = tx.prepare(DELETE_ENTRY);
        EntryRefs.bindEntry(ps, ref);
        long size;
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return;
            }
            size = rs.getLong(1);
        }
        shrink(tx, ref.ext(), -size);
    }

    /** Inserts or replaces the entry, locking its row until commit; the change of its size in bytes. */
    private static long upsert(SqlWriter.Tx tx, EntryDao.Ref ref, String json, long size) throws SQLException {
        PreparedStatement ps = tx.prepare(SQLITE_UPSERT);
        long now = System.currentTimeMillis();
        EntryRefs.bindRow(ps, ref);
        ps.setString(6, json);
        ps.setLong(7, size);
        ps.setLong(8, now);
        ps.setLong(9, now);
        ps.setString(10, ref.ext());
        ps.setString(11, ref.scope());
        ps.setString(12, ref.ownerHash());
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("The upsert returned no row");
            }
            return rs.getLong(1);
        }
    }

    /**
     * Adds {@code delta > 0} to the extension's usage if that stays within the quota; the check is in the UPDATE
     * so it sees the newest committed usage. Creates the usage row on the extension's first write.
     */
    private static void grow(SqlWriter.Tx tx, String ext, long delta, long quotaBytes) throws SQLException {
        for (int attempt = 0; ; attempt++) {
            PreparedStatement ps = tx.prepare(GROW_USAGE);
            ps.setLong(1, delta);
            ps.setString(2, ext);
            ps.setLong(3, delta);
            ps.setLong(4, quotaBytes);
            if (ps.executeUpdate() == 1) {
                return;
            }
            Long used = usage(tx, ext);
            if (used != null || attempt > 0) {
                long after = (used == null ? 0 : used) + delta;
                throw new StorageException(ErrorCode.QUOTA_EXCEEDED, "Storage quota exceeded: the extension"
                        + " would hold " + after + " bytes, its quota is " + quotaBytes, quotaBytes, after);
            }
            PreparedStatement create = tx.prepare(CREATE_USAGE);
            create.setString(1, ext);
            create.executeUpdate();
        }
    }

    private static void shrink(SqlWriter.Tx tx, String ext, long delta) throws SQLException {
        PreparedStatement ps = tx.prepare(SHRINK_USAGE);
        ps.setLong(1, delta);
        ps.setString(2, ext);
        ps.executeUpdate();
    }

    private static Long usage(SqlWriter.Tx tx, String ext) throws SQLException {
        PreparedStatement ps = tx.prepare(SELECT_USAGE);
        ps.setString(1, ext);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : null;
        }
    }
}
