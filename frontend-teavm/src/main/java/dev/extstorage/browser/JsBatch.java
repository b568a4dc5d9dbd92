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

    /** The own enumerable keys of a plain object, or {@code null} for anything else (arrays, maps, null). */
    @JSBody(params = "o", script = "return o !== null && typeof o === 'object' && !Array.isArray(o)"
            + " && !(o instanceof Map) ? Object.keys(o) : null;")
    static native JSObject keysOf(JSObject o);

    /** {@code s} as a JSON string literal. */
    @JSBody(params = "s", script = "return JSON.stringify(s);")
    static native String quote(String s);
}
