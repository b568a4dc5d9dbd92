package dev.extstorage.http;

import dev.extstorage.model.ErrorCode;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Errors Jetty answers itself, before any route runs (a URI it cannot decode, such as {@code %00} or
 * {@code %zz}, a header too large): JSON like every other error, never Jetty's HTML page. A bad URI under a
 * storage path can only be a bad key.
 */
public final class JsonErrorHandler extends ErrorHandler {
    @Override
    protected void generateResponse(Request request, Response response, int status, String message, Throwable cause,
                                    Callback callback) {
        ErrorCode code = codeFor(status);
        // The contract pairs every code with one status: a status Jetty chose outside it (431, 426, 408, 500...)
        // is answered with its code's status.
        response.setStatus(code.httpStatus());
        if (code == ErrorCode.SERVER_BUSY) {
            // a failure inside Jetty (a handler that threw past Javalin): load to shed, never a 500
            response.getHeaders().put("Retry-After", "1");
        }
        String body = JsonResponses.errorBody(code, messageFor(status, code), -1, -1);
        response.getHeaders().put("Content-Type", JsonResponses.JSON);
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }

    /** Every method gets a JSON error body, not only GET and POST as Jetty's default has it (HEAD's is dropped). */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    /**
     * The code of an error Jetty answers itself: {@link ErrorCode#forStatus}, but for two things only the server
     * knows: a 400 from Jetty is a request line or URI it cannot decode, which under the storage API only a key
     * can cause ({@code INVALID_KEY}), and its own failures (408 waiting for a client, 5xx) are load to shed, not
     * an unreachable store ({@code SERVER_BUSY} for 5xx, {@code INVALID_BODY} for 408).
     */
    static ErrorCode codeFor(int status) {
        if (status == 400) {
            return ErrorCode.INVALID_KEY;
        }
        if (status == 408) {
            return ErrorCode.INVALID_BODY;
        }
        return status >= 500 ? ErrorCode.SERVER_BUSY : ErrorCode.forStatus(status);
    }

    private static String messageFor(int status, ErrorCode code) {
        return switch (code) {
            case INVALID_KEY -> "Bad request URI: it cannot be decoded (storage keys must be percent-encoded UTF-8"
                    + " without control characters)";
            case QUOTA_EXCEEDED -> "Request too large";
            case INVALID_BODY -> "Bad request";
            default -> "HTTP " + status;
        };
    }
}
