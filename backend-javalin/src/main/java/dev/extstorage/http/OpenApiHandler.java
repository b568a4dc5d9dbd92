package dev.extstorage.http;

import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /api/v1/openapi.json}: the OpenAPI 3.1 description of every route (the resource {@code openapi.json},
 * read once). Needs no credentials; {@code OpenApiRoutesTest} keeps it and the route table in step.
 */
final class OpenApiHandler {
    static final String PATH = "/api/v1/openapi.json";
    static final String RESOURCE = "/openapi.json";

    private final byte[] document;

    OpenApiHandler() {
        try (InputStream in = OpenApiHandler.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the server's jar");
            }
            this.document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void handle(Context ctx) {
        ctx.status(200).contentType(JsonResponses.JSON).result(document);
    }
}
