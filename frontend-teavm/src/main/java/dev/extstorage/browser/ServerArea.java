package dev.extstorage.browser;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.Paging;
import dev.extstorage.model.RestPaths;
import dev.extstorage.model.Scope;
import dev.extstorage.model.Tier;
import org.teavm.jso.JSObject;
import org.teavm.jso.core.JSPromise;

/**
 * {@code ephemeral} or {@code persistent}: the REST API of SPEC section 3 through {@code fetch}, with the
 * context's credentials mode and headers (and bearer token: after a 401 it is renewed and the request sent once
 * more, see {@link BearerToken}). Error answers reject with the server's code (see {@link HttpErrors}),
 * the HTTP status, the {@code Retry-After} seconds as {@code retryAfter} when the answer has that header, and
 * the body's {@code limit}, {@code actual} and {@code version}; versions are the {@code ETag}s (SPEC section 8),
 * conditions the {@code If-Match} / {@code If-None-Match} headers; no answer at all rejects with
 * {@code STORE_UNAVAILABLE} and status 0.
 */
class ServerArea extends StorageArea {
    /** What a successful answer resolves to. */
    static final int RESULT = 0;
    static final int NOTHING = 1;
    static final int BODY = 2;
    /** {@link Js#entry} of the result and the {@code ETag}, or {@code null} for a {@code null} result. */
    static final int ENTRY = 3;

    ServerArea(ExtensionContext context, Scope scope, Tier tier) {
        super(context, scope, tier);
    }

    ServerArea(ExtensionContext context, Scope scope, Tier tier, dev.extstorage.model.ResourceRef resource) {
        super(context, scope, tier, resource);
    }

    @Override
    long ttl(JSObject options) {
        return tier == Tier.EPHEMERAL ? CallOptions.ttl(options, context.config.limits) : 0;
    }

    private String url(String key) {
        ContextConfig c = context.config;
        return RestPaths.withResource(RestPaths.keyUrl(c.apiBase, c.extension, tier, key, scope), resource);
    }

    @Override
    JSPromise<Object> listPage(String prefix, Paging paging) {
        ContextConfig c = context.config;
        return send("GET", RestPaths.withResource(RestPaths.listUrl(c.apiBase, c.extension, tier, scope, prefix,
                paging.page(), paging.pageSize()), resource), null, BODY, null, null);
    }

    @Override
    JSPromise<Object> read(String key) {
        return send("GET", url(key), null, RESULT, null, null);
    }

    @Override
    JSPromise<JSObject> readEntry(String key) {
        return cast(send("GET", url(key), null, ENTRY, null, null));
    }

    /** A condition becomes {@code If-Match: "<version>"}, or {@code If-None-Match: *} for "only if absent". */
    @Override
    JSPromise<Object> write(String key, String json, long ttl, boolean conditional, String ifVersion,
            boolean encrypt) {
        return send("PUT", url(key), Arguments.putBody(json, ttl, encrypt), NOTHING,
                conditional && ifVersion != null ? Versions.toEtag(ifVersion) : null,
                conditional && ifVersion == null ? "*" : null);
    }

    @Override
    JSPromise<Object> delete(String key, boolean conditional, String ifVersion) {
        return send("DELETE", url(key), null, NOTHING, conditional ? Versions.toEtag(ifVersion) : null, null);
    }

    /** A batch is one {@code POST} on the tier (README "Batches"), in this area's scope and resource. */
    private String batchUrl() {
        ContextConfig c = context.config;
        return RestPaths.withResource(RestPaths.batchUrl(c.apiBase, c.extension, tier, scope), resource);
    }

    private static String keysBody(String op, String[] keys) {
        StringBuilder b = new StringBuilder("{\"op\":\"").append(op).append("\",\"keys\":[");
        for (int i = 0; i < keys.length; i++) {
            b.append(i == 0 ? "" : ",").append(JsBatch.quote(keys[i]));
        }
        return b.append("]}").toString();
    }

    @Override
    JSPromise<Object> readMany(String[] keys) {
        return Promises.then(send("POST", batchUrl(), keysBody("get", keys), BODY, null, null),
                body -> byKey(body, "value"));
    }

