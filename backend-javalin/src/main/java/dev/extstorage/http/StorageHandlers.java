package dev.extstorage.http;

import dev.extstorage.model.ResourceRef;
import dev.extstorage.api.Caller;
import dev.extstorage.api.Entry;
import dev.extstorage.api.EphemeralStorage;
import dev.extstorage.api.PersistentStorage;
import dev.extstorage.api.PutBody;
import dev.extstorage.api.ExtensionStorage;
import dev.extstorage.api.StorageService;
import dev.extstorage.auth.Principal;
import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.JsonNumbers;
import dev.extstorage.model.KeyPrefixes;
import dev.extstorage.model.Paging;
import dev.extstorage.model.Precondition;
import dev.extstorage.model.RestPaths;
import dev.extstorage.model.Scope;
import dev.extstorage.model.StorageException;
import dev.extstorage.model.StoredValues;
import dev.extstorage.model.Tier;
import dev.extstorage.store.PageSink;
import io.javalin.http.Context;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * The storage endpoints (SPEC section 3), a thin layer over {@link StorageService}: take the caller the
 * {@link RequestGuard} found, the extension, the scope and the key, then call the Java API. Checks run in a
 * fixed order, so a request with several faults always gets the same error: those of the guard (path, tier,
 * credentials, extension, rate), then key, media type, the condition headers, body, TTL, value; the condition
 * itself ({@code If-Match}, {@code If-None-Match}, {@link EntityTags}) is checked by the store, atomically with
 * the write, so a failed one ({@code 412}) changes nothing.
 */
final class StorageHandlers {
    private final StorageService service;
    private final long minBodyBytesPerSecond;

    StorageHandlers(StorageService service, long minBodyBytesPerSecond) {
        this.service = service;
        this.minBodyBytesPerSecond = minBodyBytesPerSecond;
    }

    void get(Context ctx) {
        Request r = request(ctx);
        Entry entry = r.tier == Tier.EPHEMERAL ? r.ephemeral().getEntry(r.key) : r.persistent().getEntry(r.key);
        String json = entry == null ? null : entry.json();
        if (entry != null) {
            EntityTags.send(ctx, entry.version());
        }
        if (json != null && json.length() > Admission.LIGHT_BYTES) {
            // the value is read; writing it out holds it (and its encoding) a while longer
            RequestGuard.holdMore(ctx, 2L * json.length());
        }
        JsonResponses.result(ctx, json);
    }

    void put(Context ctx) {
        Request r = request(ctx);
        RequestBodies.requireJson(ctx);
        // the body takes its room in the budget as it arrives: copies of what is read (at most the value limit)
        // are kept until the value is stored
        long maxValue = service.limits().maxValueBytes();
        Precondition condition = EntityTags.precondition(ctx);
        PutBody body = PutBody.read(RequestBodies.stream(ctx, service.limits().maxBodyBytes(), minBodyBytesPerSecond,
                maxValue, bytes -> RequestGuard.holdMore(ctx, RequestGuard.COPIES_OF_A_VALUE * bytes)), maxValue);
        if (body.encrypt() && r.tier == Tier.EPHEMERAL) {
            // encryption at rest exists on the persistent tier only (SPEC section 10); without keys the
            // persistent tier refuses it with INVALID_BODY
            throw new StorageException(ErrorCode.INVALID_BODY, "'encrypt' is for persistent values only");
        }
        String version;
        if (r.tier == Tier.EPHEMERAL) {
            long ttl = ttlOf(body);
            version = r.ephemeral().setJson(r.key, body.value(), ttl, condition);
        } else {
            version = r.persistent().setJson(r.key, body.value(), condition, body.encrypt());
        }
        EntityTags.send(ctx, version);
        JsonResponses.message(ctx, "Value stored successfully");
    }

    void delete(Context ctx) {
        Request r = request(ctx);
        Precondition condition = EntityTags.precondition(ctx);
        if (r.tier == Tier.EPHEMERAL) {
            r.ephemeral().remove(r.key, condition);
        } else {
            r.persistent().remove(r.key, condition);
        }
        JsonResponses.message(ctx, "Value deleted successfully");
    }

