package dev.extstorage.browser;

import dev.extstorage.model.RestPaths;
import dev.extstorage.model.Scope;
import dev.extstorage.model.StorageException;
import dev.extstorage.model.Tier;
import org.teavm.jso.JSExport;
import org.teavm.jso.JSObject;
import org.teavm.jso.JSProperty;
import org.teavm.jso.core.JSPromise;

/**
 * What {@code getContext()} returns: one extension's identity and its {@code storage} with the four tiers,
 * each bound to the extension, the current user and the host's API settings.
 */
final class ExtensionContext {
    final ContextConfig config;
    /**
     * The host's {@code headers} option (nullish, an object, or a function called per request), with the
     * bearer token added when there is one ({@link JsTokens#withBearer}).
     */
    final JSObject headers;
    /** The extension-bound token {@link #headers} carries, {@code null} when the host gave none. */
    final BearerToken bearer;
    /**
     * In a sandboxed frame, the port to the host every call goes through ({@link RemoteArea}); {@code null} for
     * a context that does its own work (in the page, or the host's side of a bridge).
     */
    final Bridge bridge;
    /** The change listeners of every area of this context. */
    final Changes changes;
    private final Tiers storage;

    ExtensionContext(ContextConfig config, JSObject headers, BearerToken bearer, Bridge bridge) {
        this.config = config;
        this.headers = headers;
        this.bearer = bearer;
        this.bridge = bridge;
        this.changes = new Changes(this);
        this.storage = bridge == null ? new Tiers(this) : Tiers.remote(this);
    }

    @JSExport
    @JSProperty
    public String getPublisher() {
        return config.extension.publisher();
    }

    @JSExport
    @JSProperty
    public String getName() {
        return config.extension.name();
    }

    /** {@code publisher.name} */
    @JSExport
    @JSProperty
    public String getId() {
        return config.extension.id();
    }

    /** The signed-in user's id, or {@code null}. */
    @JSExport
    @JSProperty
    public String getUserId() {
        return config.userId;
    }

    @JSExport
    @JSProperty
    public Tiers getStorage() {
        return storage;
    }

    /** {@code ctx.storage}: the four tiers, user scope, each with its {@code shared} twin. */
    static final class Tiers {
        private final ExtensionContext context;
        private final StorageArea local;
        private final StorageArea session;
        private final StorageArea ephemeral;
        private final StorageArea persistent;

        private Tiers(ExtensionContext c, StorageArea local, StorageArea session, StorageArea ephemeral,
                StorageArea persistent) {
            context = c;
            this.local = local;
            this.session = session;
            this.ephemeral = ephemeral;
            this.persistent = persistent;
        }

        /** The tiers of a sandboxed frame's context: each a {@link RemoteArea} over the context's bridge. */
        static Tiers remote(ExtensionContext c) {
            c.bridge.deliverTo(c.changes);
            return new Tiers(c, remotePair(c, Tier.LOCAL), remotePair(c, Tier.SESSION),
                    remotePair(c, Tier.EPHEMERAL), pair(new RemoteArea.Persistent(c, Scope.USER, null),
                            new RemoteArea.Persistent(c, Scope.SHARED, null)));
        }

        private static StorageArea remotePair(ExtensionContext c, Tier tier) {
            return pair(new RemoteArea(c, Scope.USER, tier, null), new RemoteArea(c, Scope.SHARED, tier, null));
        }

        Tiers(ExtensionContext c) {
            context = c;
            BrowserArea localUser = new BrowserArea(c, Scope.USER, false);
            BrowserArea localShared = new BrowserArea(c, Scope.SHARED, false);
            c.changes.watchLocal(localUser, localShared);
            local = pair(localUser, localShared);
            session = pair(new BrowserArea(c, Scope.USER, true), new BrowserArea(c, Scope.SHARED, true));
            ephemeral = pair(new ServerArea(c, Scope.USER, Tier.EPHEMERAL),
                    new ServerArea(c, Scope.SHARED, Tier.EPHEMERAL));
            persistent = pair(new PersistentArea(c, Scope.USER), new PersistentArea(c, Scope.SHARED));
        }

        /**
         * {@code ctx.storage.usage()}: the server's usage record (SPEC section 9: {@code persistent} and
         * {@code ephemeral}, each {@code {bytes, entries, quota, userBytes, userQuota}}) plus {@code local} and
         * {@code session}: {@code {bytes, userBytes, sharedBytes}} of this extension's slots, the signed-in
         * user's and the shared ones, counted as browsers count their quota: 2 bytes per UTF-16 code unit of
         * storage key plus stored text ({@code null} when that storage cannot be used). Rejects as the server
         * tiers do ({@code NOT_AUTHENTICATED} without a user, before any request).
         */
        @JSExport
        public JSPromise<Object> usage() {
            try {
                persistent.requireUser();
            } catch (StorageException e) {
                return StorageArea.rejected(e);
            }
            if (context.bridge != null) {
                return context.bridge.call(null, null, null, "usage", Js.array());
            }
            ServerArea user = (ServerArea) persistent;
            ContextConfig config = context.config;
            JSObject localBytes = bytes((BrowserArea) local, (BrowserArea) local.getShared());
            JSObject sessionBytes = bytes((BrowserArea) session, (BrowserArea) session.getShared());
            return Promises.then(user.send("GET", RestPaths.usageUrl(config.apiBase, config.extension), null,
                    ServerArea.BODY, null, null), body -> {
                        JSObject result = Js.get(body, "result");
                        Js.set(result, "local", localBytes);
                        Js.set(result, "session", sessionBytes);
                        return result;
                    });
        }

        private static JSObject bytes(BrowserArea user, BrowserArea shared) {
            double u = WebStorage.bytes(user.session, user.keyPrefix);
            double s = WebStorage.bytes(shared.session, shared.keyPrefix);
            return u < 0 || s < 0 ? null : Js.browserUsage(u + s, u, s);
        }

        /** {@code ctx.storage.onChange(listener)}: the changes of every tier and scope. */
        @JSExport
        public Js.Unsubscribe onChange(JSObject listener) {
            return context.changes.add(null, null, null, listener);
        }

        private static StorageArea pair(StorageArea user, StorageArea shared) {
            user.setShared(shared);
            return user;
        }

        @JSExport
        @JSProperty
        public StorageArea getLocal() {
            return local;
        }

        @JSExport
        @JSProperty
        public StorageArea getSession() {
            return session;
        }

        @JSExport
        @JSProperty
        public StorageArea getEphemeral() {
            return ephemeral;
        }

        @JSExport
        @JSProperty
        public StorageArea getPersistent() {
            return persistent;
        }
    }
}
