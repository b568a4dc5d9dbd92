package dev.extstorage.browser;

import dev.extstorage.model.ErrorCode;

/**
 * Turns an HTTP error answer of the storage server into the code and message a promise rejects with. The
 * server's own JSON {@code {"message", "code"}} wins; a body without a code (a proxy's HTML page, an empty
 * body) gets the SPEC section 4 code of its status.
 */
final class HttpErrors {
    private HttpErrors() {
    }

    /** The code for an error answer: {@code bodyCode} if it is a non-empty string, else {@link #codeFor}. */
    static String code(int status, String bodyCode) {
        return bodyCode != null && !bodyCode.isEmpty() ? bodyCode : codeFor(status).name();
    }

    /**
     * The SPEC code an error status stands for. Other 4xx answers become {@link ErrorCode#INVALID_BODY} (the
     * request was refused as sent); 408, 429, 5xx and anything unexpected become
     * {@link ErrorCode#STORE_UNAVAILABLE} (retry later).
     */
    static ErrorCode codeFor(int status) {
        switch (status) {
            case 401:
                return ErrorCode.NOT_AUTHENTICATED;
            case 403:
                return ErrorCode.FORBIDDEN;
            case 404:
                return ErrorCode.EXTENSION_NOT_FOUND;
            case 413:
                return ErrorCode.QUOTA_EXCEEDED;
            case 415:
                return ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case 408:
            case 429:
                return ErrorCode.STORE_UNAVAILABLE;
            default:
                return status >= 400 && status < 500 ? ErrorCode.INVALID_BODY : ErrorCode.STORE_UNAVAILABLE;
        }
    }

    /** {@code bodyMessage} if it is a non-empty string, else a message naming the status. */
    static String message(int status, String bodyMessage) {
        return bodyMessage != null && !bodyMessage.isEmpty() ? bodyMessage
                : "The storage server answered HTTP " + status;
    }
}