    @Override
    JSPromise<Object> writeMany(String[] keys, String[] texts, long ttl,
            boolean encrypt) {
        StringBuilder b = new StringBuilder("{\"op\":\"set\",\"entries\":[");
        for (int i = 0; i < keys.length; i++) {
            // a PUT body's members ({"value", "isBinary"?, "ttl"?, "encrypt"?}) after the entry's key
            b.append(i == 0 ? "{\"key\":" : ",{\"key\":").append(JsBatch.quote(keys[i])).append(',')
                    .append(Arguments.putBody(texts[i], ttl, encrypt).substring(1));
        }
        return Promises.then(send("POST", batchUrl(), b.append("]}").toString(), BODY, null, null),
                body -> byKey(body, "version"));
    }

    @Override
    JSPromise<Object> deleteMany(String[] keys) {
        return send("POST", batchUrl(), keysBody("remove", keys), NOTHING, null, null);
    }

    /** {@code {key: member}} of a batch answer's {@code results}, binary values as bytes, missing ones null. */
    private static JSObject byKey(JSObject body, String member) {
        JSObject results = Js.get(body, "results");
        JSObject out = JsBatch.object();
        int n = Js.isArray(results) ? Js.length(results) : 0;
        for (int i = 0; i < n; i++) {
            JSObject r = Js.at(results, i);
            JSObject v = Js.get(r, member);
            if (Js.isTrue(Js.get(r, "isBinary")) && Js.isString(v)) {
                v = BinaryValues.fromBase64(Js.asString(v));
            }
            JsBatch.put(out, Js.asString(Js.get(r, "key")), Js.isUndefined(v) ? null : v);
        }
        return out;
    }

    final JSPromise<Object> send(String method, String url, String body, int answer, String ifMatch,
            String ifNoneMatch) {
        ContextConfig c = context.config;
        JSPromise<JSObject> exchange = Js.fetchText(url, method, body, c.credentials, context.headers, ifMatch,
                ifNoneMatch);
        BearerToken bearer = context.bearer;
        if (bearer != null && bearer.renewable()) {
            // a token revoked or lapsed early (clock skew) gets one more attempt with a fresh one
            exchange = Promises.then(exchange, r -> {
                if (Js.asNumber(Js.get(r, "status")) != 401) {
                    return JSPromise.resolve(r);
                }
                bearer.invalidate();
                return Js.fetchText(url, method, body, c.credentials, context.headers, ifMatch, ifNoneMatch);
            });
        }
        return Promises.then(exchange, r -> {
            int status = (int) Js.asNumber(Js.get(r, "status"));
            String text = Js.asString(Js.get(r, "text"));
            if (status == 0) {
                return JSPromise.reject(Js.error(ErrorCode.STORE_UNAVAILABLE.name(),
                        "The storage server could not be reached: " + text, 0, -1, r));
            }
            JSObject parsed = Js.parse(text);
            JSObject json = parsed == null ? null : Js.get(parsed, "v");
            if (status >= 200 && status < 300) {
                if (answer == NOTHING) {
                    return JSPromise.resolve(Js.undefined());
                }
                if (json == null || !Js.isObject(json)) {
                    return JSPromise.reject(Js.error(ErrorCode.STORE_UNAVAILABLE.name(),
                            "The storage server answered with no JSON object", status, retryAfter(r), null));
                }
                if (answer == BODY) {
                    BinaryValues.decodeListing(json);
                    return JSPromise.resolve(json);
                }
                JSObject result = Js.get(json, "result");
                if (Js.isNullish(result)) {
                    return JSPromise.resolve(null);
                }
                if (Js.isTrue(Js.get(json, "isBinary")) && Js.isString(result)) {
                    result = BinaryValues.fromBase64(Js.asString(result));
                }
                if (answer == ENTRY) {
                    JSObject etag = Js.get(r, "etag");
                    return JSPromise.resolve(Js.entry(result, Versions.fromEtag(Js.isString(etag)
                            ? Js.asString(etag) : null)));
                }
                return JSPromise.resolve(result);
            }
            boolean structured = json != null && Js.isObject(json);
            String code = HttpErrors.code(status, structured ? stringMember(json, "code") : null);
            String message = HttpErrors.message(status, structured ? stringMember(json, "message") : null);
            return JSPromise.reject(Js.error(code, message, status, retryAfter(r), structured ? json : null));
        });
    }

    /** The seconds of the answer's {@code Retry-After} header, or -1 if it has none or garbage. */
    private static int retryAfter(JSObject r) {
        JSObject h = Js.get(r, "retryAfter");
        return Js.isString(h) ? HttpErrors.retryAfter(Js.asString(h), Js.now()) : -1;
    }

    private static String stringMember(JSObject o, String name) {
        JSObject v = Js.get(o, name);
        return "string".equals(Js.typeOf(v)) ? Js.asString(v) : null;
    }
}
