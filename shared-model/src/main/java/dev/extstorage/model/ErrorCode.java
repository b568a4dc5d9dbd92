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
    NOT_AUTHENTICATED(401),
    FORBIDDEN(403),
    EXTENSION_NOT_FOUND(404),
    /** A path that names no route of the API (outside SPEC's table, which covers the storage routes). */
    NOT_FOUND(404),
    /** A method the route does not offer, e.g. POST on a key. */
    METHOD_NOT_ALLOWED(405),
    QUOTA_EXCEEDED(413),
    UNSUPPORTED_MEDIA_TYPE(415),
    STORE_UNAVAILABLE(503);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
