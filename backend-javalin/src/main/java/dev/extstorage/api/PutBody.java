package dev.extstorage.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.JsonNumbers;
import dev.extstorage.model.JsonValues;
import dev.extstorage.model.StorageException;
import dev.extstorage.model.StoredValues;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;

/**
 * A PUT body ({@code {"value": <json>, "ttl": <seconds>}}, and for a binary value
 * {@code {"value": "<base64>", "isBinary": true}} or {@code "codec": "binary"}, SPEC section 10; optionally
 * {@code "encrypt": true}) read as a stream, never as a document tree: the
 * value is copied token by token into its compact text, which is all the memory a body costs, and copying
 * stops at the value limit while the rest of the body is only scanned. Numbers are copied as the text they
 * arrived as, never converted, so {@code 1e999999999} costs what {@code 1} costs. Jackson's
 * {@link StreamReadConstraints} bound nesting, number and string lengths by our limits, so no token makes
 * the parser itself hold more than the value limit.
 */
public final class PutBody {
    /** The body's own object is one level on top of the value's. */
    private static final int MAX_BODY_DEPTH = JsonValues.MAX_DEPTH + 1;

    private final String valueJson;
    private final StorageException valueProblem;
    private final boolean ttlPresent;
    private final boolean ttlNumber;
    private final long ttlSeconds;
    private final boolean binary;
    private final boolean encrypt;

    private PutBody(String valueJson, StorageException valueProblem, PutBodyMembers members) {
        this.valueJson = valueJson;
        this.valueProblem = valueProblem;
        this.ttlPresent = members.ttlPresent;
        this.ttlNumber = members.ttlNumber;
        this.ttlSeconds = members.ttlSeconds;
        this.binary = members.binary();
        this.encrypt = members.encrypt;
    }

    /**
     * The value's stored text: its compact JSON text, checked by the value rule ({@link JsonValues}); for a
     * binary value the {@link StoredValues#binary} text of its checked base64.
     *
     * @throws StorageException {@code VALUE_TOO_LARGE} or {@code INVALID_VALUE}: reported only when asked, so
     *                          that the TTL's errors come first, as for every PUT
     */
    public JsonText value() {
        if (valueProblem != null) {
            throw valueProblem;
        }
        return new JsonText(valueJson);
    }

    /** What the body's value holds in memory: its text's characters, or none for a value refused as too large. */
    long heldBytes() {
        return valueJson == null ? maxBytesIfRefused() : Batch.size(valueJson);
    }

    private long maxBytesIfRefused() {
        // a refused value's text was dropped; what it would have taken is its problem's figure, when known
        return valueProblem != null && valueProblem.actual() > 0 ? valueProblem.actual() : 0;
    }

    /** Whether the value is binary ({@code "isBinary": true} or {@code "codec": "binary"}). */
    public boolean binary() {
        return binary;
    }

    /** Whether the body asks for encryption at rest ({@code "encrypt": true}). */
    public boolean encrypt() {
        return encrypt;
    }

    /** Whether the body holds a {@code ttl} member that is not {@code null}. */
    public boolean ttlPresent() {
        return ttlPresent;
    }

    /** Whether that member is a JSON number. */
    public boolean ttlNumber() {
        return ttlNumber;
    }

    /** The TTL number's value as {@link JsonNumbers#wholeValue} reads it (saturating, or NOT_WHOLE). */
    public long ttlSeconds() {
        return ttlSeconds;
    }

