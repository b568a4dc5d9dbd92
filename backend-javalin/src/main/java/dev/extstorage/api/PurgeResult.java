package dev.extstorage.api;

/**
 * What a purge of one extension removed, per server tier, or with {@code dryRun} what it would remove now.
 *
 * @param extension {@code publisher.name}
 */
public record PurgeResult(String extension, long persistentEntries, long ephemeralEntries, boolean dryRun) {
    public long entries() {
        return persistentEntries + ephemeralEntries;
    }
}
