package dev.extstorage.browser;

import dev.extstorage.model.Paging;
import dev.extstorage.model.ResourceRef;
import dev.extstorage.model.Scope;
import dev.extstorage.model.Tier;
import org.teavm.jso.JSExport;
import org.teavm.jso.JSObject;
import org.teavm.jso.core.JSPromise;

/**
 * One tier and scope of a sandboxed extension's context: the {@link StorageArea} API unchanged (arguments are
 * checked here first, as in the page, and again by the host), each call carried over the context's
 * {@link Bridge} to the host, which serves it from its own Web Storage or the server. {@code update} works as
 * everywhere: conditional writes retried on conflict. Values go as their stored JSON text, so the host checks
 * exactly what would be stored.
 */
class RemoteArea extends StorageArea {
    RemoteArea(ExtensionContext context, Scope scope, Tier tier, ResourceRef resource) {
        super(context, scope, tier, resource);
    }

    private JSPromise<Object> call(String method, JSObject args) {
        return context.bridge.call(tier, scope, resource, method, args);
    }

    @Override
    long ttl(JSObject options) {
        return tier == Tier.EPHEMERAL ? CallOptions.ttl(options, context.config.limits) : 0;
    }

    @Override
    JSPromise<Object> listPage(String prefix, Paging paging) {
        return call("list", JsBridge.listArgs(prefix, paging.page(), paging.pageSize()));
    }

    @Override
    JSPromise<Object> read(String key) {
        return call("get", JsBridge.args(key));
    }

    @Override
    JSPromise<JSObject> readEntry(String key) {
        return cast(call("getEntry", JsBridge.args(key)));
    }

    @Override
    JSPromise<Object> write(String key, String json, long ttl, boolean conditional, String ifVersion,
            boolean encrypt) {
        return call("set", JsBridge.setArgs(key, json, ttl, conditional, ifVersion, encrypt));
    }

    @Override
    JSPromise<Object> delete(String key, boolean conditional, String ifVersion) {
        return call("remove", JsBridge.removeArgs(key, conditional, ifVersion));
    }

    /** A batch's keys (and values, as their stored JSON texts) travel as JSON array texts: one argument each. */
    @Override
    JSPromise<Object> readMany(String[] keys) {
        return call("getMany", JsBridge.args(JsBatch.json(keys)));
    }

    @Override
    JSPromise<Object> writeMany(String[] keys, String[] texts, long ttl,
            boolean encrypt) {
        return call("setMany", JsBridge.setManyArgs(JsBatch.json(keys), JsBatch.json(texts), ttl, encrypt));
    }

    @Override
    JSPromise<Object> deleteMany(String[] keys) {
        return call("removeMany", JsBridge.args(JsBatch.json(keys)));
    }

    /** The persistent tier, whose entries may belong to a resource, as {@link PersistentArea}'s. */
    static final class Persistent extends RemoteArea {
        Persistent(ExtensionContext context, Scope scope, ResourceRef resource) {
            super(context, scope, Tier.PERSISTENT, resource);
        }

        /** As {@link PersistentArea#forResource}. */
        @JSExport
        public StorageArea forResource(JSObject type, JSObject uuid) {
            ResourceRef r = PersistentArea.resourceOf(type, uuid);
            Persistent user = new Persistent(context, Scope.USER, r);
            Persistent shared = new Persistent(context, Scope.SHARED, r);
            user.setShared(shared);
            return scope == Scope.SHARED ? shared : user;
        }
    }
}
