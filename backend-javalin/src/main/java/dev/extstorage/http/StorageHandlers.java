package dev.extstorage.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.extstorage.api.Caller;
import dev.extstorage.api.EphemeralStorage;
import dev.extstorage.api.PersistentStorage;
import dev.extstorage.api.ExtensionStorage;
import dev.extstorage.api.StorageService;
import dev.extstorage.auth.Authenticator;
import dev.extstorage.auth.Principal;
import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.Paging;
import dev.extstorage.model.RestPaths;
import dev.extstorage.model.Scope;
import dev.extstorage.model.StorageException;
import dev.extstorage.model.Tier;
import dev.extstorage.store.PersistentStore;
import io.javalin.http.Context;

import java.math.BigInteger;

/**
 * The storage endpoints (SPEC section 3), a thin layer over {@link StorageService}: find the caller, the
 * extension, the scope and the key, then call the Java API. Checks run in a fixed order, so a request with
 * several faults always gets the same error: route, credentials, extension, key, media type, body, TTL, value.
 */
final class StorageHandlers {
    /** Slashes before the key in {@code /api/v1/extensions/{p}/{n}/storage/{tier}/{key}}. */
    private static final int SLASHES_BEFORE_KEY = 8;

    private final StorageService service;
    private final Authenticator authenticator;

    StorageHandlers(StorageService service, Authenticator authenticator) {
        this.service = service;
        this.authenticator = authenticator;
    }

    void get(Context ctx) {
        Request r = request(ctx, false);
        String json = r.tier == Tier.EPHEMERAL ? r.ephemeral().getJson(r.key) : r.persistent().getJson(r.key);
        JsonResponses.result(ctx, json);
    }

    void put(Context ctx) {
        Request r = request(ctx, true);
        RequestBodies.requireJson(ctx);
        JsonNode body = service.codec().parseBody(RequestBodies.read(ctx, service.limits().maxBodyBytes()));
        if (!body.isObject() || !body.has("value")) {
            throw new StorageException(ErrorCode.INVALID_BODY, "Body must be a JSON object holding 'value'");
        }
        JsonNode value = body.get("value");
        if (r.tier == Tier.EPHEMERAL) {
            r.ephemeral().set(r.key, value, ttlOf(body.get("ttl")));
        } else {
            r.persistent().set(r.key, value);
        }
        JsonResponses.message(ctx, "Value stored successfully");
    }

    void delete(Context ctx) {
        Request r = request(ctx, true);
        if (r.tier == Tier.EPHEMERAL) {
            r.ephemeral().remove(r.key);
        } else {
            r.persistent().remove(r.key);
        }
        JsonResponses.message(ctx, "Value deleted successfully");
    }

    /** {@code GET .../persistent}: one page of the scope's entries. Ephemeral entries are not listed. */
    void list(Context ctx) {
        Tier tier = tier(ctx);
        Principal principal = authenticator.authenticate(ctx, false);
        ExtensionStorage storage = storage(ctx, principal);
        if (tier != Tier.PERSISTENT) {
            throw new StorageException(ErrorCode.INVALID_KEY, "Key must not be empty (only the persistent tier lists its entries)");
        }
        Paging paging = Paging.parse(ctx.queryParam("page"), ctx.queryParam("page_size"));
        Scope scope = Scope.fromSharedParam(ctx.queryParam("shared"));
        PersistentStorage persistent = scope == Scope.SHARED ? storage.persistent().shared() : storage.persistent();
        PersistentStore.ListPage page = persistent.list(paging);
        StringBuilder json = new StringBuilder(256).append("{\"result\":[");
        for (int i = 0; i < page.entries().size(); i++) {
            PersistentStore.Entry e = page.entries().get(i);
            json.append(i == 0 ? "" : ",").append("{\"key\":").append(JsonResponses.quote(e.key()))
                    .append(",\"value\":").append(e.json()).append('}');
        }
        JsonResponses.sendRaw(ctx, 200, json.append("],\"count\":").append(page.total()).append('}').toString());
    }

    /** PUT or DELETE on the tier itself: the key is empty. */
    void emptyKey(Context ctx) {
        tier(ctx);
        Principal principal = authenticator.authenticate(ctx, true);
        storage(ctx, principal);
        throw new StorageException(ErrorCode.INVALID_KEY, "Key must not be empty");
    }

    private Request request(Context ctx, boolean changesData) {
        Tier tier = tier(ctx);
        Principal principal = authenticator.authenticate(ctx, changesData);
        ExtensionStorage storage = storage(ctx, principal);
        String key = RestPaths.decodeKey(rawKey(ctx.req().getRequestURI()));
        return new Request(tier, storage, key, Scope.fromSharedParam(ctx.queryParam("shared")));
    }

    private static Tier tier(Context ctx) {
        Tier tier = Tier.serverTierFromPath(ctx.pathParam("tier"));
        if (tier == null) {
            throw new StorageException(ErrorCode.NOT_FOUND, "Unknown storage tier: use ephemeral or persistent");
        }
        return tier;
    }

    private ExtensionStorage storage(Context ctx, Principal principal) {
        ExtensionId id = ExtensionId.of(ctx.pathParam("publisher"), ctx.pathParam("name"));
        return service.forCaller(id, Caller.user(principal.userId(), principal.roles()));
    }

    /**
     * The key's segment as sent: taken from the raw URI, not from the router's decoded path parameter, so that
     * {@code %2F} and {@code +} mean what RFC 3986 says and decoding happens once, by the shared rule.
     */
    static String rawKey(String rawUri) {
        int at = -1;
        for (int i = 0; i < SLASHES_BEFORE_KEY; i++) {
            at = rawUri.indexOf('/', at + 1);
            if (at < 0) {
                return "";
            }
        }
        return rawUri.substring(at + 1);
    }

    /**
     * The TTL member of a body: an integer number of seconds ({@code 300} or {@code 3e2}, not {@code "300"} or
     * {@code 1.5}).
     */
    private long ttlOf(JsonNode ttl) {
        if (ttl == null || ttl.isNull()) {
            throw new StorageException(ErrorCode.INVALID_TTL, "Ephemeral values need 'ttl', in seconds");
        }
        if (!ttl.isNumber()) {
            throw new StorageException(ErrorCode.INVALID_TTL, "'ttl' must be an integer number of seconds");
        }
        BigInteger seconds;
        try {
            seconds = ttl.decimalValue().toBigIntegerExact();
        } catch (ArithmeticException e) {
            throw new StorageException(ErrorCode.INVALID_TTL, "'ttl' must be an integer number of seconds");
        }
        long max = service.limits().maxTtlSeconds();
        if (seconds.bitLength() > 62) {
            throw new StorageException(ErrorCode.INVALID_TTL, "TTL must be between 1 and " + max + " seconds", max,
                    seconds.signum() < 0 ? 0 : Long.MAX_VALUE);
        }
        return service.limits().requireValidTtl(seconds.longValue());
    }

    /** A storage request, its checks passed: the tier, the caller's storage, the decoded key and the scope. */
    private record Request(Tier tier, ExtensionStorage storage, String key, Scope scope) {
        EphemeralStorage ephemeral() {
            return scope == Scope.SHARED ? storage.ephemeral().shared() : storage.ephemeral();
        }

        PersistentStorage persistent() {
            return scope == Scope.SHARED ? storage.persistent().shared() : storage.persistent();
        }
    }
}
