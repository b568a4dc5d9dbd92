package dev.extstorage.store;

/**
 * Receives a user's entries from {@link DataLifecycle#exportUser}, one at a time, while the store reads them.
 * What it throws ends the export and reaches the caller unchanged.
 */
@FunctionalInterface
public interface UserEntrySink {
    /**
     * @param extensionId     {@code publisher.name}
     * @param resource        the resource the entry belongs to ({@link dev.extstorage.model.ResourceRef#storageForm()}),
     *                        {@code null} for a plain entry (always on ephemeral engines)
     * @param json            the stored JSON text, exactly as written
     * @param updatedAtMillis when it was last written (ms since the epoch), {@code null} where the engine does not
     *                        know (ephemeral engines)
     * @param expiresAtMillis when it expires (ms since the epoch), {@code null} for persistent entries
     */
    void entry(String extensionId, String resource, String key, String json, Long updatedAtMillis, Long expiresAtMillis);
}
