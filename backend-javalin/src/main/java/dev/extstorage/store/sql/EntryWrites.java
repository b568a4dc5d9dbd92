package dev.extstorage.store.sql;

import dev.extstorage.store.Quota;

import dev.extstorage.model.Precondition;
import dev.extstorage.model.StorageException;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The statements of one write transaction of {@link SqlPersistentStore}, run through a {@link SqlWriter}: the
 * SQLite put (PostgreSQL runs the same steps in {@code ext_storage_put}, see {@link PostgresPut}) and the remove
 * of both engines. Every write locks the entry row first, then the namespace's usage row(s), then the extension's
 * ({@link UsageRows}), so writers cannot deadlock. A write's precondition is checked in its transaction, before
 * anything changes: SQLite's transactions are serialized (one writer), so nothing can come between the check and
 * the write; on PostgreSQL the remove's {@code DELETE ... WHERE entry_version = ...} is itself the check (it
 * re-reads a row changed meanwhile), and its put checks inside {@code ext_storage_put}.
 */
final class EntryWrites {
    // SQLite's write (PostgreSQL runs the same in ext_storage_put). prev_size takes the size of the row being
    // replaced (SET expressions see the old row), so size_bytes - prev_size is the exact size change (see
    // migration V2), and a prev_size of 0 marks an inserted row (every entry costs at least 514 bytes, V5). The
    // change number is the namespace's highest plus one: SQLite writes are serialized, and the listing index
    // answers it. Plain entries and each resource's have numbers of their own (they are listed apart, V12). The
    // subquery names the row's own parameters (?1, ?2, ?4, ?5) rather than binding the namespace a second time.
    private static final String SQLITE_UPSERT = "INSERT INTO storage_entry (extension_id, scope, owner, owner_hash,"
            + " resource, entry_key, value_json, size_bytes, prev_size, created_at, updated_at, entry_version,"
            + " change_seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0, ?9, ?10, ?11,"
            + " (SELECT COALESCE(MAX(change_seq), 0) + 1 FROM storage_entry"
            + " WHERE extension_id = ?1 AND scope = ?2 AND owner_hash = ?4 AND resource = ?5))"
            + " ON CONFLICT (extension_id, scope, owner_hash, resource, entry_key)"
            + " DO UPDATE SET prev_size = storage_entry.size_bytes, value_json = excluded.value_json,"
            + " size_bytes = excluded.size_bytes, updated_at = excluded.updated_at,"
            + " change_seq = excluded.change_seq, entry_version = excluded.entry_version"
            + " RETURNING size_bytes, prev_size";
    private static final String DELETE_ENTRY = "DELETE FROM storage_entry" + EntryRefs.WHERE_ENTRY
            + " RETURNING size_bytes";
    private static final String DELETE_PRESENT = DELETE_ENTRY;
    // The versions are bound as one space-separated string (they are letters and digits only): one statement
    // for any number of them, on both engines.
    private static final String DELETE_VERSION = "DELETE FROM storage_entry" + EntryRefs.WHERE_ENTRY
            + " AND instr(' ' || ? || ' ', ' ' || entry_version || ' ') > 0 RETURNING size_bytes";
    private static final String DELETE_VERSION_PG = "DELETE FROM storage_entry" + EntryRefs.WHERE_ENTRY
            + " AND entry_version = ANY (string_to_array(?, ' ')) RETURNING size_bytes";
    static final String SELECT_VERSION = "SELECT entry_version FROM storage_entry" + EntryRefs.WHERE_ENTRY;

    private EntryWrites() {
    }

