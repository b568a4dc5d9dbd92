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
 * The one before-handler of the API: the checks every storage request passes before its handler runs, in a
 * fixed order, so a request with several faults always gets the same error: path shape ({@code .}/{@code ..}
 * segments), tier, credentials, extension, request rate of (user, extension), then admission of the work it
 * may do ({@link Admission}). The handler finds the caller with {@link #principal}; the after-handler gives
 * the admission back.
 */
final class RequestGuard {
    private static final String PRINCIPAL = RequestGuard.class.getName() + ".principal";
    private static final String TICKET = RequestGuard.class.getName() + ".ticket";
    private static final String PATH = RequestGuard.class.getName() + ".path";
    /**
     * Copies of a value's text a request holds at most at once: the text being collected from the body, the
     * string made of it, and the store's encoding of that string (the first is garbage once the second exists,
     * so three is the peak). A body above the value limit holds at most the limit: past it the text is only
     * measured.
     */
    static final long COPIES_OF_A_VALUE = 3;

    private final Authenticator authenticator;
    private final ExtensionRegistry registry;
    private final RequestRateLimiter rateLimiter;
    private final Admission admission;
    private final Refusals refusals;

    RequestGuard(Authenticator authenticator, ExtensionRegistry registry, RequestRateLimiter rateLimiter,
                 Admission admission, Refusals refusals) {
        this.refusals = refusals;
        this.authenticator = authenticator;
        this.registry = registry;
        this.rateLimiter = rateLimiter;
        this.admission = admission;
    }

    void before(Context ctx) {
        String rawPath = ctx.req().getRequestURI();
        if (!rawPath.startsWith("/api/")) {
            return;
        }
        if (RestPaths.hasDotSegment(rawPath)) {
            throw new StorageException(ErrorCode.INVALID_KEY, "A URL must not hold '.' or '..' path segments"
                    + " (percent-encode a dot that belongs to a key: %2E)");
        }
        RestPaths.StoragePath path = RestPaths.parseStoragePath(rawPath);
        if (path == null) {
            return;
        }
        boolean events = EventHandler.isEventsPath(path);
        if (!events) {
            tier(path.tier());
        }
        Principal principal = authenticator.authenticate(ctx, changesData(ctx.method().name()));
        ExtensionId extension = ExtensionId.of(path.publisher(), path.name());
        registry.require(extension);
        long waitSeconds = rateLimiter.tryConsume(extension, principal.userId());
        if (waitSeconds > 0) {
            refusals.rateLimited();
            throw StorageException.retryLater(ErrorCode.RATE_LIMITED,
                    "Too many requests for this extension; retry in " + waitSeconds + " s", waitSeconds);
        }
        ctx.attribute(PRINCIPAL, principal);
        ctx.attribute(PATH, path);
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
