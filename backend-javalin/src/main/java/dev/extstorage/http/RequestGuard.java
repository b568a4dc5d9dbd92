package dev.extstorage.http;

import dev.extstorage.auth.Authenticator;
import dev.extstorage.auth.Principal;
import dev.extstorage.limits.RequestRateLimiter;
import dev.extstorage.metrics.Refusals;
import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.RestPaths;
import dev.extstorage.model.StorageException;
import dev.extstorage.model.Tier;
import dev.extstorage.registry.ExtensionRegistry;
import io.javalin.http.Context;

/**
 * The checks a request passes before its handler runs, in a fixed order, so a request with several faults
 * always gets the same error: before routing, the raw path's shape ({@link #checkPath}); once a route matched
 * ({@link #before}, the one handler that authenticates), the route's {@link Access}: credentials, a token
 * bound to one extension only on that extension's routes (SPEC section 12), the administrator role; on the
 * routes of one extension, that it is installed; on storage routes also the tier (before credentials), the
 * strict mode's bound tokens; then, on every route of one extension, the request rate of (user, extension)
 * and admission of the work it may do ({@link Admission}), and so on the caller's export across extensions
 * ({@code /api/v1/me/storage}, counted against {@link ExtensionId#USER_ROUTES}). Handlers find the caller with
 * {@link #principal}; the after-handler gives the admission back.
 */
final class RequestGuard {
    private static final String PRINCIPAL = RequestGuard.class.getName() + ".principal";
    private static final String TICKET = RequestGuard.class.getName() + ".ticket";
    private static final String PATH = RequestGuard.class.getName() + ".path";
    private static final String EXTENSION = RequestGuard.class.getName() + ".extension";
    /**
     * Copies of a value's text a request holds at most at once: the text being collected from the body, the
     * string made of it, and the store's encoding of that string (the first is garbage once the second exists,
     * so three is the peak). A body above the value limit holds at most the limit: past it the text is only
     * measured.
     */
    static final long COPIES_OF_A_VALUE = 3;

    private final Authenticator authenticator;
    private final String adminRole;
    private final boolean requireExtensionTokens;
    private final ExtensionRegistry registry;
    private final RequestRateLimiter rateLimiter;
    private final Admission admission;
    private final Refusals refusals;

    RequestGuard(Authenticator authenticator, String adminRole, boolean requireExtensionTokens,
                 ExtensionRegistry registry, RequestRateLimiter rateLimiter, Admission admission, Refusals refusals) {
        this.refusals = refusals;
        this.authenticator = authenticator;
        this.adminRole = adminRole;
        this.requireExtensionTokens = requireExtensionTokens;
        this.registry = registry;
        this.rateLimiter = rateLimiter;
        this.admission = admission;
    }

    /**
     * Before routing, for every request: the raw path's shape. The router decodes path parameters while it
     * matches, so a malformed escape ({@code %zz}, {@code %u002E}) must be refused before it gets there, and a
     * {@code .}/{@code ..} segment must be refused whether or not a route would match what it normalises to.
     */
    void checkPath(Context ctx) {
        String rawPath = ctx.req().getRequestURI();
        if (!rawPath.startsWith("/api/")) {
            return;
        }
        // stored values, tokens, CSRF secrets: no cache on the way may keep a copy (set first: errors get it)
        ctx.header("Cache-Control", "no-store");
        if (RestPaths.hasDotSegment(rawPath)) {
            throw new StorageException(ErrorCode.INVALID_KEY, "A URL must not hold '.' or '..' path segments"
                    + " (percent-encode a dot that belongs to a key: %2E)");
        }
        if (RestPaths.hasMalformedEscape(rawPath)) {
            RestPaths.StoragePath storage = RestPaths.parseStoragePath(rawPath);
            boolean inKey = storage != null && storage.publisher() != null && storage.name() != null
                    && storage.tier() != null && storage.rawKey() != null;
            throw new StorageException(inKey ? ErrorCode.INVALID_KEY : ErrorCode.EXTENSION_NOT_FOUND,
                    "The URL holds a '%' that is not followed by two hex digits");
        }
    }

