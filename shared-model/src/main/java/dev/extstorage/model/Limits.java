package dev.extstorage.model;

/**
 * The configurable limits of one deployment, with the contract's defaults. Fixed limits (key length, nesting
 * depth, page size) are constants of the classes that enforce them.
 */
public final class Limits {
    public static final long DEFAULT_MAX_TTL_SECONDS = 604_800;
    public static final long DEFAULT_MAX_VALUE_BYTES = 1_048_576;
    public static final long DEFAULT_QUOTA_BYTES = 100L * 1024 * 1024;
    /** Room a request body has around its value (the {@code value} and {@code ttl} members, white space). */
    public static final long BODY_OVERHEAD_BYTES = 64 * 1024;
    /**
     * How much larger than the value limit a body may be before it is refused unread: JSON may spell a
     * character as a six-byte escape where the stored encoding takes one or two bytes.
     */
    public static final long BODY_ESCAPE_FACTOR = 6;
    /**
     * What every entry costs a quota besides its key and value bytes, on every tier and engine: about what a
     * row with its two index entries takes in SQLite (3,000 one-byte entries grew a database file by 1.65 MB),
     * and more than a Redis key or an in-process cache node takes. It bounds the number of entries a quota
     * admits: a 10 MiB share holds at most 20,480 entries.
     */
    public static final long ENTRY_OVERHEAD_BYTES = 512;

    private final long maxTtlSeconds;
    private final long maxValueBytes;
    private final long quotaBytes;

    public Limits(long maxTtlSeconds, long maxValueBytes, long quotaBytes) {
        if (maxTtlSeconds < 1 || maxValueBytes < 1 || quotaBytes < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        this.maxTtlSeconds = maxTtlSeconds;
        this.maxValueBytes = maxValueBytes;
        this.quotaBytes = quotaBytes;
    }

    public static Limits defaults() {
        return new Limits(DEFAULT_MAX_TTL_SECONDS, DEFAULT_MAX_VALUE_BYTES, DEFAULT_QUOTA_BYTES);
    }

    /** Longest TTL an ephemeral entry may have, in seconds. */
    public long maxTtlSeconds() {
        return maxTtlSeconds;
    }

    /** Largest value, in bytes of its compact UTF-8 JSON encoding. */
    public long maxValueBytes() {
        return maxValueBytes;
    }

    /** Bytes (keys plus encoded values) one extension may hold in the persistent tier, all users together. */
    public long quotaBytes() {
        return quotaBytes;
    }

    /**
     * Largest request body the server reads; a larger one is refused with {@link ErrorCode#QUOTA_EXCEEDED}.
     * {@code maxValueBytes * }{@value #BODY_ESCAPE_FACTOR}{@code  + }{@value #BODY_OVERHEAD_BYTES}, saturated at
     * {@link Long#MAX_VALUE}.
     */
    public long maxBodyBytes() {
        if (maxValueBytes > (Long.MAX_VALUE - BODY_OVERHEAD_BYTES) / BODY_ESCAPE_FACTOR) {
            return Long.MAX_VALUE;
        }
        return maxValueBytes * BODY_ESCAPE_FACTOR + BODY_OVERHEAD_BYTES;
    }

    /** What one entry costs a quota: its key's and value's UTF-8 bytes plus {@link #ENTRY_OVERHEAD_BYTES}. */
    public static long entryCost(long keyBytes, long valueBytes) {
        return keyBytes + valueBytes + ENTRY_OVERHEAD_BYTES;
    }

    /**
     * Returns {@code ttlSeconds} if it is within 1..{@link #maxTtlSeconds()}.
     *
     * @throws StorageException {@link ErrorCode#INVALID_TTL}
     */
    public long requireValidTtl(long ttlSeconds) {
        if (ttlSeconds < 1) {
            throw new StorageException(ErrorCode.INVALID_TTL, "TTL must be at least 1 second", 1, ttlSeconds);
        }
        if (ttlSeconds > maxTtlSeconds) {
            throw new StorageException(ErrorCode.INVALID_TTL,
                    "TTL must be at most " + NumberText.decimal(maxTtlSeconds) + " seconds", maxTtlSeconds, ttlSeconds);
        }
        return ttlSeconds;
    }
}
