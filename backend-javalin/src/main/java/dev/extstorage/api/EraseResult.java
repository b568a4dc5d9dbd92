package dev.extstorage.api;

/**
 * What the erasure of one user's data removed: entries per server tier, and the user's server-only secrets.
 *
 * @param secrets the user's secrets removed, all extensions (not entries: counted apart)
 */
public record EraseResult(long persistentEntries, long ephemeralEntries, long secrets) {
    /** Entries of both tiers (secrets not included). */
    public long entries() {
        return persistentEntries + ephemeralEntries;
    }
}
