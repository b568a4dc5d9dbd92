package dev.extstorage.model;

/**
 * A request that breaks a rule of the contract. Carries the {@link ErrorCode} a program reacts to, a message
 * for a person, for limits the limit and the actual figure ({@code -1} when not applicable), and for
 * {@link ErrorCode#PRECONDITION_FAILED} the entry's current version ({@code null} when absent).
 */
public class StorageException extends RuntimeException {
    private final ErrorCode code;
    private final long limit;
    private final long actual;
    private final long retryAfterSeconds;
    private final String version;

    public StorageException(ErrorCode code, String message) {
        this(code, message, -1, -1);
    }

    public StorageException(ErrorCode code, String message, long limit, long actual) {
        this(code, message, limit, actual, -1);
    }

    private StorageException(ErrorCode code, String message, long limit, long actual, long retryAfterSeconds) {
        this(code, message, limit, actual, retryAfterSeconds, null);
    }

    private StorageException(ErrorCode code, String message, long limit, long actual, long retryAfterSeconds,
                             String version) {
        super(message, null, false, false);
        this.code = code;
        this.limit = limit;
        this.actual = actual;
        this.retryAfterSeconds = retryAfterSeconds;
        this.version = version;
    }

    /**
     * {@code PRECONDITION_FAILED}: a conditional write found the entry at {@code currentVersion} ({@code null}:
     * absent) and changed nothing.
     */
    public static StorageException preconditionFailed(String message, String currentVersion) {
        return new StorageException(ErrorCode.PRECONDITION_FAILED, message, -1, -1, -1, currentVersion);
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
        this.version = null;
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

    /**
     * For {@code PRECONDITION_FAILED}: the entry's current version, {@code null} when it is absent (the
     * {@code version} of the error body); {@code null} for every other code.
     */
    public String version() {
        return version;
    }

    /** Whole seconds after which a retry may succeed (the {@code Retry-After} header), or {@code -1}. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
