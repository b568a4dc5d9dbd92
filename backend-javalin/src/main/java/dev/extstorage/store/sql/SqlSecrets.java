package dev.extstorage.store.sql;

import com.zaxxer.hikari.HikariDataSource;
import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.UserIds;
import dev.extstorage.store.DataLifecycle;
import dev.extstorage.store.Namespace;
import dev.extstorage.store.SecretStore;
import dev.extstorage.store.StoredEntry;
import dev.extstorage.store.Versions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link SecretStore} of the SQL engines: the table {@code extension_secret} (migration V13), one schema on
 * SQLite and PostgreSQL. Reads on the read pool, writes through the engine's {@link SqlWriter} (SQLite: its one
 * writer, queued with the entry writes); purge and erasure delete {@value DataLifecycle#BATCH} rows per
 * transaction, as {@link SqlLifecycle} does for entries.
 */
final class SqlSecrets implements SecretStore {
    private static final String WHERE_SECRET = " WHERE extension_id = ? AND scope = ? AND owner_hash = ?"
            + " AND secret_key = ?";
    private static final String SELECT = "SELECT sealed, secret_version FROM extension_secret" + WHERE_SECRET;
    private static final String UPSERT = "INSERT INTO extension_secret (extension_id, scope, owner, owner_hash,"
            + " secret_key, key_id, sealed, secret_version, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (extension_id, scope, owner_hash, secret_key) DO UPDATE SET key_id = excluded.key_id,"
            + " sealed = excluded.sealed, secret_version = excluded.secret_version, updated_at = excluded.updated_at";
    private static final String DELETE = "DELETE FROM extension_secret" + WHERE_SECRET;
    private static final String KEYS = "SELECT secret_key FROM extension_secret WHERE extension_id = ? AND scope = ?"
            + " AND owner_hash = ? AND secret_key > ? ORDER BY secret_key LIMIT ?";
    private static final String COUNT = "SELECT COUNT(*) FROM extension_secret WHERE extension_id = ?";
    private static final String COUNTS = "SELECT extension_id, COUNT(*) FROM extension_secret GROUP BY extension_id";

    private final String engine;
    private final SqlSchema schema;
    private final HikariDataSource readPool;
    private final SqlWriter writer;
    private final String purgeBatch;
    private final String eraseBatch;

    SqlSecrets(String engine, SqlSchema schema, HikariDataSource readPool, SqlWriter writer) {
        this.engine = engine;
        this.schema = schema;
        this.readPool = readPool;
        this.writer = writer;
        this.purgeBatch = BatchDelete.deleteBatch(engine, "extension_secret", "extension_id = ?");
        this.eraseBatch = BatchDelete.deleteBatch(engine, "extension_secret", "owner_hash = ? AND scope = 'user'");
    }

    @Override
    public StoredEntry get(Namespace namespace, String key) {
        schema.ensureMigrated();
        EntryDao.Ref ref = EntryRefs.ref(namespace, key);
        try (Connection c = readPool.getConnection(); PreparedStatement ps = c.prepareStatement(SELECT)) {
            bind(ps, ref);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new StoredEntry(rs.getString(1), rs.getString(2)) : null;
            }
        } catch (SQLException | RuntimeException e) {
            throw SqlFailures.unavailable(engine, "read a secret", e);
        }
    }

    @Override
    public String put(Namespace namespace, String key, String keyId, String sealed) {
        schema.ensureMigrated();
        EntryDao.Ref ref = EntryRefs.ref(namespace, key);
        String version = Versions.next();
        write("write a secret", tx -> {
            PreparedStatement ps = tx.prepare(UPSERT);
            ps.setString(1, ref.ext());
            ps.setString(2, ref.scope());
            ps.setString(3, ref.owner());
            ps.setString(4, ref.ownerHash());
            ps.setString(5, key);
            ps.setString(6, keyId);
            ps.setString(7, sealed);
            ps.setString(8, version);
            ps.setLong(9, System.currentTimeMillis());
            ps.executeUpdate();
            return null;
        });
        return version;
    }

    @Override
    public boolean remove(Namespace namespace, String key) {
        schema.ensureMigrated();
        EntryDao.Ref ref = EntryRefs.ref(namespace, key);
        return write("remove a secret", tx -> {
            PreparedStatement ps = tx.prepare(DELETE);
            bind(ps, ref);
            return ps.executeUpdate() > 0;
        });
    }

    @Override
    public List<String> keys(Namespace namespace, String afterKey, int limit) {
        schema.ensureMigrated();
        EntryDao.Ref ref = EntryRefs.ref(namespace, null);
        List<String> keys = new ArrayList<>();
        try (Connection c = readPool.getConnection(); PreparedStatement ps = c.prepareStatement(KEYS)) {
            ps.setString(1, ref.ext());
            ps.setString(2, ref.scope());
            ps.setString(3, ref.ownerHash());
            ps.setString(4, afterKey == null ? "" : afterKey);
            ps.setInt(5, Math.max(0, Math.min(limit, MAX_KEYS_PER_PAGE)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
            return keys;
        } catch (SQLException | RuntimeException e) {
            throw SqlFailures.unavailable(engine, "list secrets", e);
        }
    }

    @Override
    public long count(ExtensionId extension) {
        schema.ensureMigrated();
        try (Connection c = readPool.getConnection(); PreparedStatement ps = c.prepareStatement(COUNT)) {
            ps.setString(1, extension.id());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException | RuntimeException e) {
            throw SqlFailures.unavailable(engine, "count secrets", e);
        }
    }

    @Override
    public Map<String, Long> countsByExtension() {
        schema.ensureMigrated();
        try (Connection c = readPool.getConnection(); PreparedStatement ps = c.prepareStatement(COUNTS);
             ResultSet rs = ps.executeQuery()) {
            Map<String, Long> counts = new HashMap<>();
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
            return counts;
        } catch (SQLException | RuntimeException e) {
            throw SqlFailures.unavailable(engine, "count secrets per extension", e);
        }
    }

    @Override
    public long purge(ExtensionId extension) {
        schema.ensureMigrated();
        return deleteAll("purge secrets", purgeBatch, extension.id());
    }

    @Override
    public long eraseUser(String userId) {
        schema.ensureMigrated();
        return deleteAll("erase secrets", eraseBatch, EntryRefs.sha256Hex(UserIds.storageForm(userId)));
    }

    private long deleteAll(String action, String sql, String match) {
        long removed = 0;
        int batch;
        do {
            batch = write(action, tx -> {
                PreparedStatement ps = tx.prepare(sql);
                ps.setString(1, match);
                ps.setInt(2, DataLifecycle.BATCH);
                return ps.executeUpdate();
            });
            removed += batch;
        } while (batch > 0);
        return removed;
    }

    private static void bind(PreparedStatement ps, EntryDao.Ref ref) throws SQLException {
        ps.setString(1, ref.ext());
        ps.setString(2, ref.scope());
        ps.setString(3, ref.ownerHash());
        ps.setString(4, ref.key());
    }

    private <T> T write(String action, SqlWriter.TxBody<T> body) {
        return SqlFailures.inTransaction(writer, engine, action, body);
    }
}
