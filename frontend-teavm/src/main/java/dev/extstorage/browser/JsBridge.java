package dev.extstorage.browser;

import org.teavm.jso.JSBody;
import org.teavm.jso.JSFunctor;
import org.teavm.jso.JSObject;
import org.teavm.jso.core.JSPromise;

/**
 * The JavaScript glue of the message bridge between a sandboxed extension's frame and the host ({@link Bridge},
 * {@link BridgeHost}): a {@code MessagePort}'s messages in and out, the pending calls of the frame side, and the
 * type tests of a message's shape, which are JavaScript's own work. What a message means is decided in Java.
 *
 * <p>Wire format: a call {@code {id, tier, scope, resource, method, args}} ({@code tier}, {@code scope},
 * {@code resource} absent where the method has none), answered {@code {id, ok: true, value}} or
 * {@code {id, error: {code, message, status, retryAfter, limit, actual, version}}}; a change of a subscription
 * {@code {sub, change}}. Values cross as structured clones, so bytes ({@code Uint8Array}) stay bytes.
 */
final class JsBridge {
    /** The members a call may have; any other member makes it malformed. */
    static final String MEMBERS = "id,tier,scope,resource,method,args";

    private JsBridge() {
    }

    @JSBody(params = "p", script = "return typeof MessagePort === 'function' && p instanceof MessagePort;")
    static native boolean isPort(JSObject p);

    /** Calls {@code receiver} with the data of each message arriving on {@code port} (and starts the port). */
    @JSBody(params = {"port", "receiver"}, script = "port.onmessage = function ($e) { receiver($e.data); };")
    static native void listen(JSObject port, Receiver receiver);

    @JSBody(params = "port", script = "port.onmessage = null; port.close();")
    static native void close(JSObject port);

    /** Posts {@code message}; {@code false} if it cannot be cloned or the port is closed. */
    @JSBody(params = {"port", "message"}, script = "try { port.postMessage(message); return true; }"
            + " catch ($e) { return false; }")
    static native boolean post(JSObject port, JSObject message);

    /** A call message; {@code tier} and {@code scope} {@code null}: left out; {@code resource} may be null. */
    @JSBody(params = {"id", "tier", "scope", "type", "uuid", "method", "args"}, script = ""
            + "var $m = {id: id, method: method, args: args};"
            + "if (tier !== null) $m.tier = tier; if (scope !== null) $m.scope = scope;"
            + "if (type !== null) $m.resource = {type: type, uuid: uuid}; return $m;")
    static native JSObject call(int id, String tier, String scope, String type, String uuid, String method,
            JSObject args);

    /** An empty JavaScript {@code Map}: the pending calls of one frame, by id. */
    @JSBody(script = "return new Map();")
    static native JSObject map();

    /** Posts {@code message} and resolves or rejects as {@link #settle} is told; rejects at once if it cannot go. */
    @JSBody(params = {"port", "pending", "message", "unavailable"}, script = ""
            + "return new Promise(function ($ok, $fail) {"
            + " try { port.postMessage(message); pending.set(message.id, [$ok, $fail]); }"
            + " catch ($e) { $fail(unavailable); } });")
    static native JSPromise<Object> request(JSObject port, JSObject pending, JSObject message, JSObject unavailable);

    /**
     * Settles the pending call a reply {@code r} names with {@code r.value}, or with {@code error} when
     * {@code error} is not {@code null}; {@code false} if no call of this frame has that id.
     */
    @JSBody(params = {"pending", "r", "error"}, script = ""
            + "var $p = pending.get(r.id); if (!$p) return false; pending.delete(r.id);"
            + "if (error !== null) $p[1](error); else $p[0](r.value); return true;")
    static native boolean settle(JSObject pending, JSObject r, JSObject error);

    /** A reply's {@code error} as what the module's promises reject with ({@link Js#error}), or {@code null}. */
    @JSBody(params = "r", script = ""
            + "var $e = r && typeof r === 'object' ? r.error : null;"
            + "return $e && typeof $e === 'object' ? $e : null;")
    static native JSObject replyError(JSObject r);

    @JSBody(params = "o", script = "return o !== null && typeof o === 'object' && Object.getPrototypeOf(o) === Object.prototype;")
    static native boolean isPlainObject(JSObject o);

    /** The first own member of {@code o} not in the comma-separated {@code allowed}, or {@code null}. */
    @JSBody(params = {"o", "allowed"}, script = ""
            + "var $a = allowed.split(','), $k = Object.keys(o);"
            + "for (var $i = 0; $i < $k.length; $i++) if ($a.indexOf($k[$i]) < 0) return $k[$i]; return null;")
    static native String unknownMember(JSObject o, String allowed);

    /**
     * Whether {@code a} is an array of at most {@code max} strings, finite numbers, booleans, {@code null} or
     * {@code undefined}: no objects, so nothing in it runs code or hides size.
     */
    @JSBody(params = {"a", "max"}, script = ""
            + "if (!Array.isArray(a) || a.length > max) return false;"
            + "for (var $i = 0; $i < a.length; $i++) { var $x = a[$i], $t = typeof $x;"
            + " if (!($x === null || $t === 'string' || $t === 'boolean' || $t === 'undefined'"
            + "  || ($t === 'number' && isFinite($x)))) return false; } return true;")
    static native boolean isPrimitiveArray(JSObject a, int max);