    /** Once a route matched: its access, and the checks of extension and storage routes. */
    void before(Context ctx) {
        String rawPath = ctx.req().getRequestURI();
        boolean api = rawPath.startsWith("/api/");
        Access access = Access.of(ctx.routeRoles());
        // static files (host page, /core/ module, extension bundles) match no route, so carry no roles; every
        // route of the table declares its access (the route walk test checks it)
        if (access == Access.ANYONE || !api && ctx.routeRoles().isEmpty()) {
            return;
        }
        RestPaths.StoragePath storagePath = RestPaths.parseStoragePath(rawPath);
        if (RestPaths.isUsage(storagePath)) {
            // one extension's route, but no tier's: only its GET; another method matched the tier route's
            // pattern ({tier} = usage), whose handlers have no tier to work on
            if (!ctx.method().name().equals("GET")) {
                throw new StorageException(ErrorCode.INVALID_BODY, "Method " + ctx.method()
                        + " is not allowed on this path");
            }
            storagePath = null;
        }
        boolean events = storagePath != null && EventHandler.isEventsPath(storagePath);
        if (storagePath != null && !events) {
            tier(storagePath.tier());
        }
        Principal principal = authenticator.authenticate(ctx, changesData(ctx.method().name()));
        ctx.attribute(PRINCIPAL, principal);
        RestPaths.ExtensionPath extensionPath = RestPaths.extensionOf(rawPath);
        if (principal.isBound() && !isRouteOf(principal.extension(), extensionPath)) {
            throw new StorageException(ErrorCode.FORBIDDEN, "This token is bound to the extension "
                    + principal.extension().id() + " and is valid only on its routes");
        }
        if (access == Access.ADMIN && !principal.hasRole(adminRole)) {
            throw new StorageException(ErrorCode.FORBIDDEN, "This operation needs the role '" + adminRole + "'");
        }
        if (extensionPath == null) {
            if (rawPath.equals(RestPaths.ME_STORAGE_PATH)) {
                // reads the caller's data of every extension: the same rate and admission as a storage route
                admit(ctx, ExtensionId.USER_ROUTES, principal, false);
            }
            return;
        }
        ExtensionId extension = extensionPath.id();
        registry.require(extension);
        ctx.attribute(EXTENSION, extension);
        if (storagePath != null) {
            if (requireExtensionTokens && !principal.isBound()) {
                throw new StorageException(ErrorCode.FORBIDDEN, "This server takes only tokens bound to an "
                        + "extension on its storage routes (POST " + RestPaths.tokenPath("{publisher}", "{name}")
                        + " mints one)");
            }
            ctx.attribute(PATH, storagePath);
        }
        admit(ctx, extension, principal, events);
    }

    private static boolean isRouteOf(ExtensionId bound, RestPaths.ExtensionPath route) {
        return route != null && bound.publisher().equals(route.publisher()) && bound.name().equals(route.name());
    }

    private void admit(Context ctx, ExtensionId extension, Principal principal, boolean events) {
        long waitSeconds = rateLimiter.tryConsume(extension, principal.userId());
        if (waitSeconds > 0) {
            refusals.rateLimited();
            throw StorageException.retryLater(ErrorCode.RATE_LIMITED,
                    "Too many requests for this extension; retry in " + waitSeconds + " s", waitSeconds);
        }
        // Every request starts light: what it holds is taken as it becomes known (holdMore), a body's value as it
        // arrives, a read's value once it is read, so a slow or idle request holds none of the budget.
        if (!events) {   // an event stream takes a place of its own (EventStreams), not one for its whole life here
            ctx.attribute(TICKET, admission.admit(principal.userId(), 0));
        }
    }

    void after(Context ctx) {
        Admission.Ticket ticket = ctx.attribute(TICKET);
        if (ticket != null) {
            ticket.close();
        }
    }

    /**
     * Lets the request hold {@code bytes} more than it was admitted with (a large stored value about to be
     * answered), from the same budget.
     *
     * @throws StorageException {@code RATE_LIMITED} or {@code SERVER_BUSY} when that does not fit now
     */
    static void holdMore(Context ctx, long bytes) {
        Admission.Ticket ticket = ctx.attribute(TICKET);
        if (ticket != null) {
            ticket.grow(bytes);
        }
    }

    /**
     * The storage path {@link #before} parsed from the raw URI: handlers take publisher, name, tier and key from
     * it, decoded once by the shared rule, never from the router's own decoding of path parameters.
     */
    static RestPaths.StoragePath path(Context ctx) {
        RestPaths.StoragePath p = ctx.attribute(PATH);
        if (p == null) {
            throw new IllegalStateException("no storage path: the request guard did not run for " + ctx.path());
        }
        return p;
    }

    /** The installed extension whose route this is, as {@link #before} checked it. */
    static ExtensionId extension(Context ctx) {
        ExtensionId id = ctx.attribute(EXTENSION);
        if (id == null) {
            throw new IllegalStateException("no extension: the request guard did not run for " + ctx.path());
        }
        return id;
    }

    /** The caller {@link #before} authenticated. */
    static Principal principal(Context ctx) {
        Principal p = ctx.attribute(PRINCIPAL);
        if (p == null) {
            throw new IllegalStateException("no principal: the request guard did not run for " + ctx.path());
        }
        return p;
    }

    /** The tier a path segment names. @throws StorageException {@code EXTENSION_NOT_FOUND} (404) for any other */
    static Tier tier(String segment) {
        Tier tier = Tier.serverTierFromPath(segment);
        if (tier == null) {
            throw new StorageException(ErrorCode.EXTENSION_NOT_FOUND, "Unknown storage tier: use ephemeral or persistent");
        }
        return tier;
    }

    private static boolean changesData(String method) {
        return !method.equals("GET") && !method.equals("HEAD") && !method.equals("OPTIONS");
    }
}
