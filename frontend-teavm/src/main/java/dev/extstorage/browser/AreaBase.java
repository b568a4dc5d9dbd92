package dev.extstorage.browser;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.JsonValues;
import dev.extstorage.model.Scope;
import dev.extstorage.model.StorageException;
import dev.extstorage.model.StoredValues;
import dev.extstorage.model.Tier;
import org.teavm.jso.JSObject;
import org.teavm.jso.core.JSPromise;

/**
 * What every area is built on, beside the methods JavaScript calls ({@link StorageArea}): its context, scope,
 * tier and resource, the user it acts for, the stored text of a value, and the rejections it answers with.
 */
abstract class AreaBase {
    final ExtensionContext context;
    final Scope scope;
    final Tier tier;
    /** The resource whose entries this area holds (SPEC section 10, persistent only), {@code null}: plain. */
    final dev.extstorage.model.ResourceRef resource;

    AreaBase(ExtensionContext context, Scope scope, Tier tier, dev.extstorage.model.ResourceRef resource) {
        this.context = context;
        this.scope = scope;
        this.tier = tier;
        this.resource = resource;
    }

    /**
     * The stored text of a value: its JSON text, or for a {@code Uint8Array}/{@code ArrayBuffer} the binary form
     * of {@link StoredValues} (the limit counting decoded bytes).
     *
     * @throws StorageException unless JSON can carry it, within the limit
     */
    final String jsonText(JSObject value) {
        JSObject base64 = BinaryValues.base64Of(value);
        if (base64 != null) {
            return StoredValues.binary(StoredValues.requireBinary(Js.asString(base64),
                    context.config.limits.maxValueBytes()));
        }
        JSObject json = Js.stringify(value);
        if (Js.isObject(json)) {
            throw new StorageException(ErrorCode.INVALID_VALUE, Js.asString(Js.get(json, "e")));
        }
        String text = Js.asString(json);
        JsonValues.requireValid(text, context.config.limits.maxValueBytes());
        return text;
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

    @SuppressWarnings("unchecked")
    static <T> JSPromise<T> cast(JSPromise<?> p) {
        return (JSPromise<T>) p;
    }

    /** {@code PRECONDITION_FAILED} with the entry's {@code current} version ({@code null}: absent). */
    static JSPromise<Object> conflict(String current) {
        return JSPromise.reject(Js.error(ErrorCode.PRECONDITION_FAILED.name(), current == null
                ? "The entry does not exist (any more)" : "The entry has changed: its version is " + current,
                -1, -1, Js.versionDetails(current)));
    }
}
