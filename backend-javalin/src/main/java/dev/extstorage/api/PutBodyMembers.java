package dev.extstorage.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.JsonNumbers;
import dev.extstorage.model.StorageException;

import java.io.IOException;

/**
 * The members of a PUT body beside {@code value} ({@code ttl}, {@code isBinary}, {@code codec}, {@code encrypt}),
 * as {@link PutBody} meets them in the stream; a member of the wrong type is {@code INVALID_BODY} at once.
 */
final class PutBodyMembers {
    private static final String JSON_CODEC = "json";
    private static final String BINARY_CODEC = "binary";

    boolean ttlPresent;
    boolean ttlNumber;
    long ttlSeconds;
    Boolean isBinary;
    String codec;
    boolean encrypt;
    boolean valueIsString;

    /** Reads {@code member} if it is one of ours (the parser on its first token); false for any other. */
    boolean read(String member, JsonToken first, JsonParser p) throws IOException {
        switch (member) {
            case "ttl" -> {
                if (first != JsonToken.VALUE_NULL) {
                    ttlPresent = true;
                    ttlNumber = first.isNumeric();
                    ttlSeconds = ttlNumber ? JsonNumbers.wholeValue(p.getText()) : 0;
                }
            }
            case "isBinary" -> isBinary = flag(member, first);
            case "encrypt" -> encrypt = flag(member, first);
            case "codec" -> {
                if (first != JsonToken.VALUE_STRING || !(p.getText().equals(JSON_CODEC)
                        || p.getText().equals(BINARY_CODEC))) {
                    throw new StorageException(ErrorCode.INVALID_BODY,
                            "'codec' must be \"" + JSON_CODEC + "\" or \"" + BINARY_CODEC + "\"");
                }
                codec = p.getText();
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private static boolean flag(String member, JsonToken first) {
        if (first != JsonToken.VALUE_TRUE && first != JsonToken.VALUE_FALSE) {
            throw new StorageException(ErrorCode.INVALID_BODY, "'" + member + "' must be true or false");
        }
        return first == JsonToken.VALUE_TRUE;
    }

    boolean binary() {
        return Boolean.TRUE.equals(isBinary) || BINARY_CODEC.equals(codec);
    }

    void requireConsistent() {
        if (isBinary != null && codec != null && isBinary != BINARY_CODEC.equals(codec)) {
            throw new StorageException(ErrorCode.INVALID_BODY,
                    "'isBinary' and 'codec' disagree on whether the value is binary");
        }
    }
}
