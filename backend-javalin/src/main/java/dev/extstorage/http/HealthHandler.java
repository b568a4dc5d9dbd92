package dev.extstorage.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.extstorage.store.EphemeralStore;
import dev.extstorage.store.PersistentStore;
import io.javalin.http.Context;

/**
 * {@code GET /health}: 200 {@code {"status":"ok"}} when both stores answer, else 503 naming the store that
 * does not. Needs no credentials, so load balancers can poll it.
 */
final class HealthHandler {
    private final EphemeralStore ephemeral;
    private final PersistentStore persistent;

    HealthHandler(EphemeralStore ephemeral, PersistentStore persistent) {
        this.ephemeral = ephemeral;
        this.persistent = persistent;
    }

    void handle(Context ctx) {
        boolean ephemeralUp = ephemeral.isAvailable();
        boolean persistentUp = persistent.isAvailable();
        boolean up = ephemeralUp && persistentUp;
        ObjectNode body = JsonResponses.object().put("status", up ? "ok" : "unavailable");
        ObjectNode stores = body.putObject("stores");
        stores.putObject("ephemeral").put("engine", ephemeral.engine()).put("status", ephemeralUp ? "ok" : "unavailable");
        stores.putObject("persistent").put("engine", persistent.engine()).put("status", persistentUp ? "ok" : "unavailable");
        JsonResponses.send(ctx, up ? 200 : 503, body);
    }
}
