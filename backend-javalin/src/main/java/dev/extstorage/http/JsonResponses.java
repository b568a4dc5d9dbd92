package dev.extstorage.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.StorageException;
import dev.extstorage.model.StoredValues;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/** Writes JSON bodies, errors included, in the SPEC's shapes: {@code result}, {@code message}, {@code code}. */
public final class JsonResponses {
    public static final String JSON = "application/json; charset=utf-8";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonResponses() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static void send(Context ctx, int status, ObjectNode body) {
        sendRaw(ctx, status, body.toString());
    }

    /** Sends already-encoded JSON text. */
    public static void sendRaw(Context ctx, int status, String json) {
        ctx.status(status).contentType(JSON).result(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends a handler's final answer, already-encoded JSON, status 200, straight into the servlet response's own
     * buffer. Javalin's way ({@code ctx.result}) copies the body to the response through a fresh copy buffer of
     * the response buffer's size (32 KiB, allocated and zeroed per response) and a compression wrapper that
     * decides per response whether to compress (never: compression is off). The bytes on the wire are the same:
     * the response stays uncommitted until the request ends, so headers and status may still change and Jetty
     * still sets {@code Content-Length}. And the answer is {@code 304 Not Modified} without a body when the request's
     * {@code If-None-Match} is exactly the {@code ETag} the handler set, as Javalin answers a result then.
     *
     * <p>Only for an answer no other body can follow: an error thrown after it would add its own body to these
     * bytes, where a result set by {@code ctx.result} is replaced. A body larger than the response buffer commits the
     * response while it is written, as Javalin's copy does (it goes out chunked then, headers as set so far).
     */
    static void sendLast(Context ctx, byte[] json) {
        ctx.status(200).contentType(JSON);
        if (EntityTags.notModified(ctx)) {
            ctx.status(304);
            return;
        }
        try {
            ctx.res().getOutputStream().write(json);
        } catch (IOException e) {
            // the client went away: nothing left to tell it
            throw new UncheckedIOException(e);
        }
    }

    public static void message(Context ctx, String message) {
        send(ctx, 200, object().put("message", message));
    }

    /** Values above this many characters are written as a stream, not copied into one more string first. */
    private static final int STREAMED_RESULT_CHARS = 64 * 1024;

    /** {@code {"result": <json>}} around stored JSON text, without parsing it again. */
    private static final String BINARY_END = ",\"isBinary\":true}";

    /**
     * How a stored value appears in an answer: its JSON text, or for a binary value its base64 as a JSON string
     * (the answer then also says {@code "isBinary": true}, SPEC section 10).
     */
    public static String answerValue(String stored) {
        return StoredValues.wireValue(stored);
    }

    public static void result(Context ctx, String storedJson) {
        String value = storedJson == null ? "null" : answerValue(storedJson);
        String end = StoredValues.isBinary(storedJson) ? BINARY_END : "}";
        if (value.length() <= STREAMED_RESULT_CHARS) {
            sendLast(ctx, ("{\"result\":" + value + end).getBytes(StandardCharsets.UTF_8));
            return;
        }
        ctx.status(200).contentType(JSON);
        try (Writer out = new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8)) {
            out.write("{\"result\":");
            out.write(value);
            out.write(end);
        } catch (IOException e) {
            // the client went away while the answer was being written: nothing left to tell it
            throw new UncheckedIOException(e);
        }
    }

    public static void error(Context ctx, StorageException e) {
        if (e.retryAfterSeconds() >= 0) {
            ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
        }
        if (e.code() == ErrorCode.PRECONDITION_FAILED) {
            // the current version, null when absent (SPEC section 4)
            ObjectNode body = errorObject(e.code().name(), e.getMessage(), e.limit(), e.actual());
            sendRaw(ctx, e.code().httpStatus(), body.put("version", e.version()).toString());
            return;
        }
        sendRaw(ctx, e.code().httpStatus(), errorBody(e.code(), e.getMessage(), e.limit(), e.actual()));
    }

    public static void error(Context ctx, ErrorCode code, String message) {
        sendRaw(ctx, code.httpStatus(), errorBody(code, message, -1, -1));
    }

    /** The error body; {@code limit}/{@code actual} appear when not negative. */
    public static String errorBody(ErrorCode code, String message, long limit, long actual) {
        return errorBody(code.name(), message, limit, actual);
    }

    private static String errorBody(String code, String message, long limit, long actual) {
        return errorObject(code, message, limit, actual).toString();
    }

    private static ObjectNode errorObject(String code, String message, long limit, long actual) {
        ObjectNode body = object().put("message", message).put("code", code);
        if (limit >= 0) {
            body.put("limit", limit);
        }
        if (actual >= 0) {
            body.put("actual", actual);
        }
        return body;
    }

    /** A JSON string literal of {@code s}. */
    public static String quote(String s) {
        try {
            return MAPPER.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
