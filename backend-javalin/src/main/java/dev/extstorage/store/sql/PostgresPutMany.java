package dev.extstorage.store.sql;

import dev.extstorage.model.Precondition;
import dev.extstorage.store.BatchWrite;
import dev.extstorage.store.EntryCost;
import dev.extstorage.store.Namespace;
import dev.extstorage.store.Quota;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The batch write of {@link PostgresPersistentStore}: one transaction that writes every entry (a batch without
 * conditions in one statement; otherwise each entry as {@code ext_storage_put} writes one, its precondition in the
 * statement that writes it; neither touches the usage rows), then adjusts the usage rows once by the batch's net change ({@link UsageRows#grow}, which checks both
 * bounds for the batch as a whole, or {@link UsageRows#shrink}). The lock order is every write's: entry rows
 * first, in key order (so two batches sharing keys take them in the same order), then the namespace's usage
 * row(s), then the extension's; a batch never holds a usage row while it waits for an entry, so it cannot deadlock with
 * single writes or with other batches. A condition that does not hold or a refusal rolls the whole batch back.
 */
final class PostgresPutMany {
    private static final String COLUMNS = " (extension_id, scope, owner, owner_hash, resource, entry_key, value_json,"
            + " size_bytes, prev_size, created_at, updated_at, change_seq, entry_version) VALUES (?, ?, ?, ?, ?, ?, ?,"
            + " ?, 0, ?, ?, nextval('storage_change_seq'), ?)";
    private static final String RETURNING = " RETURNING size_bytes - prev_size, prev_size";
    private static final String UPSERT = "INSERT INTO storage_entry" + COLUMNS
            + " ON CONFLICT (extension_id, scope, owner_hash, resource, entry_key) DO UPDATE SET"
            + " prev_size = storage_entry.size_bytes, value_json = excluded.value_json,"
            + " size_bytes = excluded.size_bytes, updated_at = excluded.updated_at, change_seq = excluded.change_seq,"
            + " entry_version = excluded.entry_version" + RETURNING;
    private static final String INSERT_IF_ABSENT = "INSERT INTO storage_entry" + COLUMNS
            + " ON CONFLICT (extension_id, scope, owner_hash, resource, entry_key) DO NOTHING" + RETURNING;
    // SET expressions see the row being replaced, so prev_size takes its size (as the upsert's does).
    private static final String UPDATE_IF = "UPDATE storage_entry SET prev_size = size_bytes, value_json = ?,"
            + " size_bytes = ?, updated_at = ?, change_seq = nextval('storage_change_seq'), entry_version = ?"
            + EntryRefs.WHERE_ENTRY + " AND (? = 'present' OR entry_version = ANY (string_to_array(?, ' ')))"
            + RETURNING;

    // A batch without conditions: one statement for all its entries, taken in the order of the arrays (key order).
    private static final String UPSERT_ALL = "INSERT INTO storage_entry (extension_id, scope, owner, owner_hash,"
            + " resource, entry_key, value_json, size_bytes, prev_size, created_at, updated_at, change_seq,"
            + " entry_version) SELECT ?, ?, ?, ?, ?, b.k, b.j, b.s, 0, ?, ?, nextval('storage_change_seq'), b.v"
            + " FROM unnest(?::text[], ?::text[], ?::bigint[], ?::text[]) WITH ORDINALITY AS b(k, j, s, v, o)"
            + " ORDER BY b.o ON CONFLICT (extension_id, scope, owner_hash, resource, entry_key) DO UPDATE SET"
            + " prev_size = storage_entry.size_bytes, value_json = excluded.value_json,"
            + " size_bytes = excluded.size_bytes, updated_at = excluded.updated_at, change_seq = excluded.change_seq,"
            + " entry_version = excluded.entry_version" + RETURNING;

    private PostgresPutMany() {
    }

    static void putMany(SqlPersistentStore store, Namespace ns, List<BatchWrite> writes, List<String> versions,
                        Quota quota) {
        List<Integer> order = new ArrayList<>(writes.size());
        for (int i = 0; i < writes.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparing(i -> writes.get(i).key()));
        store.write("write", tx -> {
            long delta = 0;
            long added = 0;
            EntryDao.Ref ref = EntryRefs.ref(ns, null);
            if (writes.stream().allMatch(w -> w.condition().kind() == Precondition.Kind.NONE)) {
                long[] change = putAll(tx, ref, writes, versions, order);
                delta = change[0];
                added = change[1];
            } else {
                for (int i : order) {
                    BatchWrite w = writes.get(i);
                    long[] change = put(tx, EntryRefs.ref(ns, w.key()), w, versions.get(i));
                    delta += change[0];
                    added += change[1];
                }
            }
            if (delta > 0) {
                UsageRows.grow(tx, ref, delta, (int) added, quota);
            } else if (delta < 0 || added > 0) {
                UsageRows.shrink(tx, ref, delta, (int) added);
            }
            return null;
        });
    }

    /** Writes every entry of a batch without conditions in one statement; the change of bytes and entries added. */
    private static long[] putAll(SqlWriter.Tx tx, EntryDao.Ref ref, List<BatchWrite> writes, List<String> versions,
                                 List<Integer> order) throws SQLException {
        int n = writes.size();
        String[] keys = new String[n];
        String[] jsons = new String[n];
        Long[] sizes = new Long[n];
        String[] vers = new String[n];
        for (int j = 0; j < n; j++) {
            BatchWrite w = writes.get(order.get(j));
            keys[j] = w.key();
            jsons[j] = w.json();
            sizes[j] = EntryCost.of(w.key(), w.json());
            vers[j] = versions.get(order.get(j));
        }
        PreparedStatement ps = tx.prepare(UPSERT_ALL);
        Connection c = ps.getConnection();
        long now = System.currentTimeMillis();
        ps.setString(1, ref.ext());
        ps.setString(2, ref.scope());
        ps.setString(3, ref.owner());
        ps.setString(4, ref.ownerHash());
        ps.setString(5, ref.resource());
        ps.setLong(6, now);
        ps.setLong(7, now);
        ps.setArray(8, c.createArrayOf("text", keys));
        ps.setArray(9, c.createArrayOf("text", jsons));
        ps.setArray(10, c.createArrayOf("bigint", sizes));
        ps.setArray(11, c.createArrayOf("text", vers));
        long delta = 0;
        long added = 0;
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                delta += rs.getLong(1);
                added += rs.getLong(2) == 0 ? 1 : 0;
            }
        }
        return new long[] {delta, added};
    }

    /**
     * Writes one entry if its condition holds.
     *
     * @return the change of its bytes and the entries added (1 for an insert)
     * @throws dev.extstorage.model.StorageException {@code PRECONDITION_FAILED} with the current version
     */
    private static long[] put(SqlWriter.Tx tx, EntryDao.Ref ref, BatchWrite w, String version) throws SQLException {
        Precondition condition = w.condition();
        long size = EntryCost.of(w.key(), w.json());
        long now = System.currentTimeMillis();
        PreparedStatement ps;
        if (condition.kind() == Precondition.Kind.PRESENT || condition.kind() == Precondition.Kind.VERSION) {
            ps = tx.prepare(UPDATE_IF);
            ps.setString(1, w.json());
            ps.setLong(2, size);
            ps.setLong(3, now);
            ps.setString(4, version);
            EntryRefs.bindEntry(ps, 5, ref);
            ps.setString(10, condition.kind() == Precondition.Kind.PRESENT ? "present" : "version");
            ps.setString(11, String.join(" ", condition.versions()));
        } else {
            ps = tx.prepare(condition.kind() == Precondition.Kind.ABSENT ? INSERT_IF_ABSENT : UPSERT);
            EntryRefs.bindRow(ps, ref);
            ps.setString(7, w.json());
            ps.setLong(8, size);
            ps.setLong(9, now);
            ps.setLong(10, now);
            ps.setString(11, version);
        }
        try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                return new long[] {rs.getLong(1), rs.getLong(2) == 0 ? 1 : 0};
            }
        }
        throw condition.failure(EntryWrites.currentVersion(tx, ref));
    }
}
