package dev.extstorage.browser;

import org.teavm.jso.JSBody;
import org.teavm.jso.JSFunctor;
import org.teavm.jso.JSObject;
import org.teavm.jso.core.JSPromise;

/**
 * The few browser facilities the module needs, as small inline scripts. Kept in JavaScript where the work is
 * JavaScript's own (type tests, {@code JSON}, {@code fetch}; Web Storage is in {@link WebStorage}) so
 * that no Java library code such as regex or formatting becomes reachable and the module stays small.
 */
final class Js {
    private Js() {
    }

    @JSBody(params = "o", script = "return typeof o;")
    static native String typeOf(JSObject o);

    @JSBody(params = "o", script = "return typeof o === 'string';")
    static native boolean isString(JSObject o);

    @JSBody(params = "o", script = "return typeof o === 'number';")
    static native boolean isNumber(JSObject o);

    @JSBody(params = "o", script = "return o !== null && typeof o === 'object';")
    static native boolean isObject(JSObject o);

    @JSBody(params = "o", script = "return o === null || o === void 0;")
    static native boolean isNullish(JSObject o);

    @JSBody(params = "o", script = "return o === true;")
    static native boolean isTrue(JSObject o);

    @JSBody(params = "o", script = "return o === void 0;")
    static native boolean isUndefined(JSObject o);

    @JSBody(params = {"o", "p"}, script = "return o[p];")
    static native JSObject get(JSObject o, String p);

    /** {@code o} itself; the caller has checked that it is a string. */
    @JSBody(params = "o", script = "return o;")
    static native String asString(JSObject o);

    /** {@code o} itself; the caller has checked that it is a number. */
    @JSBody(params = "o", script = "return o;")
    static native double asNumber(JSObject o);

    @JSBody(params = "n", script = "return String(n);")
    static native String numberToString(double n);

    @JSBody(script = "return void 0;")
    static native JSObject undefined();

    /**
     * Throws a plain {@code Error} with {@code code}: misuse by the host (not a storage error, so not named
     * {@code StorageError}). Local names start with {@code $} in every script here because TeaVM renames the
     * parameters to short names that could otherwise clash with them.
     */
    @JSBody(params = {"code", "message"}, script = "var $err = new Error(message); $err.code = code; throw $err;")
    static native void throwModuleError(String code, String message);

    /**
     * The JSON text of {@code v}, or a {@code {e: message}} object if {@code v} is not a JSON value or
     * {@code JSON.stringify} would silently change it: functions, symbols, BigInt, cycles, non-finite numbers
     * and {@code undefined} anywhere but as an object member (which JSON omits, so it reads back as absent,
     * as before) are refused.
     *
     * <p>A value made only of plain objects and arrays (no {@code toJSON}, no holes, at most 64 deep), strings,
     * booleans, finite numbers and {@code null} is what the replacer lets through unchanged, so it takes
     * {@code JSON.stringify} without one: a replacer is called back for every member and costs more than the
     * rest of a {@code set}. Anything else takes the replacer, which finds what is wrong.
     */
    @JSBody(params = "v", script = ""
            + "if (v === void 0) return {e: 'Value must not be undefined'};"
            + "var $plain = function ($x, $d) {"
            + " var $y = typeof $x;"
            + " if ($x === null || $y === 'string' || $y === 'boolean') return true;"
            + " if ($y === 'number') return isFinite($x);"
            + " if ($y !== 'object' || $d > 64 || $x.toJSON !== void 0) return false;"
            + " var $p = Object.getPrototypeOf($x), $i, $m;"
            + " if (Array.isArray($x)) {"
            + "  if ($p !== Array.prototype) return false;"
            + "  for ($i = 0; $i < $x.length; $i++) if ($x[$i] === void 0 || !$plain($x[$i], $d + 1)) return false;"
            + "  return true; }"
            + " if ($p !== Object.prototype && $p !== null) return false;"
            + " $m = Object.keys($x);"
            + " for ($i = 0; $i < $m.length; $i++) { var $z = $x[$m[$i]];"
            + "  if ($z !== void 0 && !$plain($z, $d + 1)) return false; }"
            + " return true; };"
            + "try {"
            + " if ($plain(v, 0)) return JSON.stringify(v);"
            + " var $t = JSON.stringify(v, function ($k, $x) {"
            + "  var $y = typeof $x;"
            + "  if ($y === 'function' || $y === 'symbol' || $y === 'bigint' || ($y === 'number' && !isFinite($x))"
            + "      || ($y === 'undefined' && Array.isArray(this)))"
            + "   throw {m: 'Value must be JSON: ' + ($y === 'number' ? String($x) : $y)"
            + "      + ' cannot be stored' + ($k === '' ? '' : ' (at \"' + $k + '\")')};"
            + "  return $x; });"
            + " return $t === void 0 ? {e: 'Value must be JSON'} : $t;"
            + "} catch ($e) {"
            + " return {e: ($e && $e.m) || ('Value cannot be serialized as JSON: ' + ($e && $e.message || $e))};"
            + "}")
    static native JSObject stringify(JSObject v);