    /** The UTF-16 code units of the strings in array {@code a}. */
    @JSBody(params = "a", script = "var $n = 0; for (var $i = 0; $i < a.length; $i++)"
            + " if (typeof a[$i] === 'string') $n += a[$i].length; return $n;")
    static native double stringUnits(JSObject a);

    /** {@code Number.isSafeInteger(v)}. */
    @JSBody(params = "v", script = "return Number.isSafeInteger(v);")
    static native boolean isSafeInteger(JSObject v);

    @JSBody(params = {"id", "value"}, script = "return {id: id, ok: true, value: value};")
    static native JSObject ok(JSObject id, JSObject value);

    /**
     * A reply refusing call {@code id} ({@code null} when the call had no usable id) with the members of
     * {@code e}, a {@link Js#error} or any other rejection reason.
     */
    @JSBody(params = {"id", "e"}, script = ""
            + "var $o = {code: e && typeof e.code === 'string' ? e.code : 'STORE_UNAVAILABLE',"
            + " message: String(e && e.message || e)};"
            + "['status', 'retryAfter', 'limit', 'actual'].forEach(function ($k) {"
            + " if (e && typeof e[$k] === 'number') $o[$k] = e[$k]; });"
            + "if (e && (typeof e.version === 'string' || e.version === null)) $o.version = e.version;"
            + "return {id: id, error: $o};")
    static native JSObject refusal(JSObject id, JSObject e);

    /** What the host sends a subscription for each change: {@code {sub, change}}. */
    @JSBody(params = {"sub", "change"}, script = "return {sub: sub, change: change};")
    static native JSObject event(JSObject sub, JSObject change);

    /** The options object of {@code set} from its call's args {@code [key, text, ttl, ifVersion, encrypt]}. */
    @JSBody(params = "a", script = "return {ttl: a[2], ifVersion: a[3], encrypt: a[4]};")
    static native JSObject setOptions(JSObject a);

    /** The options object of {@code remove} from {@code [key, ifVersion]}. */
    @JSBody(params = "a", script = "return {ifVersion: a[1]};")
    static native JSObject removeOptions(JSObject a);

    /** The options object of {@code list} from {@code [prefix, page, pageSize]}. */
    @JSBody(params = "a", script = "return {prefix: a[0], page: a[1], pageSize: a[2]};")
    static native JSObject listOptions(JSObject a);

    @JSBody(params = "key", script = "return [key];")
    static native JSObject args(String key);

    /** {@code [key, text, ttl, ifVersion, encrypt]}; {@code ifVersion} {@code undefined} unless conditional. */
    @JSBody(params = {"key", "text", "ttl", "conditional", "ifVersion", "encrypt"}, script = ""
            + "return [key, text, ttl, conditional ? ifVersion : void 0, encrypt];")
    static native JSObject setArgs(String key, String text, double ttl, boolean conditional, String ifVersion,
            boolean encrypt);

    /** {@code [keys, texts, ttl, encrypt]} of {@code setMany}: the keys and the values' texts as JSON arrays. */
    @JSBody(params = {"keys", "texts", "ttl", "encrypt"}, script = "return [keys, texts, ttl, encrypt];")
    static native JSObject setManyArgs(String keys, String texts, double ttl, boolean encrypt);

    /** The options object of {@code setMany} from its call's args {@code [keys, texts, ttl, encrypt]}. */
    @JSBody(params = "a", script = "return {ttl: a[2], encrypt: a[3]};")
    static native JSObject setManyOptions(JSObject a);

    @JSBody(params = {"key", "conditional", "ifVersion"}, script = "return [key, conditional ? ifVersion : void 0];")
    static native JSObject removeArgs(String key, boolean conditional, String ifVersion);

    @JSBody(params = {"prefix", "page", "pageSize"}, script = "return [prefix, page, pageSize];")
    static native JSObject listArgs(String prefix, double page, int pageSize);

    @JSBody(params = "n", script = "return [n];")
    static native JSObject numberArgs(int n);

    /** A Java listener as the JavaScript function {@link Changes#add} takes. */
    @JSBody(params = "f", script = "return f;")
    static native JSObject function(ChangeSink f);

    /** Calls the host's {@code onFrame(event, detail)} option, if it is a function; what it throws is reported. */
    @JSBody(params = {"f", "event", "detail"}, script = ""
            + "if (typeof f === 'function') try { f(event, detail); } catch ($e) { setTimeout(function () { throw $e; }); }")
    static native void notifyFrame(JSObject f, String event, JSObject detail);

    /** What a port hands each message to. */
    @JSFunctor
    interface Receiver extends JSObject {
        void received(JSObject data);
    }

    /** A change listener written in Java. */
    @JSFunctor
    interface ChangeSink extends JSObject {
        void changed(JSObject change);
    }
}
