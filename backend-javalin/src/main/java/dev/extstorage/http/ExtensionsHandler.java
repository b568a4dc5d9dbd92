package dev.extstorage.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.extstorage.registry.ExtensionRegistry;
import dev.extstorage.registry.InstalledExtension;
import io.javalin.http.Context;

/**
 * {@code GET /api/v1/extensions/}: the installed extensions, for the host page to load: id, publisher, name,
 * display name, the URL of the Module Federation remote entry ({@code null} for server-only extensions) and whether
 * the host runs it in a sandboxed frame ({@code sandbox}, SPEC section 12).
 */
final class ExtensionsHandler {
    private final ExtensionRegistry registry;

    ExtensionsHandler(ExtensionRegistry registry) {
        this.registry = registry;
    }

    void list(Context ctx) {
        ObjectNode body = JsonResponses.object();
        ArrayNode result = body.putArray("result");
        for (InstalledExtension e : registry.all()) {
            result.addObject().put("id", e.id().id()).put("publisher", e.id().publisher())
                    .put("name", e.id().name()).put("displayName", e.displayName())
                    .put("remoteEntry", e.remoteEntry()).put("sandbox", e.sandbox());
        }
        body.put("count", result.size());
        JsonResponses.send(ctx, 200, body);
    }
}
