package dev.extstorage.store.sql;

import dev.extstorage.store.Namespace;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Where the SQL stores keep an entry: its {@link EntryDao.Ref}, the owner's hash, and the binding of both. */
final class EntryRefs {
    private static final String SHARED_OWNER_HASH = sha256Hex("");

    private EntryRefs() {
    }

    static EntryDao.Ref ref(Namespace ns, String key) {
        String owner = ns.ownerStorageForm();
        return new EntryDao.Ref(ns.extension().id(), ns.scope().wireName(), owner,
                owner.isEmpty() ? SHARED_OWNER_HASH : sha256Hex(owner), ns.resourceStorageForm(), key);
    }

    /** The condition {@link #bindEntry} binds: one entry, by every column of the primary key. */
    static final String WHERE_ENTRY = " WHERE extension_id = ? AND scope = ? AND owner_hash = ? AND resource = ?"
            + " AND entry_key = ?";

    /** Binds {@code extension_id, scope, owner_hash, resource, entry_key} as parameters 1 to 5. */
    static void bindEntry(PreparedStatement ps, EntryDao.Ref ref) throws SQLException {
        bindEntry(ps, 1, ref);
    }

    /** As {@link #bindEntry(PreparedStatement, EntryDao.Ref)}, from parameter {@code first} on. */
    static void bindEntry(PreparedStatement ps, int first, EntryDao.Ref ref) throws SQLException {
        ps.setString(first, ref.ext());
        ps.setString(first + 1, ref.scope());
        ps.setString(first + 2, ref.ownerHash());
        ps.setString(first + 3, ref.resource());
        ps.setString(first + 4, ref.key());
    }

    /** Binds a row's identity, owner included, to parameters 1-6: ext, scope, owner, owner hash, resource, key. */
    static void bindRow(PreparedStatement ps, EntryDao.Ref ref) throws SQLException {
        ps.setString(1, ref.ext());
        ps.setString(2, ref.scope());
        ps.setString(3, ref.owner());
        ps.setString(4, ref.ownerHash());
        ps.setString(5, ref.resource());
        ps.setString(6, ref.key());
    }

    static String sha256Hex(String s) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            StringBuilder b = new StringBuilder(64);
            for (byte x : digest) {
                b.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
            }
            return b.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JVM has SHA-256", e);
        }
    }
}
