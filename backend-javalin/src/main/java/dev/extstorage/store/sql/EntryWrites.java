package dev.extstorage.store.sql;

import dev.extstorage.store.Quota;

import dev.extstorage.model.StorageException;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The statements of one write transaction of {@link SqlPersistentStore}, run through a {@link SqlWriter}: the
 * SQLite put (PostgreSQL runs the same steps in {@code ext_storage_put}, see {@link PostgresPut}) and the remove
 * of both engines. Every write locks the entry row first, then the namespace's usage row, then the extension's
 * ({@link UsageRows}), so writers cannot deadlock.
 */
final class EntryWrites {
    // SQLite's write (PostgreSQL runs the same in ext_storage_put). prev_size takes the size of the row being
    // replaced (SET expressions see the old row), so size_bytes - prev_size is the exact size change (see
    // migration V2), and a prev_size of 0 marks an inserted row (every entry costs at least 514 bytes, V5). The
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
            + " RETURNING size_bytes, prev_size";
    private static final String DELETE_ENTRY = "DELETE FROM storage_entry WHERE extension_id = ? AND scope = ?"
            + " AND owner_hash = ? AND entry_key = ? RETURNING size_bytes";

    private EntryWrites() {
    }

    /**
     * SQLite: upserts the entry, then adjusts the namespace's and the extension's usage, only when its size
     * changed.
     *
     * @param size the entry's cost, {@link dev.extstorage.model.Limits#entryCost}
     * @throws StorageException {@code QUOTA_EXCEEDED} if the write would grow the namespace past
     *                          {@link Quota#ownerBytes()} or the extension past {@link Quota#extensionBytes()}
     */
    static void put(SqlWriter.Tx tx, EntryDao.Ref ref, String json, long size, Quota quota) throws SQLException {
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
        long delta;
        boolean inserted;
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("The upsert returned no row");
            }
            delta = rs.getLong(1) - rs.getLong(2);
            inserted = rs.getLong(2) == 0;
        }
        if (delta > 0) {
            UsageRows.grow(tx, ref, delta, inserted ? 1 : 0, quota);
        } else if (delta < 0) {
            UsageRows.shrink(tx, ref, delta, 0);
        }
    }

    /** Deletes the entry if it exists and gives its bytes and its entry back to the namespace and extension. */
    static void remove(SqlWriter.Tx tx, EntryDao.Ref ref) throws SQLException {
        // Entry row first, usage rows second: the lock order of set().
        PreparedStatement ps = tx.prepare(DELETE_ENTRY);
        EntryRefs.bindEntry(ps, ref);
        long size;
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return;
            }
            size = rs.getLong(1);
        }
        UsageRows.shrink(tx, ref, -size, -1);
    }
}
