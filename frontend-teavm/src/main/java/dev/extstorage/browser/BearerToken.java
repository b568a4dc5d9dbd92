package dev.extstorage.browser;

import org.teavm.jso.JSObject;
import org.teavm.jso.core.JSPromise;

/**
 * The extension-bound token (SPEC section 12) of one context, from the host's {@code token} option (a fixed
 * token) and/or {@code getToken} (a function returning, or resolving to, {@code {token, expiresIn}} or a token
 * string). Server-tier requests and the change stream send it as {@code Authorization: Bearer}.
 *
 * <p>Renewal, so that no request is sent with a token about to lapse: a token is renewed, on the next request,
 * once {@value #RENEW_AT} of its lifetime has passed (at once if it has none left); its lifetime is {@code expiresIn}, or else the JWT's
 * {@code exp} claim, or else unknown (then it is renewed only after a 401). A 401 answer invalidates the token
 * so the request is sent once more with a fresh one. Concurrent requests share one {@code getToken()} call.
 * Without {@code getToken} the fixed token is sent as it is and never renewed.
 */
final class BearerToken {
    /** The share of a token's lifetime after which it is renewed. */
    static final double RENEW_AT = 0.8;

    private final JSObject getToken;
    /** The token to send (a JavaScript string), {@code null} before the first {@code getToken()}. */
    private JSObject token;
    /** Epoch milliseconds from which {@link #token} is renewed before use. */
    private double renewAt;
    private JSPromise<JSObject> pending;

    private BearerToken(JSObject token, JSObject getToken) {
        this.token = token;
        this.getToken = getToken;
        this.renewAt = token == null ? 0 : renewAt(Js.now(), JsTokens.jwtLifetimeSeconds(token, Js.now()));
    }

    /**
     * The context's token from the host's options, {@code null} when neither option is given.
     *
     * @throws InvalidOptionsException if {@code token} is not a non-empty string or {@code getToken} not a function
     */
    static BearerToken of(JSObject options) {
        JSObject token = Js.get(options, "token");
        JSObject getToken = Js.get(options, "getToken");
        if (!Js.isNullish(token) && !(Js.isString(token) && !Js.asString(token).isEmpty())) {
            throw new InvalidOptionsException("token must be a non-empty string");
        }
        if (!Js.isNullish(getToken) && !"function".equals(Js.typeOf(getToken))) {
            throw new InvalidOptionsException("getToken must be a function returning (a promise of)"
                    + " {token, expiresIn} or a token string");
        }
        if (Js.isNullish(token) && Js.isNullish(getToken)) {
            return null;
        }
        return new BearerToken(Js.isNullish(token) ? null : token, Js.isNullish(getToken) ? null : getToken);
    }

    /**
     * When a token obtained at {@code obtainedMillis} that lives {@code lifetimeSeconds} is due for renewal:
     * after {@value #RENEW_AT} of its lifetime, at once for a lifetime of 0 or less (already lapsed), never
     * (infinity) for an unknown ({@code NaN}) one, which is renewed only after a 401.
     */
    static double renewAt(double obtainedMillis, double lifetimeSeconds) {
        if (Double.isNaN(lifetimeSeconds)) {
            return Double.POSITIVE_INFINITY;
        }
        return obtainedMillis + Math.max(0, lifetimeSeconds) * 1000 * RENEW_AT;
    }

    /** Whether a 401 is worth one more attempt: only {@code getToken} can bring a different token. */
    boolean renewable() {
        return getToken != null;
    }

    /** After a 401: the next request fetches a new token (unless a fetch is already under way). */
    void invalidate() {
        renewAt = 0;
    }

    /** The token to send now; rejects (with {@code getToken}'s reason) when it cannot be had. */
    JSPromise<JSObject> current() {
        double now = Js.now();
        if (token != null && (now < renewAt || getToken == null)) {
            return JSPromise.resolve(token);
        }
        if (pending == null) {
            pending = Promises.then(Js.apply(getToken, null), r -> {
                pending = null;
                return accept(r, now) ? JSPromise.resolve(token) : JSPromise.reject(Js.error("NOT_AUTHENTICATED",
                        "getToken() must resolve to {token, expiresIn} or a token string", -1, -1, null));
            }, e -> {
                pending = null;
                return JSPromise.reject(e);
            });
        }
        return pending;
    }

    /** Takes {@code getToken()}'s result as the token; {@code false} (nothing changed) if it holds none. */
    private boolean accept(JSObject result, double now) {
        JSObject t = Js.isObject(result) ? Js.get(result, "token") : result;
        if (!Js.isString(t) || Js.asString(t).isEmpty()) {
            return false;
        }
        JSObject expiresIn = Js.isObject(result) ? Js.get(result, "expiresIn") : null;
        token = t;
        renewAt = renewAt(now, Js.isNumber(expiresIn) ? Js.asNumber(expiresIn) : JsTokens.jwtLifetimeSeconds(t, now));
        return true;
    }
}
