package dev.extstorage.browser;

/** Host options that cannot make a context; surfaces in JavaScript as an {@code Error} with code {@value #CODE}. */
final class InvalidOptionsException extends RuntimeException {
    static final String CODE = "INVALID_OPTIONS";

    InvalidOptionsException(String message) {
        super(message, null, false, false);
    }
}
