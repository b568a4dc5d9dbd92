package dev.extstorage.api;

/** What the erasure of one user's entries removed, per server tier. */
public record EraseResult(long persistentEntries, long ephemeralEntries) {
    public long entries() {
        return persistentEntries + ephemeralEntries;
    }
}