    /**
     * SQLite: upserts the entry, then adjusts the namespace's and the extension's usage, only when its size
     * changed.
     *
     * @param size    the entry's cost, {@link dev.extstorage.model.Limits#entryCost}
     * @param version the entry's new version
     * @throws StorageException {@code PRECONDITION_FAILED} if {@code condition} does not hold (checked first);
     *                          {@code QUOTA_EXCEEDED} if the write would grow the namespace past
     *                          {@link Quota#ownerBytes()} or the extension past {@link Quota#extensionBytes()}
     */
    static void put(SqlWriter.Tx tx, EntryDao.Ref ref, String json, long size, Quota quota, String version,
                    Precondition condition) throws SQLException {
        requireHolds(tx, ref, condition);
        long[] change = upsert(tx, ref, json, size, version);
        if (change[0] > 0) {
            UsageRows.grow(tx, ref, change[0], (int) change[1], quota);
        } else if (change[0] < 0) {
            UsageRows.shrink(tx, ref, change[0], 0);
        }
    }

    /**
     * SQLite: upserts the entry without touching the usage rows.
     *
     * @return the change of the entry's bytes and the entries added (1 for an insert, else 0)
     */
    static long[] upsert(SqlWriter.Tx tx, EntryDao.Ref ref, String json, long size, String version)
            throws SQLException {
        PreparedStatement ps = tx.prepare(SQLITE_UPSERT);
        long now = System.currentTimeMillis();
        EntryRefs.bindRow(ps, ref);
        ps.setString(7, json);
        ps.setLong(8, size);
        ps.setLong(9, now);
        ps.setLong(10, now);
        ps.setString(11, version);
        long delta;
        boolean inserted;
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("The upsert returned no row");
            }
            delta = rs.getLong(1) - rs.getLong(2);
            inserted = rs.getLong(2) == 0;
        }
        return new long[] {delta, inserted ? 1 : 0};
    }

    /**
     * Deletes the entry if it exists and {@code condition} holds, and gives its bytes and its entry back to the
     * namespace and extension; whether it deleted one.
     *
     * @param postgres whether the statements run on PostgreSQL (else SQLite): the version match differs
     * @throws StorageException {@code PRECONDITION_FAILED} if {@code condition} does not hold; nothing changed
     */
    static boolean remove(SqlWriter.Tx tx, EntryDao.Ref ref, Precondition condition, boolean postgres)
            throws SQLException {
        if (condition.kind() == Precondition.Kind.ABSENT) {
            // Removing only while absent removes nothing; it only has to fail while an entry exists.
            String current = currentVersion(tx, ref);
            if (current != null) {
                throw condition.failure(current);
            }
            return false;
        }
        // Entry row first, usage rows second: the lock order of set(). The condition is in the DELETE's WHERE.
        PreparedStatement ps = tx.prepare(switch (condition.kind()) {
            case VERSION -> postgres ? DELETE_VERSION_PG : DELETE_VERSION;
            case PRESENT -> DELETE_PRESENT;
            default -> DELETE_ENTRY;
        });
        EntryRefs.bindEntry(ps, ref);
        if (condition.kind() == Precondition.Kind.VERSION) {
            ps.setString(6, String.join(" ", condition.versions()));
        }
        long size;
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                size = -1;
            } else {
                size = rs.getLong(1);
            }
        }
        if (size < 0) {
            if (condition.kind() == Precondition.Kind.NONE) {
                return false;
            }
            // Nothing matched: the entry is absent or has another version; report which.
            String current = currentVersion(tx, ref);
            throw condition.failure(current);
        }
        UsageRows.shrink(tx, ref, -size, -1);
        return true;
    }

    /** @throws StorageException {@code PRECONDITION_FAILED} unless {@code condition} holds for the entry now */
    static void requireHolds(SqlWriter.Tx tx, EntryDao.Ref ref, Precondition condition) throws SQLException {
        if (condition.kind() != Precondition.Kind.NONE) {
            String current = currentVersion(tx, ref);
            if (!condition.holds(current)) {
                throw condition.failure(current);
            }
        }
    }

    /** The entry's version as this transaction sees it, or {@code null} if absent. */
    static String currentVersion(SqlWriter.Tx tx, EntryDao.Ref ref) throws SQLException {
        PreparedStatement ps = tx.prepare(SELECT_VERSION);
        EntryRefs.bindEntry(ps, ref);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
