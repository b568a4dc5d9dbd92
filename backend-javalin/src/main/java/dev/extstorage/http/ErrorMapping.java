package dev.extstorage.http;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.StorageException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;

/**
 * Turns every failure into the SPEC's JSON error: rule violations into their code, Javalin's own 404/405 into
 * {@code EXTENSION_NOT_FOUND} (the API's one 404 code) and a method the path does not offer into
 * {@code 400 INVALID_BODY} (the contract pairs each code with one status, and has no 405). Anything unforeseen is logged with its stack trace and answered
 * without one, as {@code 503 SERVER_BUSY}.
 */
final class ErrorMapping {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapping.class);

    private ErrorMapping() {
    }

    static void register(RoutesConfig routes) {
        routes.exception(StorageException.class, (e, ctx) -> {
            // a refusal that sheds load (it says when to retry) does not read on: reading is the work refused
            if (e.retryAfterSeconds() < 0) {
                RequestBodies.discardRest(ctx);
            }
            JsonResponses.error(ctx, e);
        });
        routes.exception(HttpResponseException.class, (e, ctx) -> {
            RequestBodies.discardRest(ctx);
            JsonResponses.error(ctx, codeOf(e.getStatus()),
                    e.getMessage() == null || e.getMessage().isBlank() ? "HTTP " + e.getStatus() : e.getMessage());
        });
        // The connection failed while the answer was being written (the client went away, or was too slow for
        // the idle time-out): nobody is left to answer, and it is no fault of the server's.
        routes.exception(UncheckedIOException.class, (e, ctx) -> {
            LOG.debug("Connection failed while answering {} {}: {}", ctx.method(), ctx.path(), e.getCause().toString());
            if (!ctx.res().isCommitted()) {
                JsonResponses.error(ctx, ErrorCode.INVALID_BODY, "The connection failed");
            }
        });
        // No request should get here; if one does, it is logged, and the caller is told to retry rather than
        // given a code outside the contract.
        routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("Unexpected failure on {} {}", ctx.method(), ctx.path(), e);
            JsonResponses.error(ctx, StorageException.retryLater(ErrorCode.SERVER_BUSY,
                    "The server could not complete this request; it has been logged, retry later", 1));
        });
        routes.error(404, ctx -> {
            if (!hasBody(ctx)) {
                JsonResponses.error(ctx, ErrorCode.EXTENSION_NOT_FOUND, "Not found: no route of the API has this path");
            }
        });
        routes.error(405, ctx -> {
            if (!hasBody(ctx)) {
                JsonResponses.error(ctx, ErrorCode.INVALID_BODY, "Method " + ctx.method() + " is not allowed on this path");
            }
        });
    }

    private static boolean hasBody(Context ctx) {
        String type = ctx.res().getContentType();
        return type != null && type.startsWith("application/json");
    }

    private static ErrorCode codeOf(int status) {
        return JsonErrorHandler.codeFor(status);
    }
}
