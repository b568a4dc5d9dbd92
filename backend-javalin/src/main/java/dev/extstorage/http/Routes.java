package dev.extstorage.http;

import dev.extstorage.api.StorageService;
import dev.extstorage.auth.Authenticator;
import dev.extstorage.auth.TokenService;
import dev.extstorage.registry.ExtensionRegistry;
import dev.extstorage.store.EphemeralStore;
import dev.extstorage.store.PersistentStore;
import dev.extstorage.config.Protection;
import dev.extstorage.limits.RequestRateLimiter;
import dev.extstorage.metrics.Metrics;
import io.javalin.config.RoutesConfig;

/** The route table: every URL the server answers, in one place. */
public final class Routes {
    public static final String STORAGE = "/api/v1/extensions/{publisher}/{name}/storage/{tier}";
    public static final String STORAGE_KEY = STORAGE + "/<key>";
    public static final String EVENTS = "/api/v1/extensions/{publisher}/{name}/storage/" + EventHandler.SEGMENT;

    /** What {@link #register} made that the server measures and closes. */
    public record Registered(Admission admission, AutoCloseable eventStreams) {
    }

    private Routes() {
    }

    /** Registers every route; returns the admission bounds the storage routes share and the event streams. */
    public static Registered register(RoutesConfig routes, StorageService service, ExtensionRegistry registry,
                                EphemeralStore ephemeral, PersistentStore persistent, TokenService tokens,
                                boolean devLogin, long devTokenTtlSeconds, Protection protection,
                                RequestRateLimiter rateLimiter, Metrics metrics) {
        Authenticator authenticator = new Authenticator(tokens);
        StorageHandlers storage = new StorageHandlers(service, protection.minRequestDataRate());
        SessionHandlers session = new SessionHandlers(authenticator, tokens, service.codec(), devTokenTtlSeconds);
        Admission admission = new Admission(protection.inFlightBytes(),
                RequestGuard.COPIES_OF_A_VALUE * service.limits().maxValueBytes(), protection.userInFlight(),
                metrics.refusals());
        RequestGuard guard = new RequestGuard(authenticator, registry, rateLimiter, admission,
                metrics.refusals());

        routes.before(guard::before);
        routes.after(guard::after);

        routes.get("/health", new HealthHandler(ephemeral, persistent)::handle);
        // touches nothing: the HTTP floor the benchmark compares storage routes with, and a liveness probe
        routes.get("/api/v1/ping", ctx -> JsonResponses.sendRaw(ctx, 200, "{\"status\":\"ok\"}"));
        routes.get(OpenApiHandler.PATH, new OpenApiHandler()::handle);
        routes.get("/api/v1/me", session::me);
        if (devLogin) {
            routes.post("/api/v1/dev/login", session::devLogin);
            routes.post("/api/v1/dev/logout", session::devLogout);
        }
        if (metrics.isEnabled()) {
            routes.get(Metrics.PATH, metrics::scrape);   // outside /api: no auth, no rate limit (README, "Metrics")
        }
        routes.get("/api/v1/extensions", new ExtensionsHandler(registry, authenticator)::list);

        // before STORAGE, whose {tier} would match "events" too
        EventStreams streams = new EventStreams(protection.eventStreams(), protection.userEventStreams(),
                heartbeatMs(protection.idleTimeoutMs()), metrics.eventStreams(), metrics.refusals());
        routes.get(EVENTS, new EventHandler(service, streams)::handle);
        routes.get(STORAGE, storage::list);
        routes.put(STORAGE, storage::emptyKey);
        routes.delete(STORAGE, storage::emptyKey);
        routes.get(STORAGE_KEY, storage::get);
        // HEAD runs GET's checks (else Javalin would answer 200 without them); the server drops the body
        routes.head(STORAGE_KEY, storage::get);
        routes.head(STORAGE, storage::list);
        routes.put(STORAGE_KEY, storage::put);
        routes.delete(STORAGE_KEY, storage::delete);

        ErrorMapping.register(routes);
        return new Registered(admission, streams);
    }

    /** Heartbeats every 5 s, and always well below the idle time-out that would close a quiet stream. */
    static long heartbeatMs(long idleTimeoutMs) {
        return Math.max(50, Math.min(5000, idleTimeoutMs / 2));
    }
}