    /**
     * Reads one PUT body.
     *
     * @param in            the body, bounded in bytes by the caller: an {@link IOException} it throws whose
     *                      cause is a {@link StorageException} is answered with that exception
     * @param maxValueBytes the value limit
     * @throws StorageException {@code INVALID_BODY} (not JSON, not an object, no {@code value}, a duplicate
     *                          member, trailing content), {@code INVALID_VALUE} (nested too deep)
     */
    public static PutBody read(InputStream in, long maxValueBytes) {
        JsonFactory factory = JsonTokens.factory(maxText(maxValueBytes), MAX_BODY_DEPTH);
        try (JsonParser p = factory.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw invalidBody();
            }
            PutBody body = readObject(p, factory, in, maxValueBytes, null);
            if (p.nextToken() != null) {
                throw invalidBody();
            }
            return body;
        } catch (IOException e) {
            throw readFailure(e, in, maxValueBytes);
        }
    }

    /** Reads a member {@link PutBody} does not know, the parser on its first token; false to skip it. */
    interface MemberReader {
        boolean read(String member, JsonToken first, JsonParser p) throws IOException;
    }

    /** Text a value may take while it is read: which kind it is may be said after it, so what either may take. */
    static long maxText(long maxValueBytes) {
        return Math.max(maxValueBytes, base64Length(maxValueBytes) + 2);
    }

    /**
     * Reads the members of the object whose {@code START_OBJECT} the parser stands on, up to its
     * {@code END_OBJECT}: {@code value} and the members of {@link PutBodyMembers}; any other goes to
     * {@code others} ({@code null}: all skipped).
     *
     * @throws StorageException {@code INVALID_BODY} (no {@code value}, members that disagree)
     */
    static PutBody readObject(JsonParser p, JsonFactory factory, InputStream in, long maxValueBytes,
                              MemberReader others) throws IOException {
        BoundedText text = new BoundedText(maxText(maxValueBytes));
        boolean sawValue = false;
        PutBodyMembers members = new PutBodyMembers();
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String member = p.currentName();
            JsonToken first = p.nextToken();
            if ("value".equals(member)) {
                sawValue = true;
                members.valueIsString = first == JsonToken.VALUE_STRING;
                try (JsonGenerator g = factory.createGenerator(text)) {
                    JsonTokens.copy(p, g);
                } catch (BoundedText.FarTooLarge e) {
                    throw drainedRefusal(in, tooLarge(maxValueBytes, -1));
                }
            } else if (!members.read(member, first, p) && (others == null || !others.read(member, first, p))) {
                p.skipChildren();
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT || !sawValue) {
            throw invalidBody();
        }
        members.requireConsistent();
        if (text.overflowed()) {
            // a binary value's size is what its base64 decodes to (at least): the quotes off, 3 bytes per 4
            long actual = members.binary() ? (text.bytes() - 2) / 4 * 3 : text.bytes();
            return new PutBody(null, tooLarge(maxValueBytes, actual), members);
        }
        String json = text.toString();
        StorageException problem = null;
        try {
            if (members.binary()) {
                json = binaryText(json, members, maxValueBytes);
            } else {
                JsonValues.requireValid(json, maxValueBytes);
            }
        } catch (StorageException e) {
            problem = e;
        }
        return new PutBody(problem == null ? json : null, problem, members);
    }

    /** The answer to a failure while reading a body from {@code in}. */
    static StorageException readFailure(IOException e, InputStream in, long maxValueBytes) {
        if (e instanceof StreamConstraintsException c) {
            return constraintBroken(c, in, maxValueBytes);
        }
        if (e.getCause() instanceof StorageException refused) {
            // the caller's stream refused to give more (a body above the size cap)
            return refused;
        }
        // Jackson refuses a lone surrogate in a member name: that breaks the value rule, not the syntax
        if (e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("surrogate")) {
            return new StorageException(ErrorCode.INVALID_VALUE, "Value must not hold a lone UTF-16 surrogate");
        }
        return new StorageException(ErrorCode.INVALID_BODY, "Body is not valid JSON");
    }

    /** The stored text of a binary value from the compact JSON text of the body's value. */
    private static String binaryText(String json, PutBodyMembers members, long maxValueBytes) {
        if (!members.valueIsString) {
            throw new StorageException(ErrorCode.INVALID_BODY, "A binary value must be a base64 string");
        }
        // compact JSON text of a string whose characters are all base64 (anything else is refused below)
        String base64 = json.substring(1, json.length() - 1);
        return StoredValues.binary(StoredValues.requireBinary(base64, maxValueBytes));
    }

    /** Characters of the base64 text of {@code bytes} bytes. */
    private static long base64Length(long bytes) {
        return bytes > Long.MAX_VALUE / 2 ? Long.MAX_VALUE / 2 : (bytes + 2) / 3 * 4;
    }


    /**
     * The refusal of a body whose value is far too large, after reading (not parsing: reading costs a fraction
     * of it) the rest of the body, so the client is answered rather than cut off while it still sends: a body
     * above the size cap is refused as such ({@code 413}), else {@code refusal}.
     */
    static StorageException drainedRefusal(InputStream in, StorageException refusal) {
        try {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException refused) {
            if (refused.getCause() instanceof StorageException cap) {
                return cap;
            }
        }
        return refusal;
    }

    private static StorageException constraintBroken(StreamConstraintsException e, InputStream in,
                                                     long maxValueBytes) {
        String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        if (message.contains("depth")) {
            return new StorageException(ErrorCode.INVALID_VALUE,
                    "Value must not be nested deeper than " + JsonValues.MAX_DEPTH + " levels", JsonValues.MAX_DEPTH,
                    -1);
        }
        // A string, name or number longer than the value limit cannot be part of a value within it.
        return drainedRefusal(in, tooLarge(maxValueBytes, -1));
    }

    static StorageException tooLarge(long maxValueBytes, long actual) {
        return new StorageException(ErrorCode.VALUE_TOO_LARGE, "Value is "
                + (actual > maxValueBytes ? actual + " bytes encoded, above" : "larger than") + " the limit of "
                + maxValueBytes + " bytes", maxValueBytes, actual);
    }

    static StorageException invalidBody() {
        return new StorageException(ErrorCode.INVALID_BODY, "Body must be a JSON object holding 'value'");
    }

}
