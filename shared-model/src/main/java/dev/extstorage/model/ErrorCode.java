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

    /**
     * The code an error answer stands for when it carries none of its own (a proxy's page, an empty body, an
     * error the HTTP layer answered before any route ran): 401 {@code NOT_AUTHENTICATED}, 403 {@code FORBIDDEN},
     * 404 {@code EXTENSION_NOT_FOUND} (the API's only 404), 412 {@code PRECONDITION_FAILED}, 413 and 431
     * {@code QUOTA_EXCEEDED} (a request far above the limits), 414 {@code INVALID_KEY} (a URI too long: under the
     * storage API only a key makes it long), 415 {@code UNSUPPORTED_MEDIA_TYPE}, 429 {@code RATE_LIMITED}; every
     * other 4xx {@code INVALID_BODY} (the request was refused as sent); 408, 5xx and anything else
     * {@code STORE_UNAVAILABLE} (retry later). The one table for the browser module and the server.
     */
    public static ErrorCode forStatus(int status) {
        switch (status) {
            case 401:
                return NOT_AUTHENTICATED;
            case 403:
                return FORBIDDEN;
            case 404:
                return EXTENSION_NOT_FOUND;
            case 412:
                return PRECONDITION_FAILED;
            case 413:
            case 431:
                return QUOTA_EXCEEDED;
            case 414:
                return INVALID_KEY;
            case 415:
                return UNSUPPORTED_MEDIA_TYPE;
            case 429:
                return RATE_LIMITED;
            case 408:
                return STORE_UNAVAILABLE;
            default:
                return status >= 400 && status < 500 ? INVALID_BODY : STORE_UNAVAILABLE;
        }
    }
}
