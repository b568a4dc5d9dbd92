package dev.extstorage.store.sql;

import dev.extstorage.model.Precondition;
import dev.extstorage.model.StorageException;
import dev.extstorage.store.BatchWrite;
import dev.extstorage.store.EntryCost;
import dev.extstorage.store.Namespace;
import dev.extstorage.store.Quota;
import dev.extstorage.store.StoredEntry;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The batch write of {@link PostgresPersistentStore}: one transaction of two statements. The first calls
 * {@code ext_storage_put} (the single write's function, {@link PostgresPut}) once per entry over {@code unnest}
 * of the batch's arrays, with bounds that never refuse, so each entry is written and counted exactly as a single
 * write would; the entries go in key order, so two batches lock shared rows in the same order and cannot
 * deadlock. When the batch grew, the second reads the usage rows, which the first has locked, and refuses the
 * batch if the namespace or the extension now holds more than its bound: the whole transaction is rolled back.
 * A precondition that does not hold aborts the first statement; the versions are then read again to name the
 * first write, in order, whose condition fails.
 */
final class PostgresPutMany {
    private static final String PUT_MANY = "SELECT ext_storage_put(?, ?, ?, ?, b.k, b.j, b.s, ?, ?, ?, b.v, b.m,"
            + " b.vs, ?) FROM unnest(?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[])"
            + " AS b(k, j, s, v, m, vs)";
    private static final String USED = "SELECT (SELECT used_bytes FROM namespace_usage WHERE extension_id = ?"
            + " AND scope = ? AND owner_hash = ?), (SELECT used_bytes FROM extension_usage WHERE extension_id = ?)";
    /** Bounds that never refuse: the batch's are checked once it is written. */
    private static final long UNBOUNDED = Long.MAX_VALUE;

    private PostgresPutMany() {
    }

    static void putMany(SqlPersistentStore store, Namespace ns, List<BatchWrite> writes,
                        List<String> versions, Quota quota) {
        List<Integer> order = new ArrayList<>(writes.size());
        for (int i = 0; i < writes.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparing(i -> writes.get(i).key()));
        EntryDao.Ref ref = EntryRefs.ref(ns, null);
        try {
            store.write("write", tx -> {
                long delta;
                try {
                    delta = put(tx, ref, writes, versions, order);
                } catch (SQLException e) {
                    if (PostgresPut.PG_PRECONDITION_STATE.equals(e.getSQLState())) {
                        throw new Conflict();
                    }
                    throw e;
                }
                if (delta > 0) {
                    requireWithin(tx, ref, quota);
                }
                return null;
            });
        } catch (Conflict e) {
            // rolled back; which write failed is read afresh (the function tells only the current version)
            throw conflict(store, ns, writes);
        }
    }

    /** A precondition of the batch did not hold: the transaction is rolled back, then the write is named. */
    private static final class Conflict extends StorageException {
        Conflict() {
            super(dev.extstorage.model.ErrorCode.PRECONDITION_FAILED, "A condition of the batch does not hold");
        }
    }

    private static long put(SqlWriter.Tx tx, EntryDao.Ref ref, List<BatchWrite> writes, List<String> versions,
                            List<Integer> order) throws SQLException {
        int n = writes.size();
        String[] keys = new String[n];
        String[] jsons = new String[n];
        Long[] sizes = new Long[n];
        String[] vers = new String[n];
        String[] modes = new String[n];
        String[] conditions = new String[n];
        for (int j = 0; j < n; j++) {
            int i = order.get(j);
            BatchWrite w = writes.get(i);
            keys[j] = w.key();
            jsons[j] = w.json();
            sizes[j] = EntryCost.of(w.key(), w.json());
            vers[j] = versions.get(i);
            modes[j] = w.condition().kind() == Precondition.Kind.NONE ? "none"
                    : w.condition().kind().name().toLowerCase(java.util.Locale.ROOT);
            conditions[j] = String.join(" ", w.condition().versions());
        }
        PreparedStatement ps = tx.prepare(PUT_MANY);
        Connection c = ps.getConnection();
        ps.setString(1, ref.ext());
        ps.setString(2, ref.scope());
        ps.setString(3, ref.owner());
        ps.setString(4, ref.ownerHash());
        ps.setLong(5, System.currentTimeMillis());
        ps.setLong(6, UNBOUNDED);
        ps.setLong(7, UNBOUNDED);
        ps.setString(8, ref.resource());
        Array[] arrays = {c.createArrayOf("text", keys), c.createArrayOf("text", jsons),
                c.createArrayOf("bigint", sizes), c.createArrayOf("text", vers), c.createArrayOf("text", modes),
                c.createArrayOf("text", conditions)};
        for (int a = 0; a < arrays.length; a++) {
            ps.setArray(9 + a, arrays[a]);
        }
        long delta = 0;
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                delta += rs.getLong(1);
            }
        }
        return delta;
    }

    /** After the batch grew: the usage rows as its transaction left them, against the bounds. */
    private static void requireWithin(SqlWriter.Tx tx, EntryDao.Ref ref, Quota quota) throws SQLException {
        PreparedStatement ps = tx.prepare(USED);
        ps.setString(1, ref.ext());
        ps.setString(2, ref.scope());
        ps.setString(3, ref.ownerHash());
        ps.setString(4, ref.ext());
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            long namespace = rs.getLong(1);
            long extension = rs.getLong(2);
            if (namespace > quota.ownerBytes()) {
                throw UsageRows.namespaceRefusal(ref.scope(), quota.ownerBytes(), namespace);
            }
            if (extension > quota.extensionBytes()) {
                throw UsageRows.extensionRefusal(quota.extensionBytes(), extension);
            }
        }
    }

    /**
     * The failure of the first write, in order, whose condition does not hold for the entries as they are now;
     * if a concurrent writer changed them back meanwhile, that of the first conditional write.
     */
    private static StorageException conflict(SqlPersistentStore store, Namespace ns, List<BatchWrite> writes) {
        List<String> keys = new ArrayList<>(writes.size());
        for (BatchWrite w : writes) {
            keys.add(w.key());
        }
        List<StoredEntry> now = store.getMany(ns, keys, Long.MAX_VALUE);
        BatchWrite first = null;
        for (int i = 0; i < writes.size(); i++) {
            Precondition condition = writes.get(i).condition();
            String current = now.get(i) == null ? null : now.get(i).version();
            if (!condition.holds(current)) {
                return condition.failure(current);
            }
            if (first == null && condition.kind() != Precondition.Kind.NONE) {
                first = writes.get(i);
            }
        }
        String current = null;
        for (int i = 0; i < writes.size(); i++) {
            if (writes.get(i) == first && now.get(i) != null) {
                current = now.get(i).version();
            }
        }
        return (first == null ? Precondition.ifAbsent() : first.condition()).failure(current);
    }
}