    /** {@code {v: value}} for well-formed JSON text, {@code null} otherwise. */
    @JSBody(params = "t", script = "try { return {v: JSON.parse(t)}; } catch ($e) { return null; }")
    static native JSObject parse(String t);

    /**
     * An {@code Error} carrying {@code code}, {@code status} (if at least 0), {@code retryAfter} (if at least 0)
     * and, of {@code details} (may be {@code null}), the numeric {@code limit} and {@code actual}, a string or
     * {@code null} {@code version} and a defined {@code cause}, as SPEC sections 2 and 4 promise.
     */
    @JSBody(params = {"code", "message", "status", "retryAfter", "details"}, script = ""
            + "var $err = new Error(message); $err.name = 'StorageError'; $err.code = code;"
            + "if (status >= 0) $err.status = status;"
            + "if (retryAfter >= 0) $err.retryAfter = retryAfter;"
            + "if (details) { if (typeof details.limit === 'number') $err.limit = details.limit;"
            + " if (typeof details.actual === 'number') $err.actual = details.actual;"
            + " if (typeof details.version === 'string' || details.version === null) $err.version = details.version;"
            + " if (details.cause !== void 0) $err.cause = details.cause; }"
            + "return $err;")
    static native JSObject error(String code, String message, int status, int retryAfter, JSObject details);

    /** Milliseconds since the Unix epoch. */
    @JSBody(script = "return Date.now();")
    static native double now();

    @JSBody(params = {"limit", "actual"}, script = "return {limit: limit, actual: actual};")
    static native JSObject limits(double limit, double actual);

    /**
     * Sends one request and resolves to {@code {status, text, retryAfter, etag}} ({@code retryAfter},
     * {@code etag}: the {@code Retry-After} / {@code ETag} header or {@code null}); {@code status} is 0 when no
     * response came (network failure, or {@code headers()} failed), {@code text} then the reason. Never rejects.
     * A cross-origin server must list {@code Retry-After} and {@code ETag} in
     * {@code Access-Control-Expose-Headers} for them to be readable here. {@code headers} is an object, a
     * function returning an object or a promise of one, or nullish; it is evaluated per request so a fresh
     * token is sent. {@code ifMatch} / {@code ifNoneMatch}: the condition headers' values, or {@code null}.
     */
    @JSBody(params = {"url", "method", "body", "credentials", "headers", "ifMatch", "ifNoneMatch"}, script = ""
            + "var $fail = function ($e) { return {status: 0, text: String($e && $e.message || $e), cause: $e}; };"
            + "return new Promise(function ($ok) { $ok(typeof headers === 'function' ? headers() : headers); })"
            + ".then(function ($h) {"
            + " var $hd = new Headers($h || void 0); $hd.set('Accept', 'application/json');"
            + " if (body !== null) $hd.set('Content-Type', 'application/json');"
            + " if (ifMatch !== null) $hd.set('If-Match', ifMatch);"
            + " if (ifNoneMatch !== null) $hd.set('If-None-Match', ifNoneMatch);"
            + " return fetch(url, {method: method, body: body, credentials: credentials, headers: $hd})"
            + "  .then(function ($r) { return $r.text().then(function ($t) { return {status: $r.status, text: $t,"
            + " retryAfter: $r.headers.get('Retry-After'), etag: $r.headers.get('ETag')}; }); });"
            + "}).then(null, $fail);")
    static native JSPromise<JSObject> fetchText(String url, String method, String body, String credentials,
            JSObject headers, String ifMatch, String ifNoneMatch);

    /** {@code {value, version}}: what {@code getEntry} resolves to. */
    @JSBody(params = {"value", "version"}, script = "return {value: value, version: version};")
    static native JSObject entry(JSObject value, String version);

    /** {@code {version}}: the details of a {@code PRECONDITION_FAILED} error ({@code null}: absent). */
    @JSBody(params = "version", script = "return {version: version};")
    static native JSObject versionDetails(String version);

    /**
     * A change event {@code {tier, scope, key, version, value, deleted}}; {@code text} is the stored JSON text,
     * {@code null} for a removal (no {@code value} then).
     */
    @JSBody(params = {"tier", "scope", "key", "version", "text"}, script = ""
            + "var $c = {tier: tier, scope: scope, key: key, version: version, deleted: text === null};"
            + "if (text !== null) $c.value = JSON.parse(text); return $c;")
    static native JSObject change(String tier, String scope, String key, String version, String text);

