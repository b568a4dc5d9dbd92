package dev.extstorage.store;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The one rule for the version a write gives an entry, on every engine: 16 lower-case hex digits of a random
 * 64-bit number, drawn by the server for each write. So a version changes on every write, and a key deleted and
 * written again gets a new one (no ABA), across server instances too, but for a chance of 2^-64 per pair of
 * writes. Versions are unique, not secret (they are sent to every reader), hence no cryptographic generator.
 *
 * <p>Entries that existed before versions did get a version by their engine's upgrade instead (SQL migration V9,
 * {@link #LEGACY} on Redis), never of this form, so no write can repeat them.
 */
public final class Versions {
    /**
     * The version of an ephemeral entry written before versions existed (Redis keeps such entries until their
     * TTL ends). Unique per key in time: every write gives a random version, so an entry cannot become legacy
     * again.
     */
    public static final String LEGACY = "0";

    private Versions() {
    }

    /** A new version for a write. */
    public static String next() {
        String hex = Long.toHexString(ThreadLocalRandom.current().nextLong());
        return "0".repeat(16 - hex.length()) + hex;
    }
}
