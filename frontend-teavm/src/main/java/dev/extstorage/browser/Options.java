package dev.extstorage.browser;

import org.teavm.jso.JSObject;

/** Reads the host's options object, checking each member's JavaScript type before {@link ContextConfig}. */
final class Options {
    private Options() {
    }

    /** @throws InvalidOptionsException naming the first bad option */
    static ExtensionContext context(JSObject options) {
        if (!Js.isObject(options)) {
            throw new InvalidOptionsException(
                    "options must be an object {publisher, name, user, apiBase, keyPrefix, credentials, headers}");
        }
        JSObject headers = Js.get(options, "headers");
        String headersType = Js.typeOf(headers);
        if (!Js.isNullish(headers) && !headersType.equals("object") && !headersType.equals("function")) {
            throw new InvalidOptionsException("headers must be an object or a function returning one");
        }
        ContextConfig config = ContextConfig.of(string(options, "publisher"), string(options, "name"),
                userId(Js.get(options, "user")), string(options, "apiBase"), string(options, "keyPrefix"),
                string(options, "credentials"));
        return new ExtensionContext(config, headers);
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
