package dev.extstorage.browser;

import org.teavm.jso.JSBody;
import org.teavm.jso.JSObject;

/**
 * {@code localStorage} ({@code session} false) and {@code sessionStorage} ({@code session} true) as small inline
 * scripts: every access is guarded, since a browser may refuse the storage altogether (privacy settings, an
 * opaque origin), and that outcome is {@link #UNAVAILABLE}, never an exception.
 */
final class WebStorage {
    /** {@link #write} and {@link #read} outcomes. */
    static final int STORED = 0;
    static final int QUOTA = 1;
    static final int UNAVAILABLE = 2;
    static final int INVALID_JSON = 3;

    private WebStorage() {
    }

    /**
     * The value stored under {@code prefix + k}, parsed, as {@code {v: value}} ({@code null} when absent), or the
     * number {@link #UNAVAILABLE} if the storage area cannot be used, {@link #INVALID_JSON} if the stored text is
     * not JSON. One script, so the hot path crosses between Java and JavaScript once and converts no string; the
     * caller resolves its promise itself (a {@code then} on a promise made here would cost a function and a turn).
     */
    @JSBody(params = {"session", "prefix", "k"}, script = ""
            + "var $t; try { $t = (session ? globalThis.sessionStorage : globalThis.localStorage).getItem(prefix + k); }"
            + "catch ($e) { return 2; }"
            + "if ($t === null) return null;"
            + "try { return {v: JSON.parse($t)}; } catch ($e) { return 3; }")
    static native JSObject read(boolean session, String prefix, String k);

    /** {@link #STORED}, {@link #QUOTA} (nothing changed) or {@link #UNAVAILABLE}. */
    @JSBody(params = {"session", "prefix", "k", "t"}, script = ""
            + "try { (session ? globalThis.sessionStorage : globalThis.localStorage).setItem(prefix + k, t); return 0; }"
            + "catch ($e) { return $e && ($e.name === 'QuotaExceededError' || $e.name === 'NS_ERROR_DOM_QUOTA_REACHED'"
            + " || $e.code === 22 || $e.code === 1014) ? 1 : 2; }")
    static native int write(boolean session, String prefix, String k, String t);

    @JSBody(params = {"session", "prefix", "k"}, script = ""
            + "try { (session ? globalThis.sessionStorage : globalThis.localStorage).removeItem(prefix + k);"
            + " return true; } catch ($e) { return false; }")
    static native boolean remove(boolean session, String prefix, String k);

    /** The stored text under {@code prefix + k}: a string, {@code null} when absent, or the number {@link #UNAVAILABLE}. */
    @JSBody(params = {"session", "prefix", "k"}, script = ""
            + "try { return (session ? globalThis.sessionStorage : globalThis.localStorage).getItem(prefix + k); }"
            + "catch ($e) { return 2; }")
    static native JSObject text(boolean session, String prefix, String k);

    /**
     * The slots of a storage area whose storage keys start with {@code start}, as {@code [{key, text}]} sorted
     * by {@code key} (UTF-16 code units), {@code key} being the storage key without its first {@code cut}
     * characters; or the number {@link #UNAVAILABLE}.
     */
    @JSBody(params = {"session", "start", "cut"}, script = ""
            + "try { var $s = session ? globalThis.sessionStorage : globalThis.localStorage, $o = [];"
            + " for (var $i = 0; $i < $s.length; $i++) { var $k = $s.key($i);"
            + "  if ($k !== null && $k.indexOf(start) === 0) $o.push({key: $k.slice(cut), text: $s.getItem($k)}); }"
            + " return $o.sort(function ($a, $b) { return $a.key < $b.key ? -1 : $a.key > $b.key ? 1 : 0; });"
            + "} catch ($e) { return 2; }")
    static native JSObject entries(boolean session, String start, int cut);

    /**
     * Bytes the slots whose storage keys start with {@code start} take of the browser's quota: 2 per UTF-16 code
     * unit of key and text; 0 for a {@code null} start (no user signed in); -1 if the storage cannot be used.
     */
    @JSBody(params = {"session", "start"}, script = ""
            + "if (start === null) return 0;"
            + "try { var $s = session ? globalThis.sessionStorage : globalThis.localStorage, $n = 0;"
            + " for (var $i = 0; $i < $s.length; $i++) { var $k = $s.key($i);"
            + "  if ($k !== null && $k.indexOf(start) === 0) $n += 2 * ($k.length + $s.getItem($k).length); }"
            + " return $n; } catch ($e) { return -1; }")
    static native double bytes(boolean session, String start);

    /** Every storage key of the area (a snapshot, so removing while walking it skips none), or {@link #UNAVAILABLE}. */
    @JSBody(params = "session", script = ""
            + "try { var $s = session ? globalThis.sessionStorage : globalThis.localStorage, $o = [];"
            + " for (var $i = 0; $i < $s.length; $i++) $o.push($s.key($i)); return $o; } catch ($e) { return 2; }")
    static native JSObject keys(boolean session);
}
