package dev.extstorage.http;

import dev.extstorage.model.ResourceRef;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.extstorage.api.EraseResult;
import dev.extstorage.api.ExtensionReport;
import dev.extstorage.api.PurgeResult;
import dev.extstorage.api.StorageAdmin;
import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.PercentEncoding;
import dev.extstorage.model.RestPaths;
import dev.extstorage.model.StorageException;
import dev.extstorage.model.UserIds;
import io.javalin.http.Context;

/**
 * The administration routes (SPEC section 9; {@link Access#ADMIN}, so {@link RequestGuard} has checked the
 * administrator role): the extensions holding data with their usage, the purge of one extension (installed or
 * not), the erasure of one user's entries. Path segments are taken from the raw URI and decoded once by the
 * shared rule, as on the storage routes.
 */
final class AdminHandlers {
    private final StorageAdmin admin;

    AdminHandlers(StorageAdmin admin) {
        this.admin = admin;
    }

    /** {@code GET /api/v1/admin/extensions}: every extension with server data or secrets, installed or not. */
    void extensions(Context ctx) {
        ObjectNode body = JsonResponses.object();
        ArrayNode result = body.putArray("result");
        for (ExtensionReport r : admin.extensions()) {
            ExtensionId id = ExtensionId.parse(r.extension());
            ObjectNode o = result.addObject().put("extension", r.extension()).put("publisher", id.publisher())
                    .put("name", id.name()).put("installed", r.installed());
            UsageJson.put(o.putObject("usage"), r.usage());
            o.put("secrets", r.secrets());
        }
        body.put("count", result.size());
        JsonResponses.send(ctx, 200, body);
    }

    /** {@code DELETE /api/v1/admin/extensions/{publisher}/{name}/storage}: the counts removed per tier, and of secrets. */
    void purge(Context ctx) {
        String[] parts = segments(ctx, RestPaths.ADMIN_EXTENSIONS_PATH, 2);
        String publisher = PercentEncoding.decode(parts[0]);
        String name = PercentEncoding.decode(parts[1]);
        if (publisher == null || name == null) {
            throw new StorageException(ErrorCode.EXTENSION_NOT_FOUND, "Extension not found");
        }
        PurgeResult r = admin.purge(ExtensionId.of(publisher, name), false);
        ObjectNode body = JsonResponses.object();
        body.putObject("result").put("extension", r.extension()).put("persistent", r.persistentEntries())
                .put("ephemeral", r.ephemeralEntries()).put("entries", r.entries()).put("secrets", r.secrets());
        JsonResponses.send(ctx, 200, body);
    }

    /** {@code DELETE /api/v1/admin/users/{userId}/storage}, the id percent-encoded: the counts removed per tier, and of secrets. */
    void erase(Context ctx) {
        String raw = segments(ctx, RestPaths.ADMIN_USERS_PATH, 1)[0];
        String userId = PercentEncoding.decode(raw);
        String problem = userId == null ? "User id must be percent-encoded UTF-8" : UserIds.problem(userId);
        if (problem != null) {
            throw new StorageException(ErrorCode.INVALID_KEY, problem);
        }
        EraseResult r = admin.eraseUser(userId);
        ObjectNode body = JsonResponses.object();
        body.putObject("result").put("user", userId).put("persistent", r.persistentEntries())
                .put("ephemeral", r.ephemeralEntries()).put("entries", r.entries()).put("secrets", r.secrets());
        JsonResponses.send(ctx, 200, body);
    }

    /**
     * {@code DELETE /api/v1/admin/resources/{type}/{uuid}/storage}: every entry of the resource, all extensions,
     * scopes and users; answers {@code {"result": {"resourceType", "resourceUuid", "persistent", "entries"}}}. A
     * type or id breaking the rule of {@link ResourceRef} is {@code INVALID_QUERY}, as in the storage routes'
     * query.
     */
    void purgeResource(Context ctx) {
        String[] parts = segments(ctx, RestPaths.ADMIN_RESOURCES_PATH, 2);
        ResourceRef resource = ResourceRef.of(PercentEncoding.decode(parts[0]), PercentEncoding.decode(parts[1]));
        long removed = admin.purgeResource(resource);
        ObjectNode body = JsonResponses.object();
        body.putObject("result").put("resourceType", resource.type()).put("resourceUuid", resource.uuid())
                .put("persistent", removed).put("entries", removed);
        JsonResponses.send(ctx, 200, body);
    }

    /**
     * The {@code n} raw segments between {@code base} and the final {@code /storage} of the request URI. A raw
     * {@code /} inside them (rather than {@code %2F}) makes more segments and is refused.
     */
    private static StorageException segmentFault(String base, int n) {
        if (n == 1) {
            return new StorageException(ErrorCode.INVALID_KEY, "A user id in a path must be percent-encoded (%2F for /)");
        }
        return RestPaths.ADMIN_RESOURCES_PATH.equals(base)
                ? new StorageException(ErrorCode.INVALID_QUERY, "A resource path is .../resources/{type}/{uuid}/storage")
                : new StorageException(ErrorCode.EXTENSION_NOT_FOUND, "Extension not found");
    }

    private static String[] segments(Context ctx, String base, int n) {
        String path = ctx.req().getRequestURI();
        String suffix = "/" + RestPaths.STORAGE_SEGMENT;
        String inner = path.substring(base.length() + 1, path.length() - suffix.length());
        String[] parts = new String[n];
        int at = 0;
        for (int i = 0; i < n; i++) {
            int slash = inner.indexOf('/', at);
            boolean last = i == n - 1;
            if (last != (slash < 0)) {
                throw segmentFault(base, n);
            }
            parts[i] = last ? inner.substring(at) : inner.substring(at, slash);
            at = slash + 1;
        }
        return parts;
    }
}
