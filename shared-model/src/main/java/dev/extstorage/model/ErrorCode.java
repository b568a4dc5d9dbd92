package dev.extstorage.model;

/**
 * The error codes of the contract (SPEC section 4), each with the HTTP status the REST API answers with.
 * The browser module rejects its promises with the same codes, so an extension handles one set of errors
 * whichever tier it uses.
 */
public enum ErrorCode {
    INVALID_KEY(400),
    INVALID_BODY(400),
    INVALID_TTL(400),
    INVALID_VALUE(400),
    INVALID_QUERY(400),
    VALUE_TOO_LARGE(400),
    /** A listing page whose entries would pass the listing limit; {@code limit} gives it. */
    PAGE_TOO_LARGE(400),
    NOT_AUTHENTICATED(401),
    FORBIDDEN(403),
    EXTENSION_NOT_FOUND(404),
    /** A path that names no route of the API (outside SPEC's table, which covers the storage routes). */
    NOT_FOUND(404),
    /** A method the route does not offer, e.g. POST on a key. */
    METHOD_NOT_ALLOWED(405),
    /** A condition ({@code If-Match}, {@code If-None-Match}, {@code ifVersion}) does not hold. */
    PRECONDITION_FAILED(412),
    QUOTA_EXCEEDED(413),
    UNSUPPORTED_MEDIA_TYPE(415),
    /** The caller passed its request rate or its share of in-flight work; {@code Retry-After} says when to retry. */
    RATE_LIMITED(429),
    STORE_UNAVAILABLE(503),
    /** The server sheds load to protect itself (memory, connections); {@code Retry-After} says when to retry. */
    SERVER_BUSY(503);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
