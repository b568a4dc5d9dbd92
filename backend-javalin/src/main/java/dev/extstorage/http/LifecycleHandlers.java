package dev.extstorage.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.extstorage.api.Caller;
import dev.extstorage.api.StorageService;
import dev.extstorage.model.Tier;
import io.javalin.http.Context;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The caller's own view of data as a whole (SPEC section 9): an extension's usage, and the export of every
 * user-scoped entry of the caller.
 */
final class LifecycleHandlers {
    private static final JsonFactory JSON = new JsonFactory();

    private final StorageService service;

    LifecycleHandlers(StorageService service) {
        this.service = service;
    }

    /** {@code GET .../{publisher}/{name}/storage/usage}: both tiers, against the quotas, for the caller. */
    void usage(Context ctx) {
        var storage = service.forCaller(RequestGuard.extension(ctx), Caller.of(RequestGuard.principal(ctx)));
        ObjectNode body = JsonResponses.object();
        UsageJson.put(body.putObject("result"), storage.usage());
        JsonResponses.send(ctx, 200, body);
    }

    /**
     * {@code GET /api/v1/me/storage}: {@code {"result": [{extension, tier, key, value, updatedAt, expiresAt}...],
     * "count": n}}, streamed entry by entry as the stores read them (values as stored, times ISO-8601 or null).
     * A failure after the first bytes left breaks the response off, as a listing's does: never a short export
     * that looks whole.
     */
    void export(Context ctx) {
        String userId = RequestGuard.principal(ctx).userId();
        JsonGenerator[] out = new JsonGenerator[1];
        long[] count = new long[1];
        try {
            service.admin().exportUser(userId, (extension, tier, resource, key, json, updatedAt, expiresAt) -> {
                try {
                    if (out[0] == null) {
                        out[0] = begin(ctx);
                    }
                    JsonGenerator g = out[0];
                    g.writeStartObject();
                    g.writeStringField("extension", extension);
                    g.writeStringField("tier", tier == Tier.PERSISTENT ? "persistent" : "ephemeral");
                    if (resource != null) {
                        ResourceJson.write(g, resource);
                    }
                    g.writeStringField("key", key);
                    g.writeFieldName("value");
                    g.writeRawValue(json);
                    time(g, "updatedAt", updatedAt);
                    time(g, "expiresAt", expiresAt);
                    g.writeEndObject();
                    count[0]++;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            if (out[0] == null) {
                out[0] = begin(ctx);
            }
            out[0].writeEndArray();
            out[0].writeNumberField("count", count[0]);
            out[0].writeEndObject();
            out[0].flush();
        } catch (UncheckedIOException | IOException clientGone) {
            // only the generator writes to the client: it went away; nobody is left to answer
        } catch (RuntimeException e) {
            if (out[0] == null || !ctx.res().isCommitted() && ctx.res().getHeader("Content-Encoding") == null) {
                ctx.res().resetBuffer();
                throw e;
            }
            ServletContextRequest.getServletContextRequest(ctx.req()).getServletChannel().abort(e);
        }
    }

    private static JsonGenerator begin(Context ctx) throws IOException {
        ctx.status(200).contentType(JsonResponses.JSON);
        JsonGenerator g = JSON.createGenerator(ctx.outputStream());
        g.writeStartObject();
        g.writeArrayFieldStart("result");
        return g;
    }

    private static void time(JsonGenerator g, String field, Long millis) throws IOException {
        if (millis == null) {
            g.writeNullField(field);
        } else {
            g.writeStringField(field, Instant.ofEpochMilli(millis).toString());
        }
    }
}
