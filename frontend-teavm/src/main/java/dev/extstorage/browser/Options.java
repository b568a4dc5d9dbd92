package dev.extstorage.browser;

import dev.extstorage.model.Limits;
import org.teavm.jso.JSObject;

/** Reads the host's options object, checking each member's JavaScript type before {@link ContextConfig}. */
final class Options {
    private Options() {
    }

    /** @throws InvalidOptionsException naming the first bad option */
    static ExtensionContext context(JSObject options) {
        if (!Js.isObject(options)) {
            throw new InvalidOptionsException("options must be an object"
                    + " {publisher, name, user, apiBase, keyPrefix, credentials, headers, limits, token, getToken, port}");
        }
        JSObject headers = Js.get(options, "headers");
        String headersType = Js.typeOf(headers);
        if (!Js.isNullish(headers) && !headersType.equals("object") && !headersType.equals("function")) {
            throw new InvalidOptionsException("headers must be an object or a function returning one");
        }
        JSObject limits = Js.get(options, "limits");
        if (!Js.isNullish(limits) && !Js.isObject(limits)) {
            throw new InvalidOptionsException("limits must be an object {maxTtlSeconds, maxValueBytes}");
        }
        ContextConfig config = ContextConfig.of(string(options, "publisher"), string(options, "name"),
                userId(Js.get(options, "user")), string(options, "apiBase"), string(options, "keyPrefix"),
                string(options, "credentials"), Js.isNullish(limits) ? Limits.defaults()
                        : ContextConfig.limits(number(limits, "maxTtlSeconds", Limits.DEFAULT_MAX_TTL_SECONDS),
                                number(limits, "maxValueBytes", Limits.DEFAULT_MAX_VALUE_BYTES)));
        JSObject port = Js.get(options, "port");
        if (!Js.isNullish(port)) {
            // a sandboxed frame: the host does the work, so credentials and server settings have no use here
            if (!JsBridge.isPort(port)) {
                throw new InvalidOptionsException("port must be the MessagePort the host gave this frame");
            }
            return new ExtensionContext(config, null, null, new Bridge(port));
        }
        BearerToken bearer = BearerToken.of(options);
        return new ExtensionContext(config, bearer == null ? headers : JsTokens.withBearer(headers, bearer::current),
                bearer, null);
    }

    /** The member's text, {@code null} when absent. */
    private static String string(JSObject options, String name) {
        JSObject v = Js.get(options, name);
        if (Js.isNullish(v)) {
            return null;
        }
        if (!"string".equals(Js.typeOf(v))) {
            throw new InvalidOptionsException(name + " must be a string");
        }
        return Js.asString(v);
    }

    /** The member's number, {@code absent} when nullish; {@link ContextConfig#limits} checks its value. */
    private static double number(JSObject options, String name, long absent) {
        JSObject v = Js.get(options, name);
        if (Js.isNullish(v)) {
            return absent;
        }
        if (!Js.isNumber(v)) {
            throw new InvalidOptionsException("limits." + name + " must be a positive integer");
        }
        return Js.asNumber(v);
    }

    /** {@code user.id} as text (a finite number is written in decimal), {@code null} for no user. */
    private static String userId(JSObject user) {
        if (Js.isNullish(user)) {
            return null;
        }
        if (!Js.isObject(user)) {
            throw new InvalidOptionsException("user must be an object {id} or null");
        }
        JSObject id = Js.get(user, "id");
        if (Js.isNullish(id)) {
            return null;
        }
        String type = Js.typeOf(id);
        if (type.equals("string")) {
            return Js.asString(id);
        }
        double n = type.equals("number") ? Js.asNumber(id) : Double.NaN;
        if (Double.isNaN(n) || Double.isInfinite(n)) {
            throw new InvalidOptionsException("user.id must be a string or a finite number");
        }
        return Js.numberToString(n);
    }
}
