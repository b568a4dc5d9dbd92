package dev.extstorage.browser;

import org.teavm.jso.JSBody;
import org.teavm.jso.JSFunctor;
import org.teavm.jso.JSObject;
import org.teavm.jso.core.JSPromise;

/** The JavaScript glue of {@link BearerToken}: reading a JWT's {@code exp}, adding the header to a request. */
final class JsTokens {
    private JsTokens() {
    }

    /**
     * Seconds from {@code nowMillis} to the {@code exp} claim of the JWT {@code token}, {@code NaN} if it is not
     * a JWT with a numeric {@code exp}. Read only to time the renewal: the server checks the signature.
     */
    @JSBody(params = {"token", "nowMillis"}, script = ""
            + "try { var $p = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');"
            + " var $exp = JSON.parse(atob($p + '==='.slice(($p.length + 3) % 4))).exp;"
            + " return typeof $exp === 'number' ? $exp - nowMillis / 1000 : NaN; } catch ($e) { return NaN; }")
    static native double jwtLifetimeSeconds(JSObject token, double nowMillis);

    /**
     * The {@code headers} value requests use (see {@link Js#fetchText}): a function resolving to the host's
     * {@code headers} (an object, a function of one or of a promise of one, or nullish) plus
     * {@code Authorization: Bearer <token>} with the token {@code supplier} resolves to.
     */
    @JSBody(params = {"headers", "supplier"}, script = ""
            + "return function () { return Promise.all([typeof headers === 'function' ? headers() : headers,"
            + " supplier()]).then(function ($a) { var $h = new Headers($a[0] || void 0);"
            + " $h.set('Authorization', 'Bearer ' + $a[1]); return $h; }); };")
    static native JSObject withBearer(JSObject headers, TokenSupplier supplier);

    /** What the request glue calls for the token of each request ({@link BearerToken#current}). */
    @JSFunctor
    interface TokenSupplier extends JSObject {
        JSPromise<JSObject> current();
    }
}
