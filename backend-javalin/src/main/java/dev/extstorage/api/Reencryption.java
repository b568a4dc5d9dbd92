package dev.extstorage.api;

import dev.extstorage.crypto.KeyRing;
import dev.extstorage.crypto.Owner;
import dev.extstorage.crypto.ValueCipher;
import dev.extstorage.model.StorageException;
import dev.extstorage.model.StoredValues;
import dev.extstorage.store.PersistentStore;
import dev.extstorage.store.SealedRows;
import dev.extstorage.store.SealedRows.Kind;
import dev.extstorage.store.SealedRows.Replacement;
import dev.extstorage.store.SealedRows.Row;

import java.util.ArrayList;
import java.util.List;

/**
 * Re-encryption of every encrypted persistent row (storage values and server-only secrets) whose key is not the
 * key ring's current one ({@code java -jar <server jar> reencrypt}), so an operator can drop an old key after a
 * rotation. For each old key id in use, its rows are walked in bounded batches, keyset-paged on the key-id index
 * ({@link SealedRows}); each batch is opened with its
 * old key and sealed with the current one outside any transaction, then written back in one transaction, each
 * row only if it still holds what was read: a write that raced the run stands (counted as skipped) and, being
 * sealed with the current key or not sealed at all, needs no re-encryption. Values, versions, change order and
 * events are untouched: nothing changed for readers. Quotas count stored bytes, so the usage figures follow the
 * new sizes (they differ only when key ids differ in length); a re-encrypted row is never refused by a quota.
 * A row that does not open (moved from another owner, altered, or its key gone from the ring) is counted and
 * left as it is.
 */
public final class Reencryption {
    /** Rows per batch (one read, one write transaction) unless the caller says otherwise. */
    public static final int DEFAULT_BATCH = 500;

    private final SealedRows rows;
    private final ValueCipher cipher;

    public Reencryption(PersistentStore store, KeyRing ring) {
        this.rows = store.sealedRows();
        this.cipher = new ValueCipher(ring);
    }

    /** What a run found and did for one kind of row. */
    public record Counts(long checked, long reencrypted, long skipped, long unreadable) {
        Counts plus(long c, long r, long s, long u) {
            return new Counts(checked + c, reencrypted + r, skipped + s, unreadable + u);
        }
    }

    /**
     * @param keyId   the current key id, which every re-encrypted row now carries
     * @param entries storage entries with encrypted values: checked (sealed with another key), re-encrypted
     *                (with {@code dryRun}: those that would be), skipped (changed meanwhile), unreadable
     * @param secrets the same for server-only secrets
     */
    public record Result(String keyId, Counts entries, Counts secrets, boolean dryRun) {
        public long unreadable() {
            return entries.unreadable() + secrets.unreadable();
        }
    }

    /** Called with each batch once it is read and sealed anew, before it is written back (tests use it). */
    @FunctionalInterface
    public interface BatchListener {
        void read(Kind kind, List<Row> batch);
    }

    public Result run(boolean dryRun, int batchSize) {
        return run(dryRun, batchSize, (kind, batch) -> { });
    }

    /**
     * @param dryRun    only count: read and open every row that would be re-encrypted, write nothing
     * @param batchSize rows per batch, at least 1
     * @throws StorageException STORE_UNAVAILABLE if the database fails (batches written so far stay written)
     */
    public Result run(boolean dryRun, int batchSize, BatchListener listener) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1");
        }
        return new Result(cipher.currentKeyId(), walk(Kind.ENTRY, dryRun, batchSize, listener),
                walk(Kind.SECRET, dryRun, batchSize, listener), dryRun);
    }

    private Counts walk(Kind kind, boolean dryRun, int batchSize, BatchListener listener) {
        Counts counts = new Counts(0, 0, 0, 0);
        for (String keyId : rows.keyIds(kind)) {
            if (!keyId.equals(cipher.currentKeyId())) {
                counts = walk(kind, keyId, dryRun, batchSize, listener, counts);
            }
        }
        return counts;
    }

    /** The rows of {@code kind} sealed with {@code keyId}, batch by batch. */
    private Counts walk(Kind kind, String keyId, boolean dryRun, int batchSize, BatchListener listener,
                        Counts counts) {
        Row after = null;
        while (true) {
            List<Row> batch = rows.page(kind, keyId, after, batchSize);
            if (batch.isEmpty()) {
                return counts;
            }
            after = batch.get(batch.size() - 1);
            List<Replacement> replacements = new ArrayList<>(batch.size());
            for (Row row : batch) {
                Replacement r = resealed(row);
                if (r != null) {
                    replacements.add(r);
                }
            }
            listener.read(kind, batch);
            long unreadable = batch.size() - replacements.size();
            if (dryRun) {
                counts = counts.plus(batch.size(), replacements.size(), 0, unreadable);
            } else {
                int written = rows.replace(replacements);
                counts = counts.plus(batch.size(), written, replacements.size() - written, unreadable);
            }
            if (batch.size() < batchSize) {
                return counts;
            }
        }
    }

    /** The row sealed with the current key, or {@code null} if it does not open. */
    private Replacement resealed(Row row) {
        boolean entry = row.kind() == Kind.ENTRY;
        if (entry && !StoredValues.isEncrypted(row.stored())) {
            return null;
        }
        String envelope = entry ? StoredValues.envelopeOf(row.stored()) : row.stored();
        Owner owner = entry
                ? AtRest.owner(row.extension(), row.scope(), row.owner(), row.resource(), row.key())
                : AtRest.secretOwner(row.extension(), row.scope(), row.owner(), row.key());
        try {
            String sealed = cipher.reseal(envelope, owner);
            return new Replacement(row, cipher.currentKeyId(), entry ? StoredValues.encrypted(sealed) : sealed);
        } catch (StorageException e) {
            return null;
        }
    }
}
