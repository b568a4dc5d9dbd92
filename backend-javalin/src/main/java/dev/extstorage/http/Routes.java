package dev.extstorage.http;

import dev.extstorage.api.StorageService;
import dev.extstorage.auth.Authenticator;
import dev.extstorage.auth.TokenService;
import dev.extstorage.config.ServerConfig;
import dev.extstorage.limits.RequestRateLimiter;
import dev.extstorage.metrics.Metrics;
import dev.extstorage.model.RestPaths;
import dev.extstorage.registry.ExtensionRegistry;
import dev.extstorage.store.EphemeralStore;
import dev.extstorage.store.PersistentStore;
import io.javalin.config.RoutesConfig;

import java.nio.charset.StandardCharsets;

import static dev.extstorage.http.Access.ADMIN;
import static dev.extstorage.http.Access.ANYONE;
import static dev.extstorage.http.Access.USER;

/**
 * The route table: every URL the server answers and who may call it, in one place. {@link RequestGuard}, the one
 * before-handler, enforces each route's {@link Access} (and, on storage routes, tier, extension, rate and
 * admission) before the handler runs.
 */
public final class Routes {
    /** The storage paths in the router's syntax, built by the same rule that builds their URLs. */
    public static final String STORAGE = RestPaths.tierPath("{publisher}", "{name}", "{tier}");
    public static final String STORAGE_KEY = STORAGE + "/<key>";
    /** The route that touches nothing: a liveness probe, and the HTTP floor the benchmark measures. */
    public static final String PING = "/api/v1/ping";
    private static final byte[] PING_ANSWER = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);
    public static final String EVENTS = RestPaths.tierPath("{publisher}", "{name}", EventHandler.SEGMENT);

    /** What {@link #register} made that the server measures and closes. */
    public record Registered(Admission admission, AutoCloseable eventStreams) {
    }

    private Routes() {
    }

    /** Registers every route; returns the admission bounds the storage routes share and the event streams. */
    public static Registered register(RoutesConfig routes, ServerConfig config, StorageService service,
                                      ExtensionRegistry registry, EphemeralStore ephemeral, PersistentStore persistent,
                                      TokenService tokens, RequestRateLimiter rateLimiter, Metrics metrics) {
        var protection = config.protection();
        SessionHandlers session = new SessionHandlers(tokens, service.codec(), config.devTokenTtlSeconds());
        Admission admission = new Admission(protection.inFlightBytes(),
                RequestGuard.COPIES_OF_A_VALUE * service.limits().maxValueBytes(), protection.userInFlight(),
                metrics.refusals());
        RequestGuard guard = new RequestGuard(new Authenticator(tokens), config.adminRole(),
                config.requireExtensionTokens(), registry, rateLimiter, admission, metrics.refusals());

        routes.before(guard::checkPath);
        routes.beforeMatched(guard::before);
        routes.after(guard::after);

        // Registration order decides CPU, not answers: Javalin looks a request's route up several times (its roles,
        // the before-matched handler, the handler itself), each time trying this table's routes of the method in
        // order, a regular expression per route that is not the request's path exactly. So the ping (matched by
        // string equality) and a key's routes, the requests a client repeats, come first. No route registered
        // after them matches a URI they match (RouteOrderTest), so they take no request from another route.
        routes.get(PING, ctx -> JsonResponses.sendLast(ctx, PING_ANSWER), ANYONE);
        StorageHandlers storage = new StorageHandlers(service, protection.minRequestDataRate());
        routes.get(STORAGE_KEY, storage::get, USER);
        // HEAD runs GET's checks (else Javalin would answer 200 without them); the server drops the body
        routes.head(STORAGE_KEY, storage::get, USER);
        routes.put(STORAGE_KEY, storage::put, USER);
        routes.delete(STORAGE_KEY, storage::delete, USER);
        routes.get("/health", new HealthHandler(ephemeral, persistent)::handle, ANYONE);
        routes.get(OpenApiHandler.PATH, new OpenApiHandler()::handle, ANYONE);
        routes.get("/api/v1/me", session::me, USER);
        if (config.devLogin()) {
            routes.post("/api/v1/dev/login", session::devLogin, ANYONE);
            routes.post("/api/v1/dev/logout", session::devLogout, USER);
        }
        if (metrics.isEnabled()) {
            // outside /api: no credentials, no rate limit (README, "Metrics")
            routes.get(Metrics.PATH, metrics::scrape, ANYONE);
        }
        routes.get(RestPaths.EXTENSIONS_PATH, new ExtensionsHandler(registry)::list, USER);
        routes.post(RestPaths.tokenPath("{publisher}", "{name}"),
                new TokenHandler(tokens, config.extensionTokenTtlSeconds())::mint, USER);

        LifecycleHandlers lifecycle = new LifecycleHandlers(service);
        AdminHandlers admin = new AdminHandlers(service.admin());
        // before STORAGE, whose {tier} would match it too
        routes.get(RestPaths.usagePath("{publisher}", "{name}"), lifecycle::usage, USER);
        routes.get(RestPaths.ME_STORAGE_PATH, lifecycle::export, USER);
        routes.get(RestPaths.ADMIN_EXTENSIONS_PATH, admin::extensions, ADMIN);
        routes.delete(RestPaths.adminStoragePath("<publisher>", "<name>"), admin::purge, ADMIN);
        routes.delete(RestPaths.adminUserStoragePath("<userId>"), admin::erase, ADMIN);
        routes.delete(RestPaths.adminResourceStoragePath("<type>", "<uuid>"), admin::purgeResource, ADMIN);

        EventStreams streams = new EventStreams(protection.eventStreams(), protection.userEventStreams(),
                heartbeatMs(protection.idleTimeoutMs()), metrics.eventStreams(), metrics.refusals());
        routes.get(EVENTS, new EventHandler(service, streams)::handle, USER);
        routes.get(STORAGE, storage::list, USER);
        // a batch (getMany/setMany/removeMany): POST on the tier itself, which no key's route can be
        routes.post(STORAGE, new BatchHandler(service, protection.minRequestDataRate())::handle, USER);
        routes.put(STORAGE, storage::emptyKey, USER);
        routes.delete(STORAGE, storage::emptyKey, USER);
        routes.head(STORAGE, storage::list, USER);

        ErrorMapping.register(routes);
        return new Registered(admission, streams);
    }

    /** Heartbeats every 5 s, and always well below the idle time-out that would close a quiet stream. */
    static long heartbeatMs(long idleTimeoutMs) {
        return Math.max(50, Math.min(5000, idleTimeoutMs / 2));
    }
}
