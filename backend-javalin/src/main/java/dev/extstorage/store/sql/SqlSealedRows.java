package dev.extstorage.store.sql;

import com.zaxxer.hikari.HikariDataSource;
import dev.extstorage.store.EntryCost;
import dev.extstorage.store.SealedRows;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@link SealedRows} of the SQL engines. A page is one range of the index on (key id, primary key): the rows of
 * one key after the last row of the page before (a row-value comparison, which SQLite and PostgreSQL both have).
 * An entry's key id is a column the database computes from its stored text (migration V14), a secret's is
 * written with it (V13). The write-back is one transaction
 * of the engine's writer: each row's {@code UPDATE} holds only while the row still has the text and version it
 * was read with (under PostgreSQL's READ COMMITTED a concurrent writer's newer row fails that test, so its
 * write stands), then the usage rows take the size changes of the entries written, namespaces then extensions,
 * sorted, after the entry rows: the lock order of every write and bulk deletion ({@link BatchDelete}).
 */
final class SqlSealedRows implements SealedRows {
    private static final String ENTRY_PAGE = "SELECT extension_id, scope, owner, owner_hash, resource, entry_key,"
            + " value_json, entry_version FROM storage_entry WHERE key_id = ?"
            + " AND (extension_id, scope, owner_hash, resource, entry_key) > (?, ?, ?, ?, ?)"
            + " ORDER BY key_id, extension_id, scope, owner_hash, resource, entry_key LIMIT ?";
    private static final String SECRET_PAGE = "SELECT extension_id, scope, owner, owner_hash, '', secret_key,"
            + " sealed, secret_version FROM extension_secret WHERE key_id = ?"
            + " AND (extension_id, scope, owner_hash, secret_key) > (?, ?, ?, ?)"
            + " ORDER BY key_id, extension_id, scope, owner_hash, secret_key LIMIT ?";
    private static final String ENTRY_KEY_IDS = "SELECT DISTINCT key_id FROM storage_entry WHERE key_id IS NOT NULL";
    private static final String SECRET_KEY_IDS = "SELECT DISTINCT key_id FROM extension_secret";
    private static final String ENTRY_REPLACE = "UPDATE storage_entry SET value_json = ?, size_bytes = ?"
            + EntryRefs.WHERE_ENTRY + " AND value_json = ? AND entry_version = ?";
    private static final String SECRET_REPLACE = "UPDATE extension_secret SET sealed = ?, key_id = ?"
            + " WHERE extension_id = ? AND scope = ? AND owner_hash = ? AND secret_key = ? AND sealed = ?"
            + " AND secret_version = ?";

    private final String engine;
    private final SqlSchema schema;
    private final HikariDataSource readPool;
    private final SqlWriter writer;

    SqlSealedRows(String engine, SqlSchema schema, HikariDataSource readPool, SqlWriter writer) {
        this.engine = engine;
        this.schema = schema;
        this.readPool = readPool;
        this.writer = writer;
    }

    @Override
    public List<String> keyIds(Kind kind) {
        schema.ensureMigrated();
        try (Connection c = readPool.getConnection();
             PreparedStatement ps = c.prepareStatement(kind == Kind.ENTRY ? ENTRY_KEY_IDS : SECRET_KEY_IDS);
             ResultSet rs = ps.executeQuery()) {
            List<String> ids = new ArrayList<>();
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
            return ids;
        } catch (SQLException | RuntimeException e) {
            throw SqlFailures.unavailable(engine, "read key ids", e);
        }
    }

    @Override
    public List<Row> page(Kind kind, String keyId, Row after, int limit) {
        schema.ensureMigrated();
        boolean entry = kind == Kind.ENTRY;
        try (Connection c = readPool.getConnection();
             PreparedStatement ps = c.prepareStatement(entry ? ENTRY_PAGE : SECRET_PAGE)) {
            int i = 1;
            ps.setString(i++, keyId);
            ps.setString(i++, after == null ? "" : after.extension());
            ps.setString(i++, after == null ? "" : after.scope());
            ps.setString(i++, after == null ? "" : after.ownerHash());
            if (entry) {
                ps.setString(i++, after == null ? "" : after.resource());
            }
            ps.setString(i++, after == null ? "" : after.key());
            ps.setInt(i, limit);
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(kind, rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)));
                }
            }
            return rows;
        } catch (SQLException | RuntimeException e) {
            throw SqlFailures.unavailable(engine, "read sealed rows", e);
        }
    }

    @Override
    public int replace(List<Replacement> replacements) {
        schema.ensureMigrated();
        if (replacements.isEmpty()) {
            return 0;
        }
        return SqlFailures.inTransaction(writer, engine, "re-encrypt", tx -> {
            int written = 0;
            SortedMap<EntryDao.Ref, long[]> shrunk = new TreeMap<>(BatchDelete::compare);
            PreparedStatement entries = null;
            PreparedStatement secrets = null;
            for (Replacement r : replacements) {
                boolean done;
                if (r.row().kind() == Kind.ENTRY) {
                    entries = entries == null ? tx.prepare(ENTRY_REPLACE) : entries;
                    done = replaceEntry(entries, r, shrunk);
                } else {
                    secrets = secrets == null ? tx.prepare(SECRET_REPLACE) : secrets;
                    done = replaceSecret(secrets, r);
                }
                written += done ? 1 : 0;
            }
            if (!shrunk.isEmpty()) {
                // bytes "freed" by each namespace: negative where the new text is longer (a longer key id)
                UsageRows.shrinkMany(tx, shrunk);
            }
            return written;
        });
    }

    private static boolean replaceEntry(PreparedStatement ps, Replacement r, SortedMap<EntryDao.Ref, long[]> shrunk)
            throws SQLException {
        Row row = r.row();
        EntryDao.Ref ref = new EntryDao.Ref(row.extension(), row.scope(), row.owner(), row.ownerHash(),
                row.resource(), row.key());
        long before = EntryCost.of(row.key(), row.stored());
        long after = EntryCost.of(row.key(), r.stored());
        ps.setString(1, r.stored());
        ps.setLong(2, after);
        ps.setString(3, ref.ext());
        ps.setString(4, ref.scope());
        ps.setString(5, ref.ownerHash());
        ps.setString(6, ref.resource());
        ps.setString(7, ref.key());
        ps.setString(8, row.stored());
        ps.setString(9, row.version());
        if (ps.executeUpdate() == 0) {
            return false;
        }
        if (after != before) {
            EntryDao.Ref ns = new EntryDao.Ref(ref.ext(), ref.scope(), null, ref.ownerHash(), null, null);
            shrunk.computeIfAbsent(ns, k -> new long[2])[0] += before - after;
        }
        return true;
    }

    private static boolean replaceSecret(PreparedStatement ps, Replacement r) throws SQLException {
        Row row = r.row();
        ps.setString(1, r.stored());
        ps.setString(2, r.keyId());
        ps.setString(3, row.extension());
        ps.setString(4, row.scope());
        ps.setString(5, row.ownerHash());
        ps.setString(6, row.key());
        ps.setString(7, row.stored());
        ps.setString(8, row.version());
        return ps.executeUpdate() == 1;
    }
}
