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

    BrowserArea(ExtensionContext context, Scope scope, boolean session) {
        super(context, scope);
        this.session = session;
    }

    private String storageKey(String key) {
        ContextConfig c = context.config;
        return BrowserKeys.storageKey(c.keyPrefix, c.extension, scope, requireUser(), key);
    }

    @Override
    JSPromise<Object> read(String key) {
        JSObject box = Js.storageGet(session, storageKey(key));
        if (box == null) {
            return unavailable();
        }
        JSObject stored = Js.get(box, "v");
        if (stored == null) {
            return JSPromise.resolve(null);
        }
        // another script may have written the slot: a reader gets an error it can act on (remove), not garbage
        JSObject parsed = Js.parse(Js.asString(stored));
        if (parsed == null) {
            return rejected(ErrorCode.INVALID_VALUE, "The stored value of key '" + key + "' is not valid JSON");
        }
        return JSPromise.resolve(Js.get(parsed, "v"));
    }

    @Override
    JSPromise<Object> write(String key, String json, long ttl) {
        int outcome = Js.storageSet(session, storageKey(key), json);
        if (outcome == Js.QUOTA) {
            return rejected(ErrorCode.QUOTA_EXCEEDED, "The browser storage quota is full; nothing was changed");
        }
        return outcome == Js.STORED ? JSPromise.resolve(Js.undefined()) : unavailable();
    }

    @Override
    JSPromise<Object> delete(String key) {
        return Js.storageRemove(session, storageKey(key)) ? JSPromise.resolve(Js.undefined()) : unavailable();
    }

    private JSPromise<Object> unavailable() {
        return rejected(ErrorCode.STORE_UNAVAILABLE,
                (session ? "sessionStorage" : "localStorage") + " is not available in this browser context");
    }
}
