package dev.extstorage.browser;

import org.teavm.jso.JSBody;
import org.teavm.jso.JSObject;

/** The JavaScript glue of the batch calls ({@code getMany}, {@code setMany}, {@code removeMany}). */
final class JsBatch {
    private JsBatch() {
    }

    /** A new empty object, the answer of {@code getMany} and {@code setMany} is built in. */
    @JSBody(script = "return {};")
    static native JSObject object();

    /**
     * Gives {@code o} the own enumerable member {@code k}: unlike {@code o[k] = v}, also for {@code "__proto__"}
     * (a valid key), which an assignment would take as the object's prototype.
     */
    @JSBody(params = {"o", "k", "v"}, script = "Object.defineProperty(o, k, {value: v, enumerable: true,"
            + " writable: true, configurable: true});")
    static native void put(JSObject o, String k, JSObject v);

    /** The own enumerable keys of a plain object, or {@code null} for anything else (arrays, maps, null). */
    @JSBody(params = "o", script = "return o !== null && typeof o === 'object' && !Array.isArray(o)"
            + " && !(o instanceof Map) ? Object.keys(o) : null;")
    static native JSObject keysOf(JSObject o);

    /** The JSON text of an array of strings. */
    static String json(String[] strings) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < strings.length; i++) {
            b.append(i == 0 ? "" : ",").append(quote(strings[i]));
        }
        return b.append(']').toString();
    }

    /** {@code s} as a JSON string literal. */
    @JSBody(params = "s", script = "return JSON.stringify(s);")
    static native String quote(String s);
}