    /** Calls {@code f(arg)}; a listener that throws is reported (as an uncaught error), not passed on. */
    /** An exported Java object as the JavaScript value it is. */
    @JSBody(params = "o", script = "return o;")
    static native JSObject asJs(Object o);

    @JSBody(params = {"f", "arg"}, script = "try { f(arg); } catch ($e) { setTimeout(function () { throw $e; }); }")
    static native void notify(JSObject f, JSObject arg);

    /** A promise of {@code fn(arg)}: rejects if {@code fn} throws; waits if it returns a promise. */
    @JSBody(params = {"fn", "arg"}, script = "return new Promise(function ($ok) { $ok(fn(arg)); });")
    static native JSPromise<JSObject> apply(JSObject fn, JSObject arg);

    /**
     * {@code task()} while holding the Web Lock {@code name} across this origin's tabs, so that read-modify-write
     * cycles of other tabs wait; without the Web Locks API (old browsers, insecure contexts) just {@code task()}.
     * Chromium delivers another tab's {@code localStorage} write to this tab's copy on another channel than the
     * lock, so a tab granted the lock right after the writer let it go may still read the value from before
     * that write. Hence the version each cycle leaves is recorded where the lock manager keeps it: a second
     * lock {@code name|version}, held until the next cycle takes it over ({@code steal}); a cycle first waits
     * (up to ~2 s) until {@code version()} (the entry's version as this tab sees it, or {@code null}) shows it.
     */
    @JSBody(params = {"name", "version", "task"}, script = ""
            + "var $l = globalThis.navigator && navigator.locks; if (!$l) return task();"
            + "var $p = name + '|', $seen = null, $n = 0;"
            + "var $wait = function () { return $seen === null || version() === $seen || $n++ > 400 ? task()"
            + " : new Promise(function ($ok) { setTimeout($ok, 5); }).then($wait); };"
            + "return $l.request(name, function () { return $l.query().then(function ($q) {"
            + " ($q.held || []).forEach(function ($h) { if ($h.name.indexOf($p) === 0) $seen = $h.name.slice($p.length); });"
            + " return $wait(); }).then(function ($v) {"
            + " var $now = version(); if ($now === $seen || $now === null) return $v;"
            + " if ($seen !== null) $l.request($p + $seen, {steal: true}, function () {}).then(null, function () {});"
            + " return new Promise(function ($held) { $l.request($p + $now, function () { $held($v);"
            + " return new Promise(function () {}); }).then(null, function () {}); }); }); });")
    static native JSPromise<Object> withLock(String name, VersionProbe version, Task task);

    /** The version of the entry being updated as this tab sees it, or {@code null} when absent. */
    @JSFunctor
    interface VersionProbe extends JSObject {
        String version();
    }

    /** Throws {@code error} (from {@link #error}) synchronously. */
    @JSBody(params = "error", script = "throw error;")
    static native void raise(JSObject error);

    /** What {@code onChange} returns: calling it stops the listener. */
    @JSFunctor
    interface Unsubscribe extends JSObject {
        void call();
    }

    /** A function JavaScript calls back (a {@link JSFunctor}, so that a Java lambda passes as one). */
    @JSFunctor
    interface Task extends JSObject {
        JSPromise<Object> run();
    }

    @JSBody(script = "return [];")
    static native JSObject array();

    @JSBody(params = "a", script = "return a.length;")
    static native int length(JSObject a);

    @JSBody(params = {"a", "i"}, script = "return a[i];")
    static native JSObject at(JSObject a, int i);

    @JSBody(params = {"a", "x"}, script = "a.push(x);")
    static native void push(JSObject a, JSObject x);

    @JSBody(params = {"key", "value"}, script = "return {key: key, value: value};")
    static native JSObject listEntry(String key, JSObject value);

    /** What {@code list} resolves to. */
    @JSBody(params = {"result", "count"}, script = "return {result: result, count: count};")
    static native JSObject listPage(JSObject result, int count);

    @JSBody(params = {"o", "p", "v"}, script = "o[p] = v;")
    static native void set(JSObject o, String p, JSObject v);

    @JSBody(params = {"bytes", "userBytes", "sharedBytes"}, script = ""
            + "return {bytes: bytes, userBytes: userBytes, sharedBytes: sharedBytes};")
    static native JSObject browserUsage(double bytes, double userBytes, double sharedBytes);

    @JSBody(params = "a", script = "return Array.isArray(a) && a.every(function ($x) { return typeof $x === 'string'; });")
    static native boolean isStringArray(JSObject a);

    @JSBody(params = {"a", "x"}, script = "return a.indexOf(x) >= 0;")
    static native boolean includes(JSObject a, String x);

    @JSBody(params = "o", script = "return Array.isArray(o);")
    static native boolean isArray(JSObject o);
}
