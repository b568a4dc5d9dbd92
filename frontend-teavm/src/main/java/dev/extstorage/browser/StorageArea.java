package dev.extstorage.browser;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.JsonValues;
import dev.extstorage.model.Scope;
import dev.extstorage.model.StorageException;
import dev.extstorage.model.StorageKeys;
import org.teavm.jso.JSExport;
import org.teavm.jso.JSObject;
import org.teavm.jso.JSProperty;
import org.teavm.jso.core.JSPromise;

/**
 * One tier in one scope as JavaScript sees it: {@code get}, {@code set}, {@code remove} and {@code shared}.
 * The exported methods receive raw JavaScript arguments, so they check every argument here, before a subclass
 * touches storage or the network, and turn every rule broken into a rejected promise rather than a throw.
 */
abstract class StorageArea {
    final ExtensionContext context;
    final Scope scope;
    private StorageArea shared;

    StorageArea(ExtensionContext context, Scope scope) {
        this.context = context;
        this.scope = scope;
    }

    /** Connects a user-scope area to its shared twin; the shared area is its own {@code shared}. */
    final void setShared(StorageArea shared) {
        this.shared = shared;
    }

    @JSExport
    @JSProperty
    public final StorageArea getShared() {
        return shared == null ? this : shared;
    }

    @JSExport
    public final JSPromise<Object> get(JSObject key) {
        try {
            String k = requireKey(key);
            requireUser();
            return read(k);
        } catch (StorageException e) {
            return rejected(e);
        }
    }

    @JSExport
    public final JSPromise<Object> set(JSObject key, JSObject value, JSObject options) {
        try {
            String k = requireKey(key);
            JSObject json = Js.stringify(value);
            if (Js.isObject(json)) {
                throw new StorageException(ErrorCode.INVALID_VALUE, Js.asString(Js.get(json, "e")));
            }
            String text = Js.asString(json);
            JsonValues.requireValid(text, context.config.limits.maxValueBytes());
            long ttl = ttl(options);
            requireUser();
            return write(k, text, ttl);
        } catch (StorageException e) {
            return rejected(e);
        }
    }

    @JSExport
    public final JSPromise<Object> remove(JSObject key) {
        try {
            String k = requireKey(key);
            requireUser();
            return delete(k);
        } catch (StorageException e) {
            return rejected(e);
        }
    }

    /** Resolves to the value or {@code null}. */
    abstract JSPromise<Object> read(String key);

    /** {@code ttl} as returned by {@link #ttl}. */
    abstract JSPromise<Object> write(String key, String json, long ttl);

    abstract JSPromise<Object> delete(String key);

    /** The TTL {@code set}'s options give, or 0 where the tier has none; checked before anything is written. */
    long ttl(JSObject options) {
        return 0;
    }

    static String requireKey(JSObject key) {
        if (!Js.isString(key)) {
            throw new StorageException(ErrorCode.INVALID_KEY, "Key must be a string, got " + Js.typeOf(key));
        }
        return StorageKeys.requireValid(Js.asString(key));
    }

    /** The user id for this scope: {@code null} for shared, else the signed-in user. */
    final String requireUser() {
        if (scope == Scope.SHARED) {
            return null;
        }
        if (context.config.userId == null) {
            throw new StorageException(ErrorCode.NOT_AUTHENTICATED, "No user is signed in");
        }
        return context.config.userId;
    }

    static JSPromise<Object> rejected(StorageException e) {
        JSObject details = e.limit() >= 0 ? Js.limits(e.limit(), e.actual()) : null;
        return JSPromise.reject(Js.error(e.code().name(), e.getMessage(), -1, -1, details));
    }

    static JSPromise<Object> rejected(ErrorCode code, String message) {
        return JSPromise.reject(Js.error(code.name(), message, -1, -1, null));
    }
}
