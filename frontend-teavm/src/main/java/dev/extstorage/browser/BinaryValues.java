package dev.extstorage.browser;

import dev.extstorage.model.StoredValues;
import org.teavm.jso.JSBody;
import org.teavm.jso.JSObject;

/**
 * Binary values in the browser: the bytes of a {@code Uint8Array} or {@code ArrayBuffer} as the base64 they are
 * stored and sent as, and back ({@link StoredValues} has the stored form's rules, shared with the server).
 */
final class BinaryValues {
    private BinaryValues() {
    }

    /**
     * The RFC 4648 base64 of the bytes of a {@code Uint8Array} (or other typed-array view) or {@code ArrayBuffer},
     * or {@code null} for any other value. Encoded in chunks, as {@code String.fromCharCode} takes only so many
     * arguments.
     */
    @JSBody(params = "v", script = ""
            + "var $b = v instanceof ArrayBuffer ? new Uint8Array(v) : ArrayBuffer.isView(v)"
            + " ? new Uint8Array(v.buffer, v.byteOffset, v.byteLength) : null;"
            + "if ($b === null) return null;"
            + "var $o = []; for (var $i = 0; $i < $b.length; $i += 8192)"
            + " $o.push(String.fromCharCode.apply(null, $b.subarray($i, $i + 8192)));"
            + "return btoa($o.join(''));")
    static native JSObject base64Of(JSObject v);

    /** A {@code Uint8Array} of base64 {@code b}; {@code null} if it is not base64. */
    @JSBody(params = "b", script = ""
            + "try { var $s = atob(b), $u = new Uint8Array($s.length);"
            + " for (var $i = 0; $i < $s.length; $i++) $u[$i] = $s.charCodeAt($i); return $u; } catch ($e) { return null; }")
    static native JSObject fromBase64(String b);

    /**
     * {@code v}, or the bytes of a binary value if {@code v} is what its stored text parses to: a string that
     * starts with {@link StoredValues#BINARY_MARK}, then base64.
     */
    static JSObject revive(JSObject v) {
        JSObject base64 = markedRest(v, StoredValues.BINARY_MARK);
        JSObject bytes = base64 == null ? null : fromBase64(Js.asString(base64));
        return bytes == null ? v : bytes;
    }

    /** What follows {@code mark} in {@code v}, or {@code null} unless {@code v} is a string starting with it. */
    @JSBody(params = {"v", "mark"}, script = "return typeof v === 'string' && v.indexOf(mark) === 0"
            + " ? v.slice(mark.length) : null;")
    private static native JSObject markedRest(JSObject v, String mark);

    /** Turns the base64 {@code value} of every listed entry marked {@code isBinary} into bytes, in place. */
    static void decodeListing(JSObject body) {
        JSObject result = Js.isObject(body) ? Js.get(body, "result") : null;
        int n = Js.isArray(result) ? Js.length(result) : 0;
        for (int i = 0; i < n; i++) {
            JSObject e = Js.at(result, i);
            JSObject value = Js.isObject(e) && Js.isTrue(Js.get(e, "isBinary")) ? Js.get(e, "value") : null;
            JSObject bytes = Js.isString(value) ? fromBase64(Js.asString(value)) : null;
            if (bytes != null) {
                Js.set(e, "value", bytes);
            }
        }
    }
}
