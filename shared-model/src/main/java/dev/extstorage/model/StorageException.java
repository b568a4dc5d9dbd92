package dev.extstorage.model;

/**
 * A request that breaks a rule of the contract. Carries the {@link ErrorCode} a program reacts to, a message
 * for a person, and, for limits, the limit and the actual figure ({@code -1} when not applicable).
 */
public class StorageException extends RuntimeException {
    private final ErrorCode code;
    private final long limit;
    private final long actual;
    private final long retryAfterSeconds;

    public StorageException(ErrorCode code, String message) {
        this(code, message, -1, -1);
    }

    public StorageException(ErrorCode code, String message, long limit, long actual) {
        this(code, message, limit, actual, -1);
    }

    private StorageException(ErrorCode code, String message, long limit, long actual, long retryAfterSeconds) {
        super(message, null, false, false);
        this.code = code;
        this.limit = limit;
        this.actual = actual;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** A refusal to be retried later ({@code RATE_LIMITED}, {@code SERVER_BUSY}): after at least one second. */
    public static StorageException retryLater(ErrorCode code, String message, long retryAfterSeconds) {
        return new StorageException(code, message, -1, -1, Math.max(1, retryAfterSeconds));
    }

    public StorageException(ErrorCode code, String message, Throwable cause) {
        super(message, cause, false, false);
        this.code = code;
        this.limit = -1;
        this.actual = -1;
        this.retryAfterSeconds = -1;
    }

    public ErrorCode code() {
        return code;
    }

    /** The limit that was exceeded, or {@code -1}. */
    public long limit() {
        return limit;
    }

    /** The figure that exceeded {@link #limit()}, or {@code -1}. */
    public long actual() {
        return actual;
    }

    /** Whole seconds after which a retry may succeed (the {@code Retry-After} header), or {@code -1}. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
