package dev.extstorage.store;

import java.util.List;

/**
 * The persistent engine's encrypted rows, for re-encryption with a new key ({@code reencrypt}): storage entries
 * whose value is sealed ({@link dev.extstorage.model.StoredValues#isEncrypted}) and server-only secrets. Rows
 * are found by the id of the key that sealed them (a column of each table), handed out in pages in the order of
 * their primary key (keyset paging: a page starts after the last row of the one before, so rows written meanwhile
 * neither repeat nor stall the walk), and written back only where they are still as they were read, so a
 * concurrent write is never lost.
 */
public interface SealedRows {
    /** The two tables holding sealed texts. */
    enum Kind {
        /** {@code storage_entry}: {@link Row#stored} is the value's stored text ({@code "\ud800enc:<envelope>"}). */
        ENTRY,
        /** {@code extension_secret}: {@link Row#stored} is the envelope itself. */
        SECRET
    }

    /**
     * One sealed row as read.
     *
     * @param owner     {@link Namespace#ownerStorageForm()} of its namespace ({@code ""} for shared)
     * @param ownerHash the hash the engine keys it by
     * @param resource  the resource's storage form, {@code ""} for plain entries and every secret
     * @param stored    the stored text as read
     * @param version   its version as read
     */
    record Row(Kind kind, String extension, String scope, String owner, String ownerHash, String resource,
               String key, String stored, String version) {
    }

    /** A row and the stored text it should hold instead. */
    record Replacement(Row row, String keyId, String stored) {
    }

    /**
     * The ids of the keys that sealed rows of {@code kind} now, each once (from the key-id column's index:
     * {@code storage_entry.key_id}, migration V14; {@code extension_secret.key_id}, V13).
     *
     * @throws dev.extstorage.model.StorageException {@code STORE_UNAVAILABLE}
     */
    List<String> keyIds(Kind kind);

    /**
     * Up to {@code limit} rows of {@code kind} sealed with {@code keyId}, after {@code after} in primary-key
     * order ({@code null}: from the first): one range of the key-id index.
     *
     * @throws dev.extstorage.model.StorageException {@code STORE_UNAVAILABLE}
     */
    List<Row> page(Kind kind, String keyId, Row after, int limit);

    /**
     * Writes each replacement in one transaction, each only if its row still holds the stored text and version
     * it was read with; usage figures follow the entries' new sizes. Versions, change order and times are kept:
     * the value did not change.
     *
     * @return how many rows were written (the others changed meanwhile and are left as they are)
     * @throws dev.extstorage.model.StorageException {@code STORE_UNAVAILABLE}
     */
    int replace(List<Replacement> replacements);
}
