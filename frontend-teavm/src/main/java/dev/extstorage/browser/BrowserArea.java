package dev.extstorage.browser;

import dev.extstorage.model.BrowserKeys;
import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.Scope;
import org.teavm.jso.JSObject;
import org.teavm.jso.core.JSPromise;

/**
 * {@code local} ({@code localStorage}) or {@code session} ({@code sessionStorage}): entries under the SPEC
 * section 2 key layout, values as {@code JSON.stringify} text. The work is synchronous; the promise only keeps
 * the API the same as the server tiers'.
 */
final class BrowserArea extends StorageArea {
    private final boolean session;
    /**
     * {@link BrowserKeys#storageKey} of the empty key: the layout puts the key last, so a key's storage key is
     * this plus the key. Computed once because the context's prefix, extension and user never change; joined
     * with the key in JavaScript so the hot path builds no Java string. {@code null} for the user scope with no
     * user signed in, where {@link #requireUser()} rejects before any storage call.
     */
    private final String keyPrefix;

    BrowserArea(ExtensionContext context, Scope scope, boolean session) {
        super(context, scope);
        this.session = session;
        ContextConfig c = context.config;
        String user = scope == Scope.SHARED ? null : c.userId;
        keyPrefix = scope == Scope.SHARED || user != null
                ? BrowserKeys.storageKey(c.keyPrefix, c.extension, scope, user, "") : null;
    }

    @Override
    JSPromise<Object> read(String key) {
        JSPromise<Object> value = Js.storageRead(session, keyPrefix, key);
        if (!Js.isNumber(value)) {
            return value;
        }
        if (Js.asNumber(value) == Js.UNAVAILABLE) {
            return unavailable();
        }
        // another script may have written the slot: a reader gets an error it can act on (remove), not garbage
        return rejected(ErrorCode.INVALID_VALUE, "The stored value of key '" + key + "' is not valid JSON");
    }

    @Override
    JSPromise<Object> write(String key, String json, long ttl) {
        int outcome = Js.storageSet(session, keyPrefix, key, json);
        if (outcome == Js.QUOTA) {
            return rejected(ErrorCode.QUOTA_EXCEEDED, "The browser storage quota is full; nothing was changed");
        }
        return outcome == Js.STORED ? JSPromise.resolve(Js.undefined()) : unavailable();
    }

    @Override
    JSPromise<Object> delete(String key) {
        return Js.storageRemove(session, keyPrefix, key) ? JSPromise.resolve(Js.undefined()) : unavailable();
    }

    private JSPromise<Object> unavailable() {
        return rejected(ErrorCode.STORE_UNAVAILABLE,
                (session ? "sessionStorage" : "localStorage") + " is not available in this browser context");
    }
}
