package dev.extstorage.store.sql;

import dev.extstorage.model.Scope;
import dev.extstorage.model.StorageException;
import dev.extstorage.model.Tier;
import dev.extstorage.store.Quota;
import dev.extstorage.store.QuotaRefusal;
import org.postgresql.util.PSQLException;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The usage a write of {@link SqlPersistentStore} adjusts after its entry row, in this order: the namespace's
 * ({@code namespace_usage}, migration V5: bytes and entries of one user's user scope or of the shared scope) and
 * the extension's ({@code extension_usage}: bytes of all its namespaces). Since migration V15 each is the SUM of
 * rows told apart by {@code shard}; a refusal throws and the caller's transaction (or savepoint) rolls the whole
 * write back.
 *
 * <p>SQLite (one writer) writes shard 0 only: a growing change checks its bound in the {@code UPDATE}'s
 * {@code WHERE}, exact because no other write runs meanwhile. PostgreSQL ({@link SqlWriter.Tx#shardedUsage()})
 * calls {@code ext_storage_usage_ns} and {@code ext_storage_usage_ext} (V15, whose header comment gives the rule
 * and why it cannot deadlock; V16: a shrink without a subtransaction), which spread concurrent writers over the
 * rows and keep the bounds exact.
 * {@code ext_storage_put} calls the same functions, so every writer of usage follows one rule. A transaction
 * grows each namespace and each extension at most once (the functions' bound relies on it: an uncommitted growth
 * of at most 64 KiB per locked row); only {@link #growThenShrink} adds a shrink after the growth.
 */
final class UsageRows {
    // SQLite's statements: shard 0, the only row SQLite writes (V15).
    private static final String WHERE_NAMESPACE = " WHERE extension_id = ? AND scope = ? AND owner_hash = ?"
            + " AND shard = 0";
    private static final String GROW_NAMESPACE = "UPDATE namespace_usage SET used_bytes = used_bytes + ?,"
            + " entry_count = entry_count + ?" + WHERE_NAMESPACE + " AND used_bytes + ? <= ?";
    private static final String SHRINK_NAMESPACE = "UPDATE namespace_usage SET used_bytes = used_bytes + ?,"
            + " entry_count = entry_count + ?" + WHERE_NAMESPACE;
    private static final String SELECT_NAMESPACE = "SELECT used_bytes FROM namespace_usage" + WHERE_NAMESPACE;
    private static final String CREATE_NAMESPACE = "INSERT INTO namespace_usage (extension_id, scope, owner_hash,"
            + " used_bytes, entry_count) VALUES (?, ?, ?, 0, 0)"
            + " ON CONFLICT DO NOTHING";
    private static final String GROW_EXTENSION = "UPDATE extension_usage SET used_bytes = used_bytes + ?"
            + " WHERE extension_id = ? AND shard = 0 AND used_bytes + ? <= ?";
    private static final String SHRINK_EXTENSION = "UPDATE extension_usage SET used_bytes = used_bytes + ?"
            + " WHERE extension_id = ? AND shard = 0";
    private static final String SELECT_EXTENSION = "SELECT used_bytes FROM extension_usage WHERE extension_id = ?"
            + " AND shard = 0";
    private static final String CREATE_EXTENSION = "INSERT INTO extension_usage (extension_id, used_bytes)"
            + " VALUES (?, 0) ON CONFLICT DO NOTHING";
    // PostgreSQL's (V15); a NULL bound leaves a growth unchecked (a re-encryption's longer text).
    private static final String PG_NAMESPACE = "SELECT ext_storage_usage_ns(?, ?, ?, ?, ?, ?)";
    private static final String PG_EXTENSION = "SELECT ext_storage_usage_ext(?, ?, ?)";
    /** Raised by the PostgreSQL functions when the extension's quota refuses the write; the message is the bytes. */
    private static final String PG_EXTENSION_QUOTA_STATE = "EXTQ1";
    /** Raised by the PostgreSQL functions when the namespace's bound refuses the write; the message is the bytes. */
    private static final String PG_NAMESPACE_QUOTA_STATE = "EXTQ2";

    private UsageRows() {
    }

    /**
     * Adds {@code delta > 0} bytes and {@code entries} (0 or 1) to the namespace of {@code ref}, then the bytes to
     * its extension, each only if that stays within its bound. Creates a usage row on its first write.
     *
     * @throws StorageException {@code QUOTA_EXCEEDED} naming the bound that refused the write
     */
    static void grow(SqlWriter.Tx tx, EntryDao.Ref ref, long delta, int entries, Quota quota) throws SQLException {
        if (tx.shardedUsage()) {
            try {
                pgNamespace(tx, ref, delta, entries, quota.ownerBytes());
                pgExtension(tx, ref.ext(), delta, quota.extensionBytes());
            } catch (SQLException e) {
                StorageException refusal = refusal(e, ref.scope(), quota);
                if (refusal != null) {
                    throw refusal;
                }
                throw e;
            }
            return;
        }
        for (int attempt = 0; ; attempt++) {
            PreparedStatement ps = tx.prepare(GROW_NAMESPACE);
            ps.setLong(1, delta);
            ps.setLong(2, entries);
            bindNamespace(ps, 3, ref);
            ps.setLong(6, delta);
            ps.setLong(7, quota.ownerBytes());
            if (ps.executeUpdate() == 1) {
                break;
            }
            Long used = selectLong(tx, SELECT_NAMESPACE, ref, true);
            if (used != null || attempt > 0) {
                throw namespaceRefusal(ref.scope(), quota.ownerBytes(), (used == null ? 0 : used) + delta);
            }
            PreparedStatement create = tx.prepare(CREATE_NAMESPACE);
            bindNamespace(create, 1, ref);
            create.executeUpdate();
        }
        for (int attempt = 0; ; attempt++) {
            PreparedStatement ps = tx.prepare(GROW_EXTENSION);
            ps.setLong(1, delta);
            ps.setString(2, ref.ext());
            ps.setLong(3, delta);
            ps.setLong(4, quota.extensionBytes());
            if (ps.executeUpdate() == 1) {
                return;
            }
            Long used = selectLong(tx, SELECT_EXTENSION, ref, false);
            if (used != null || attempt > 0) {
                throw extensionRefusal(quota.extensionBytes(), (used == null ? 0 : used) + delta);
            }
            PreparedStatement create = tx.prepare(CREATE_EXTENSION);
            create.setString(1, ref.ext());
            create.executeUpdate();
        }
    }

    /**
     * As {@link #grow} by {@code growth > 0} bytes and {@code entries}, each bound checked for that growth alone,
     * then as {@link #shrink} by {@code shrink <= 0} bytes: a group of writes whose growths must each fit whatever
     * the order ({@link PostgresPutMany.UsageRule#EVERY_GROWTH}). The shrink takes the namespace's rows after the
     * extension's, against the lock order of every write, but never waits, so it cannot deadlock: on PostgreSQL
     * it takes the lowest row no other transaction holds, and the row the growth locked is one; SQLite has one
     * writer.
     *
     * @throws StorageException {@code QUOTA_EXCEEDED} naming the bound that refused the growth
     */
    static void growThenShrink(SqlWriter.Tx tx, EntryDao.Ref ref, long growth, int entries, long shrink,
                               Quota quota) throws SQLException {
        grow(tx, ref, growth, entries, quota);
        if (shrink < 0) {
            shrink(tx, ref, shrink, 0);
        }
    }

    /** Adds {@code delta <= 0} bytes and {@code entries} (0 or -1) to the namespace, then the bytes to the extension. */
    static void shrink(SqlWriter.Tx tx, EntryDao.Ref ref, long delta, int entries) throws SQLException {
        if (tx.shardedUsage()) {
            pgNamespace(tx, ref, delta, entries, null);
            pgExtension(tx, ref.ext(), delta, null);
            return;
        }
        PreparedStatement ns = tx.prepare(SHRINK_NAMESPACE);
        ns.setLong(1, delta);
        ns.setLong(2, entries);
        bindNamespace(ns, 3, ref);
        ns.executeUpdate();
        PreparedStatement ext = tx.prepare(SHRINK_EXTENSION);
        ext.setLong(1, delta);
        ext.setString(2, ref.ext());
        ext.executeUpdate();
    }

    /**
     * As {@link #shrink} for many namespaces at once (a bulk deletion's batch): each namespace's row by its freed
     * bytes and entries, then each extension's row by the sum of its namespaces', every kind in one JDBC batch
     * (one round trip), in the order of the map (namespaces before extensions, the lock order of every write).
     *
     * @param freed namespace -> {bytes, entries} removed, both positive, sorted by extension, scope, owner hash
     */
    static void shrinkMany(SqlWriter.Tx tx, SortedMap<EntryDao.Ref, long[]> freed) throws SQLException {
        Map<String, Long> byExtension = new TreeMap<>();
        if (tx.shardedUsage()) {
            for (Map.Entry<EntryDao.Ref, long[]> e : freed.entrySet()) {
                pgNamespace(tx, e.getKey(), -e.getValue()[0], -e.getValue()[1], null);
                byExtension.merge(e.getKey().ext(), e.getValue()[0], Long::sum);
            }
            for (Map.Entry<String, Long> e : byExtension.entrySet()) {
                pgExtension(tx, e.getKey(), -e.getValue(), null);
            }
            return;
        }
        PreparedStatement ns = tx.prepare(SHRINK_NAMESPACE);
        for (Map.Entry<EntryDao.Ref, long[]> e : freed.entrySet()) {
            ns.setLong(1, -e.getValue()[0]);
            ns.setLong(2, -e.getValue()[1]);
            bindNamespace(ns, 3, e.getKey());
            ns.addBatch();
            byExtension.merge(e.getKey().ext(), e.getValue()[0], Long::sum);
        }
        ns.executeBatch();
        PreparedStatement ext = tx.prepare(SHRINK_EXTENSION);
        for (Map.Entry<String, Long> e : byExtension.entrySet()) {
            ext.setLong(1, -e.getValue());
            ext.setString(2, e.getKey());
            ext.addBatch();
        }
        ext.executeBatch();
    }

    /** The refusal of a write that would bring its namespace ({@code scope} user or shared) to {@code actual} bytes. */
    static StorageException namespaceRefusal(String scope, long limit, long actual) {
        return QuotaRefusal.namespace(Tier.PERSISTENT, Scope.SHARED.wireName().equals(scope) ? Scope.SHARED : Scope.USER,
                limit, actual);
    }

    /** The refusal of a write that would bring the extension to {@code actual} bytes. */
    static StorageException extensionRefusal(long limit, long actual) {
        return QuotaRefusal.extension(Tier.PERSISTENT, limit, actual);
    }

    /**
     * The refusal a PostgreSQL usage function raised ({@code EXTQ2}: the namespace's bound, {@code EXTQ1}: the
     * extension's), or null if {@code e} is none.
     */
    static StorageException refusal(SQLException e, String scope, Quota quota) {
        String state = e.getSQLState();
        if (!(PG_EXTENSION_QUOTA_STATE.equals(state) || PG_NAMESPACE_QUOTA_STATE.equals(state))
                || !(e instanceof PSQLException p) || p.getServerErrorMessage() == null) {
            return null;
        }
        long after;
        try {
            after = Long.parseLong(p.getServerErrorMessage().getMessage());
        } catch (NumberFormatException notOurs) {
            return null;
        }
        return PG_NAMESPACE_QUOTA_STATE.equals(state) ? namespaceRefusal(scope, quota.ownerBytes(), after)
                : extensionRefusal(quota.extensionBytes(), after);
    }

    private static void pgNamespace(SqlWriter.Tx tx, EntryDao.Ref ref, long delta, long entries, Long bound)
            throws SQLException {
        PreparedStatement ps = tx.prepare(PG_NAMESPACE);
        ps.setString(1, ref.ext());
        ps.setString(2, ref.scope());
        ps.setString(3, ref.ownerHash());
        ps.setLong(4, delta);
        ps.setLong(5, entries);
        setBound(ps, 6, bound);
        ps.executeQuery().close();
    }

    private static void pgExtension(SqlWriter.Tx tx, String ext, long delta, Long bound) throws SQLException {
        PreparedStatement ps = tx.prepare(PG_EXTENSION);
        ps.setString(1, ext);
        ps.setLong(2, delta);
        setBound(ps, 3, bound);
        ps.executeQuery().close();
    }

    private static void setBound(PreparedStatement ps, int index, Long bound) throws SQLException {
        if (bound == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, bound);
        }
    }

    private static void bindNamespace(PreparedStatement ps, int first, EntryDao.Ref ref) throws SQLException {
        ps.setString(first, ref.ext());
        ps.setString(first + 1, ref.scope());
        ps.setString(first + 2, ref.ownerHash());
    }

    private static Long selectLong(SqlWriter.Tx tx, String sql, EntryDao.Ref ref, boolean namespace)
            throws SQLException {
        PreparedStatement ps = tx.prepare(sql);
        if (namespace) {
            bindNamespace(ps, 1, ref);
        } else {
            ps.setString(1, ref.ext());
        }
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : null;
        }
    }
}
