package dev.extstorage.api;

import dev.extstorage.model.ResourceRef;

import dev.extstorage.model.Tier;

/** Receives a user's entries from {@link StorageAdmin#exportUser}, one at a time, as the stores read them. */
@FunctionalInterface
public interface ExportSink {
    /**
     * @param resource        the resource of a persistent entry attached to one, {@code null} for a plain entry
     * @param json            the stored JSON text, exactly as written
     * @param updatedAtMillis last write (ms since the epoch), {@code null} where the tier does not keep it (ephemeral)
     * @param expiresAtMillis expiry (ms since the epoch), {@code null} on the persistent tier
     */
    void entry(String extension, Tier tier, ResourceRef resource, String key, String json, Long updatedAtMillis, Long expiresAtMillis);
}
