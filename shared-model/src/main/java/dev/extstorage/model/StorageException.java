package dev.extstorage.model;

/**
 * A request that breaks a rule of the contract. Carries the {@link ErrorCode} a program reacts to, a message
 * for a person, and, for limits, the limit and the actual figure ({@code -1} when not applicable).
 */
public class StorageException extends RuntimeException {
    private final ErrorCode code;
    private final long limit;
    private final long actual;

    public StorageException(ErrorCode code, String message) {
        this(code, message, -1, -1);
    }

    public StorageException(ErrorCode code, String message, long limit, long actual) {
        super(message, null, false, false);
        this.code = code;
        this.limit = limit;
        this.actual = actual;
    }

    public StorageException(ErrorCode code, String message, Throwable cause) {
        super(message, cause, false, false);
        this.code = code;
        this.limit = -1;
        this.actual = -1;
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
}
