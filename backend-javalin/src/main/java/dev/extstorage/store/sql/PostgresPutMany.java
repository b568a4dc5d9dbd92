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
 * The batch write of {@link PostgresPersistentStore}, and of its groups of single writes
 * ({@link PostgresGroupWrite}): one transaction that writes every entry (without conditions in one statement;
 * otherwise each entry as {@code ext_storage_put} writes one, its precondition in the statement that writes it;
 * neither touches the usage rows), then adjusts the usage rows by what the entries changed, as its
 * {@link UsageRule} says. The lock order is every write's: entry rows first, in key order (so two batches sharing
 * keys take them in the same order), then the namespace's usage row(s), then the extension's; a batch never holds
 * a usage row while it waits for an entry, so it cannot deadlock with single writes or with other batches. A
 * condition that does not hold or a refusal rolls the whole batch back.
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

    /** How a transaction of several writes checks the usage bounds. */
    enum UsageRule {
        /**
         * A batch ({@link dev.extstorage.store.PersistentStore#setMany}): its net change, checked against the
         * bounds if it grows, as one write of the batch's net size would be.
         */
        NET,
        /**
         * A group of single writes ({@link PostgresGroupWrite}): the sum of its growths checked against the bounds
         * (then its shrinks added), so the group commits only if each of its growing writes would have been
         * accepted whatever the order of the writes, even with the usage above a lowered bound.
         */
        EVERY_GROWTH
    }

    static void putMany(SqlPersistentStore store, Namespace ns, List<BatchWrite> writes, List<String> versions,
                        Quota quota, UsageRule rule) {
        List<Integer> order = new ArrayList<>(writes.size());
        for (int i = 0; i < writes.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparing(i -> writes.get(i).key()));
        store.write("write", tx -> {
            Change change = new Change();
            EntryDao.Ref ref = EntryRefs.ref(ns, null);
            if (writes.stream().allMatch(w -> w.condition().kind() == Precondition.Kind.NONE)) {
                putAll(tx, ref, writes, versions, order, change);
            } else {
                for (int i : order) {
                    BatchWrite w = writes.get(i);
                    put(tx, EntryRefs.ref(ns, w.key()), w, versions.get(i), change);
                }
            }
            long net = change.grown + change.shrunk;
            if (rule == UsageRule.EVERY_GROWTH && change.grown > 0) {
                UsageRows.growThenShrink(tx, ref, change.grown, change.added, change.shrunk, quota);
            } else if (net > 0) {
                UsageRows.grow(tx, ref, net, change.added, quota);
            } else if (net < 0 || change.added > 0) {
                UsageRows.shrink(tx, ref, net, change.added);
            }
            return null;
        });
    }

    /** What the entries of one transaction changed: bytes grown and shrunk (each entry's change), entries added. */
    private static final class Change {
        long grown;
        long shrunk;
        int added;

        void add(long delta, long previousSize) {
            if (delta > 0) {
                grown += delta;
            } else {
                shrunk += delta;
            }
            if (previousSize == 0) {
                added++;
            }
        }
    }

    /** Writes every entry of a batch without conditions in one statement, adding each entry's change. */
    private static void putAll(SqlWriter.Tx tx, EntryDao.Ref ref, List<BatchWrite> writes, List<String> versions,
                               List<Integer> order, Change change) throws SQLException {
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
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                change.add(rs.getLong(1), rs.getLong(2));
            }
        }
    }

    /**
     * Writes one entry if its condition holds, adding its change.
     *
     * @throws dev.extstorage.model.StorageException {@code PRECONDITION_FAILED} with the current version
     */
    private static void put(SqlWriter.Tx tx, EntryDao.Ref ref, BatchWrite w, String version, Change change)
            throws SQLException {
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
                change.add(rs.getLong(1), rs.getLong(2));
                return;
            }
        }
        throw condition.failure(EntryWrites.currentVersion(tx, ref));
    }
}
