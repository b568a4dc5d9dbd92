package dev.extstorage.browser;

import org.teavm.jso.JSBody;
import org.teavm.jso.JSFunctor;
import org.teavm.jso.JSObject;

/**
 * The browser facilities change events need: the window's {@code storage} event, a {@code fetch} read as a
 * stream, timers. Thin glue only; what to do with the events is decided in Java ({@link Changes},
 * {@link ChangeStream}, {@link SseParser}). The callbacks are {@link JSFunctor}s so Java lambdas pass as
 * JavaScript functions.
 */
final class JsEvents {
    private JsEvents() {
    }

    /**
     * Adds {@code handler} as a {@code storage} event listener of the window, called for changes of
     * {@code localStorage} made by other tabs as {@code handler(key, newValue)}; returns what {@link #offStorage}
     * needs, or {@code null} outside a window.
     */
    @JSBody(params = "handler", script = ""
            + "if (typeof addEventListener !== 'function') return null;"
            + "var $f = function ($e) { if ($e.key !== null && $e.storageArea === globalThis.localStorage)"
            + " handler($e.key, $e.newValue); };"
            + "addEventListener('storage', $f); return $f;")
    static native JSObject onStorage(StorageHandler handler);

    @JSBody(params = "f", script = "if (f) removeEventListener('storage', f);")
    static native void offStorage(JSObject f);

    /**
     * Opens {@code url} as an event stream with {@code fetch} (so that {@code headers} can carry a bearer
     * token, which {@code EventSource} cannot) and passes its text, decoded, to {@code chunk} as it arrives:
     * as {@code signal(tag, text)}: first {@code ""} once the answer is a 200, then each piece. When the
     * stream ends, fails or answers another status, {@code signal(tag, null)} once. Returns an
     * {@code AbortController}; once aborted, nothing is signalled.
     */
    @JSBody(params = {"url", "credentials", "headers", "lastId", "signal", "tag"}, script = ""
            + "var $c = new AbortController(), $done = false;"
            + "var $end = function () { if (!$done && !$c.signal.aborted) { $done = true; signal(tag, null); } };"
            + "new Promise(function ($ok) { $ok(typeof headers === 'function' ? headers() : headers); })"
            + ".then(function ($h) {"
            + " var $hd = new Headers($h || void 0); $hd.set('Accept', 'text/event-stream');"
            + " if (lastId !== null) $hd.set('Last-Event-ID', lastId);"
            + " return fetch(url, {credentials: credentials, headers: $hd, signal: $c.signal, cache: 'no-store'});"
            + "}).then(function ($r) {"
            + " if ($r.status !== 200 || !$r.body) { $end(); return; }"
            + " signal(tag, '');"
            + " var $rd = $r.body.getReader(), $dec = new TextDecoder();"
            + " var $next = function () { return $rd.read().then(function ($p) {"
            + "  if ($c.signal.aborted) return;"
            + "  if ($p.done) { $end(); return; }"
            + "  signal(tag, $dec.decode($p.value, {stream: true})); return $next(); }); };"
            + " return $next();"
            + "}).then(null, $end);"
            + "return $c;")
    static native JSObject stream(String url, String credentials, JSObject headers, String lastId,
            Signal signal, int tag);

    @JSBody(params = "c", script = "if (c) c.abort();")
    static native void abort(JSObject c);

    /** Calls {@code signal(tag, null)} after {@code ms} milliseconds. */
    @JSBody(params = {"signal", "tag", "ms"}, script = "return setTimeout(function () { signal(tag, null); }, ms);")
    static native int setTimeout(Signal signal, int tag, double ms);

    @JSBody(params = "id", script = "clearTimeout(id);")
    static native void clearTimeout(int id);

    @JSBody(script = "return Math.random();")
    static native double random();

    @JSFunctor
    interface StorageHandler extends JSObject {
        void changed(String key, String newValue);
    }

    /** What a stream or timer reports to: {@code tag} says which, {@code text} what arrived ({@code null}: none). */
    @JSFunctor
    interface Signal extends JSObject {
        void signal(int tag, String text);
    }
}
