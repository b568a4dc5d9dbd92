package dev.extstorage.browser;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.KeyPrefixes;
import dev.extstorage.model.Limits;
import dev.extstorage.model.Paging;
import dev.extstorage.model.StorageException;
import dev.extstorage.model.StorageKeys;
import dev.extstorage.model.Tier;
import org.teavm.jso.JSObject;

/**
 * What the raw JavaScript arguments of a {@link StorageArea} call say: its key and the members of its options
 * object, each read and checked by its rule before anything is stored or sent. A broken rule throws a
 * {@link StorageException} with the code SPEC section 4 gives it.
 */
final class CallOptions {
    private CallOptions() {
    }

    /** The key argument. @throws StorageException {@code INVALID_KEY} for a non-string or a broken key rule */
    static String key(JSObject key) {
        if (!Js.isString(key)) {
            throw new StorageException(ErrorCode.INVALID_KEY, "Key must be a string, got " + Js.typeOf(key));
        }
        return StorageKeys.requireValid(Js.asString(key));
    }

    /**
     * The keys argument of {@code getMany} and {@code removeMany}: an array of strings, checked by the batch
     * rules ({@link dev.extstorage.model.Batches}).
     *
     * @throws StorageException {@code INVALID_BODY} for anything else, too many keys or a key twice;
     *         {@code INVALID_KEY} for a broken key rule
     */
    static String[] keys(JSObject keys) {
        if (!Js.isStringArray(keys)) {
            throw new StorageException(ErrorCode.INVALID_BODY, "A batch needs an array of keys (strings)");
        }
        return dev.extstorage.model.Batches.requireValidKeys(strings(keys));
    }

    /**
     * The keys of the {@code {key: value}} object of {@code setMany}, checked by the batch rules.
     *
     * @throws StorageException {@code INVALID_BODY} unless it is a plain object, as for {@link #keys}
     */
    static String[] entryKeys(JSObject values) {
        JSObject names = JsBatch.keysOf(values);
        if (names == null) {
            throw new StorageException(ErrorCode.INVALID_BODY, "setMany needs an object {key: value, ...}");
        }
        return dev.extstorage.model.Batches.requireValidKeys(strings(names));
    }

    private static String[] strings(JSObject array) {
        int n = Js.length(array);
        // count first: a huge array is refused before its strings are copied
        dev.extstorage.model.Batches.requireCount(n);
        // an array, not a java.util.List: ArrayList brings about 1 KB of TeaVM's collections into the module
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = Js.asString(Js.at(array, i));
        }
        return out;
    }

    /** Whether the options carry an {@code ifVersion} (absent or {@code undefined}: unconditional). */
    static boolean hasCondition(JSObject options) {
        return Js.isObject(options) && !Js.isUndefined(Js.get(options, "ifVersion"));
    }

    /** The {@code ifVersion} of options that {@link #hasCondition}: a version, or {@code null} for absent. */
    static String ifVersion(JSObject options, boolean absentAllowed) {
        JSObject v = Js.get(options, "ifVersion");
        if (Js.isString(v)) {
            return Js.asString(v);
        }
        if (Js.isNullish(v) && absentAllowed) {
            return null;
        }
        throw new StorageException(ErrorCode.INVALID_BODY, absentAllowed
                ? "ifVersion must be a version (string) or null (only if absent)"
                : "ifVersion must be a version (string)");
    }

    /**
     * The {@code encrypt} option of {@code set}: absent or {@code false}, or {@code true} on the persistent tier
     * (SPEC section 10; the server refuses it without a key ring).
     *
     * @throws StorageException {@code INVALID_BODY} for anything else
     */
    static boolean encrypt(JSObject options, Tier tier) {
        JSObject e = Js.isObject(options) ? Js.get(options, "encrypt") : null;
        if (Js.isNullish(e) || "boolean".equals(Js.typeOf(e)) && !Js.isTrue(e)) {
            return false;
        }
        if (!Js.isTrue(e)) {
            throw new StorageException(ErrorCode.INVALID_BODY, "encrypt must be true or false");
        }
        if (tier != Tier.PERSISTENT) {
            throw new StorageException(ErrorCode.INVALID_BODY,
                    "encrypt: true is for the persistent tier only; " + tier.wireName() + " stores no ciphertext");
        }
        return true;
    }

    /** The {@code ttl} option of an ephemeral {@code set} or {@code update} ({@link Arguments#ttl}). */
    static long ttl(JSObject options, Limits limits) {
        JSObject ttl = Js.isObject(options) ? Js.get(options, "ttl") : null;
        boolean present = ttl != null && "number".equals(Js.typeOf(ttl));
        return Arguments.ttl(present, present ? Js.asNumber(ttl) : 0, limits);
    }

    /** The {@code retries} option of {@code update} ({@link Arguments#retries}). */
    static int retries(JSObject options) {
        JSObject r = Js.isObject(options) ? Js.get(options, "retries") : null;
        return Arguments.retries(Js.isNullish(r), Js.isNumber(r) ? Js.asNumber(r) : Double.NaN);
    }

    /** The {@code prefix} of {@code list}'s options ({@code ""}: none), matched literally ({@link KeyPrefixes}). */
    static String listPrefix(JSObject options) {
        if (!Js.isNullish(options) && !Js.isObject(options)) {
            throw new StorageException(ErrorCode.INVALID_QUERY,
                    "list options must be an object {prefix, page, pageSize}");
        }
        JSObject p = Js.isObject(options) ? Js.get(options, "prefix") : null;
        if (!Js.isNullish(p) && !Js.isString(p)) {
            throw new StorageException(ErrorCode.INVALID_QUERY, "prefix must be a string");
        }
        return KeyPrefixes.parse(Js.isNullish(p) ? null : Js.asString(p));
    }

    /** The {@code page} and {@code pageSize} of {@code list}'s options, by the server's rules. */
    static Paging listPaging(JSObject options) {
        return Arguments.paging(number(options, "page"), number(options, "pageSize"));
    }

    /** The member as a number; {@code NaN} when absent, +Infinity (refused later) when not a number. */
    private static double number(JSObject options, String name) {
        JSObject v = Js.isObject(options) ? Js.get(options, name) : null;
        if (Js.isNullish(v)) {
            return Double.NaN;
        }
        return "number".equals(Js.typeOf(v)) && !Double.isNaN(Js.asNumber(v)) ? Js.asNumber(v)
                : Double.POSITIVE_INFINITY;
    }
}