    /**
     * {@code GET .../{tier}?prefix=&page=&page_size=}: one page of the scope's entries, streamed: {@code {"result":[{"key":..,
     * "value":..},..],"count":N}} is written to the response while the store reads the rows, so a page is never
     * held in memory, neither as entries nor as text. Every error the store finds before the first entry
     * ({@code PAGE_TOO_LARGE} among them) is answered as usual; so is a store failure while the page written so far
     * is still in the server's buffer. Once part of the page has been sent, the status can no longer change, so
     * the response is broken off: the client sees a broken response, never a short page that looks whole. A
     * client that goes away ends the listing quietly. {@code GET .../ephemeral} lists the same way (by key);
     * {@code prefix} keeps only keys starting with it, literally (SPEC section 9).
     */
    void list(Context ctx) {
        Tier tier = tier(ctx);
        ExtensionStorage storage = storage(ctx, RequestGuard.principal(ctx));
        Paging paging = Paging.parse(ctx.queryParam(RestPaths.PAGE_PARAM), ctx.queryParam(RestPaths.PAGE_SIZE_PARAM));
        String prefix = KeyPrefixes.parse(ctx.queryParam(RestPaths.PREFIX_PARAM));
        Scope scope = scope(ctx);
        ResourceRef resource = resource(ctx, tier);
        var body = new PageSink() {
            // OutputStreamWriter buffers (8 KiB) and encodes UTF-8 as it goes: stored text is written as it is.
            Writer out;
            long count;
            boolean first = true;

            @Override
            public void begin(long total, long pageBytes) {
                // rows are streamed, a few at a time: the page's memory is at most a few of its largest values
                RequestGuard.holdMore(ctx, 2 * Math.min(pageBytes,
                        RequestGuard.COPIES_OF_A_VALUE * service.limits().maxValueBytes()));
                count = total;
                ctx.status(200).contentType(JsonResponses.JSON);
                out = new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8);
                write("{\"result\":[");
            }

            @Override
            public void entry(String key, String json) {
                write(first ? "{\"key\":" : ",{\"key\":");
                first = false;
                write(JsonResponses.quote(key));
                write(",\"value\":");
                write(JsonResponses.answerValue(json));
                write(StoredValues.isBinary(json) ? ",\"isBinary\":true}" : "}");
            }

            @Override
            public void end() {
                write("],\"count\":" + count + "}");
                try {
                    out.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            private void write(String text) {
                try {
                    out.write(text);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        try {
            if (tier == Tier.EPHEMERAL) {
                ephemeral(storage, scope).list(prefix, paging, body);
            } else {
                persistent(storage, scope, resource).list(prefix, paging, body);
            }
        } catch (UncheckedIOException clientGone) {
            // Only the sink writes to the client: it went away or stopped reading. Nobody is left to answer, and
            // Jetty closes the connection; nothing else to do.
        } catch (RuntimeException e) {
            if (body.out == null) {
                throw e;
            }
            if (!ctx.res().isCommitted() && ctx.res().getHeader("Content-Encoding") == null) {
                // Nothing has left the server and no encoder holds state: drop the partial page, answer the error.
                ctx.res().resetBuffer();
                throw e;
            }
            // The status and part of the page are out: break the response off rather than end it normally.
            ServletContextRequest.getServletContextRequest(ctx.req()).getServletChannel().abort(e);
        }
    }

    /** PUT or DELETE on the tier itself: the key is empty. */
    void emptyKey(Context ctx) {
        tier(ctx);
        storage(ctx, RequestGuard.principal(ctx));
        throw new StorageException(ErrorCode.INVALID_KEY, "Key must not be empty");
    }

    private Request request(Context ctx) {
        Tier tier = tier(ctx);
        ExtensionStorage storage = storage(ctx, RequestGuard.principal(ctx));
        String key = RestPaths.decodeKey(RequestGuard.path(ctx).rawKey());
        return new Request(tier, storage, key, scope(ctx), resource(ctx, tier));
    }

    /**
     * The resource the query names (SPEC section 10), {@code null} for none: both parameters or neither, the
     * persistent tier only; else {@code INVALID_QUERY}.
     */
    static ResourceRef resource(Context ctx, Tier tier) {
        String type = ctx.queryParam(ResourceRef.TYPE_PARAM);
        String uuid = ctx.queryParam(ResourceRef.UUID_PARAM);
        if (tier == Tier.EPHEMERAL && (type != null || uuid != null)) {
            throw new StorageException(ErrorCode.INVALID_QUERY,
                    "resource_type and resource_uuid are for the persistent tier only");
        }
        return ResourceRef.fromParams(type, uuid);
    }

    static Scope scope(Context ctx) {
        return Scope.fromSharedParam(ctx.queryParam(RestPaths.SHARED_PARAM));
    }

    static Tier tier(Context ctx) {
        return RequestGuard.tier(RequestGuard.path(ctx).tier());
    }

    private ExtensionStorage storage(Context ctx, Principal principal) {
        return storage(service, ctx, principal);
    }

    /** The caller's storage of the extension the path names. */
    static ExtensionStorage storage(StorageService service, Context ctx, Principal principal) {
        RestPaths.StoragePath path = RequestGuard.path(ctx);
        ExtensionId id = ExtensionId.of(path.publisher(), path.name());
        return service.forCaller(id, Caller.of(principal));
    }

    // Every part of the path is taken from the raw URI (RestPaths.parseStoragePath, in the guard), not from the
    // router's decoded path parameters, so that %2F and + mean what RFC 3986 says and decoding happens once, by
    // the shared rule.

    /**
     * The TTL member of a body: an integer number of seconds ({@code 300} or {@code 3e2}, not {@code "300"} or
     * {@code 1.5}), read from its text without expanding it. Its range is the Java API's to check, once.
     */
    static long ttlOf(PutBody body) {
        if (!body.ttlPresent()) {
            throw new StorageException(ErrorCode.INVALID_TTL, "Ephemeral values need 'ttl', in seconds");
        }
        if (!body.ttlNumber() || body.ttlSeconds() == JsonNumbers.NOT_WHOLE) {
            throw new StorageException(ErrorCode.INVALID_TTL, "'ttl' must be an integer number of seconds");
        }
        return body.ttlSeconds();
    }

    /**
     * A storage request, its checks passed: the tier, the caller's storage, the decoded key, the scope and the
     * resource ({@code null}: plain).
     */
    private record Request(Tier tier, ExtensionStorage storage, String key, Scope scope, ResourceRef resource) {
        EphemeralStorage ephemeral() {
            return StorageHandlers.ephemeral(storage, scope);
        }

        PersistentStorage persistent() {
            return StorageHandlers.persistent(storage, scope, resource);
        }
    }

    /** The ephemeral tier of {@code storage} in {@code scope}. */
    static EphemeralStorage ephemeral(ExtensionStorage storage, Scope scope) {
        return scope == Scope.SHARED ? storage.ephemeral().shared() : storage.ephemeral();
    }

    /** The persistent tier of {@code storage} in {@code scope}, the entries of {@code resource} ({@code null}: plain). */
    static PersistentStorage persistent(ExtensionStorage storage, Scope scope, ResourceRef resource) {
        PersistentStorage plainOrResource = storage.persistent().forResource(resource);
        return scope == Scope.SHARED ? plainOrResource.shared() : plainOrResource;
    }
}
