package dev.extstorage.store.sql;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.StorageException;
import dev.extstorage.store.BatchWrite;
import dev.extstorage.store.EntryCost;
import dev.extstorage.store.Namespace;
import dev.extstorage.store.Quota;
import dev.extstorage.store.StoredEntry;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The batch statements of {@link SqlPersistentStore} that SQLite and PostgreSQL share: a batch read is one
 * {@code SELECT ... IN (...)}, a batch removal one {@code DELETE ... IN (...) RETURNING} and one adjustment of
 * the usage rows; SQLite's batch write is its single write's upsert per entry in one transaction, then one
 * adjustment of the usage rows by the batch's net change, so its bounds are checked for the batch as a whole
 * ({@link UsageRows#grow}) and a refusal rolls the whole batch back. PostgreSQL's batch write is
 * {@link PostgresPutMany}.
 */
final class SqlBatches {
    // The window sum is every found entry's bytes: above the bound no value leaves the database.
    private static final String SELECT_MANY = "SELECT entry_key, CASE WHEN total <= ? THEN value_json END,"
            + " entry_version, total FROM (SELECT entry_key, value_json, entry_version, SUM(size_bytes) OVER ()"
            + " AS total FROM storage_entry"
            + " WHERE extension_id = ? AND scope = ? AND owner_hash = ? AND resource = ? AND entry_key IN (";
    private static final String DELETE_MANY = "DELETE FROM storage_entry"
            + " WHERE extension_id = ? AND scope = ? AND owner_hash = ? AND resource = ? AND entry_key IN (";

    private SqlBatches() {
    }

    /** {@code sql} with {@code n} placeholders and the closing parenthesis. */
    private static String in(String sql, int n) {
        StringBuilder b = new StringBuilder(sql.length() + 2 * n + 1).append(sql);
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "?" : ", ?");
        }
        return b.append(')').toString();
    }

    /** Binds the namespace of {@code ref} to parameters {@code first} to {@code first + 3} and the keys after them. */
    private static void bind(PreparedStatement ps, int first, EntryDao.Ref ref, List<String> keys)
            throws SQLException {
        ps.setString(first, ref.ext());
        ps.setString(first + 1, ref.scope());
        ps.setString(first + 2, ref.ownerHash());
        ps.setString(first + 3, ref.resource());
        for (int i = 0; i < keys.size(); i++) {
            ps.setString(first + 4 + i, keys.get(i));
        }
    }

    /** @throws StorageException {@code PAGE_TOO_LARGE} above {@code maxBytes} */
    static List<StoredEntry> getMany(DataSource pool, Namespace ns, List<String> keys, long maxBytes)
            throws SQLException {
        Map<String, StoredEntry> found = new HashMap<>();
        if (!keys.isEmpty()) {
            try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(in(SELECT_MANY,
                    keys.size()) + ") AS found")) {
                ps.setLong(1, maxBytes);
                bind(ps, 2, EntryRefs.ref(ns, null), keys);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long total = rs.getLong(4);
                        if (total > maxBytes) {
                            throw new StorageException(ErrorCode.PAGE_TOO_LARGE,
                                    "The entries asked for take " + total + " bytes, above the limit of " + maxBytes
                                    + " for one answer; ask for fewer", maxBytes, total);
                        }
                        found.put(rs.getString(1), new StoredEntry(rs.getString(2), rs.getString(3)));
                    }
                }
            }
        }
        List<StoredEntry> inOrder = new ArrayList<>(keys.size());
        for (String key : keys) {
            inOrder.add(found.get(key));
        }
        return inOrder;
    }

    /** Removes the keys, gives their bytes and entries back; for each key whether it was there. */
    static List<Boolean> removeMany(SqlWriter.Tx tx, Namespace ns, List<String> keys) throws SQLException {
        if (keys.isEmpty()) {
            return List.of();
        }
        EntryDao.Ref ref = EntryRefs.ref(ns, null);
        PreparedStatement ps = tx.prepare(in(DELETE_MANY, keys.size()) + " RETURNING entry_key, size_bytes");
        bind(ps, 1, ref, keys);
        Set<String> removed = new HashSet<>();
        long freed = 0;
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                removed.add(rs.getString(1));
                freed += rs.getLong(2);
            }
        }
        if (!removed.isEmpty()) {
            UsageRows.shrink(tx, ref, -freed, -removed.size());
        }
        List<Boolean> out = new ArrayList<>(keys.size());
        for (String key : keys) {
            out.add(removed.contains(key));
        }
        return out;
    }

    /** SQLite: writes the batch with {@code versions}, then the usage rows by its net change. */
    static void putMany(SqlWriter.Tx tx, Namespace ns, List<BatchWrite> writes, List<String> versions,
                        Quota quota) throws SQLException {
        long delta = 0;
        long inserted = 0;
        for (int i = 0; i < writes.size(); i++) {
            BatchWrite w = writes.get(i);
            EntryDao.Ref ref = EntryRefs.ref(ns, w.key());
            EntryWrites.requireHolds(tx, ref, w.condition());
            long[] change = EntryWrites.upsert(tx, ref, w.json(), EntryCost.of(w.key(), w.json()), versions.get(i));
            delta += change[0];
            inserted += change[1];
        }
        EntryDao.Ref ref = EntryRefs.ref(ns, null);
        if (delta > 0) {
            UsageRows.grow(tx, ref, delta, (int) inserted, quota);
        } else if (delta < 0 || inserted > 0) {
            UsageRows.shrink(tx, ref, delta, (int) inserted);
        }
    }
}
