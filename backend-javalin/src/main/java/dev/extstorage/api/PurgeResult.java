package dev.extstorage.api;

/**
 * What a purge of one extension removed, per server tier and its server-only secrets apart, or with
 * {@code dryRun} what it would remove now.
 *
 * @param extension {@code publisher.name}
 * @param secrets   server-only secrets removed (not entries: counted apart)
 */
public record PurgeResult(String extension, long persistentEntries, long ephemeralEntries, long secrets,
                          boolean dryRun) {
    /** Entries of both tiers (secrets not included). */
    public long entries() {
        return persistentEntries + ephemeralEntries;
    }
}
