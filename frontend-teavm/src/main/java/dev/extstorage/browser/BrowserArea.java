package dev.extstorage.browser;

import dev.extstorage.model.BrowserKeys;
import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.Paging;
import dev.extstorage.model.Scope;
import dev.extstorage.model.StorageKeys;
import dev.extstorage.model.Tier;
import org.teavm.jso.JSObject;
import org.teavm.jso.core.JSPromise;

/**
 * {@code local} ({@code localStorage}) or {@code session} ({@code sessionStorage}): entries under the SPEC
 * section 2 key layout, values as {@code JSON.stringify} text, versions derived from that text
 * ({@link Versions#of}). The work is synchronous, so a condition is checked and the write done with no other
 * script of this tab in between; the promise only keeps the API the same as the server tiers'. Each change
 * is told to this context's listeners ({@link Changes#emit}).
 */
final class BrowserArea extends StorageArea {
    final boolean session;
    /**
     * {@link BrowserKeys#storageKey} of the empty key: the layout puts the key last, so a key's storage key is
     * this plus the key, and a storage key of this area is one that starts with this. Computed once because
     * the context's prefix, extension and user never change; joined with the key in JavaScript so the hot
     * path builds no Java string. {@code null} for the user scope with no user signed in, where
     * {@link #requireUser()} rejects before any storage call.
     */
    final String keyPrefix;

    BrowserArea(ExtensionContext context, Scope scope, boolean session) {
        super(context, scope, session ? Tier.SESSION : Tier.LOCAL);
        this.session = session;
        ContextConfig c = context.config;
        String user = scope == Scope.SHARED ? null : c.userId;
        keyPrefix = scope == Scope.SHARED || user != null
                ? BrowserKeys.storageKey(c.keyPrefix, c.extension, scope, user, "") : null;
    }

    /**
     * The entries of this area under {@code prefix} in key order (UTF-16 code units, as JavaScript's
     * {@code sort}), so pages stay stable while nothing changes. Slots in our namespace that hold no entry (a key
     * breaking the key rule, text that is not JSON, written by another script) are not listed or counted.
     */
    @Override
    JSPromise<Object> listPage(String prefix, Paging paging) {
        JSObject all = WebStorage.entries(session, keyPrefix + prefix, keyPrefix.length());
        if (Js.isNumber(all)) {
            return unavailable();
        }
        JSObject page = Js.array();
        long from = paging.offset();
        long to = from + paging.pageSize();
        int count = 0;
        int n = Js.length(all);
        for (int i = 0; i < n; i++) {
            JSObject slot = Js.at(all, i);
            String key = Js.asString(Js.get(slot, "key"));
            JSObject parsed = StorageKeys.isValid(key) ? Js.parse(Js.asString(Js.get(slot, "text"))) : null;
            if (parsed != null) {
                if (count >= from && count < to) {
                    Js.push(page, Js.listEntry(key, BinaryValues.revive(Js.get(parsed, "v"))));
                }
                count++;
            }
        }
        return JSPromise.resolve(Js.listPage(page, count));
    }

    @Override
    JSPromise<Object> read(String key) {
        JSObject slot = WebStorage.read(session, keyPrefix, key);
        if (Js.isNumber(slot)) {
            return Js.asNumber(slot) == WebStorage.UNAVAILABLE ? unavailable() : invalid(key);
        }
        return JSPromise.resolve(Js.isNullish(slot) ? null : BinaryValues.revive(Js.get(slot, "v")));
    }

    @Override
    JSPromise<JSObject> readEntry(String key) {
        JSObject text = WebStorage.text(session, keyPrefix, key);
        if (Js.isNumber(text)) {
            return cast(unavailable());
        }
        if (Js.isNullish(text)) {
            return JSPromise.resolve(null);
        }
        JSObject parsed = Js.parse(Js.asString(text));
        return parsed == null ? cast(invalid(key))
                : JSPromise.resolve(Js.entry(BinaryValues.revive(Js.get(parsed, "v")),
                        Versions.of(Js.asString(text))));
    }

    @Override
    JSPromise<Object> write(String key, String json, long ttl, boolean conditional, String ifVersion,
            boolean encrypt) {
        // the old text decides the condition and whether the write is a change to tell; with neither, it is
        // not read (a set is then one storage call, as a raw setItem)
        boolean told = context.changes.wanted(tier, scope);
        JSObject old = conditional || told ? WebStorage.text(session, keyPrefix, key) : null;
        if (Js.isNumber(old)) {
            return unavailable();
        }
        String oldText = Js.isNullish(old) ? null : Js.asString(old);
        if (conditional && !sameVersion(oldText, ifVersion)) {
            return conflict(oldText == null ? null : Versions.of(oldText));
        }
        int outcome = WebStorage.write(session, keyPrefix, key, json);
        if (outcome == WebStorage.QUOTA) {
            return rejected(ErrorCode.QUOTA_EXCEEDED, "The browser storage quota is full; nothing was changed");
        }
        if (outcome != WebStorage.STORED) {
            return unavailable();
        }
        if (told && !json.equals(oldText)) {
            context.changes.emit(tier, scope, key, json);
        }
        return JSPromise.resolve(Js.undefined());
    }

    @Override
    JSPromise<Object> delete(String key, boolean conditional, String ifVersion) {
        JSObject old = WebStorage.text(session, keyPrefix, key);
        if (Js.isNumber(old)) {
            return unavailable();
        }
        String oldText = Js.isNullish(old) ? null : Js.asString(old);
        if (conditional && !sameVersion(oldText, ifVersion)) {
            return conflict(oldText == null ? null : Versions.of(oldText));
        }
        if (oldText == null) {
            return JSPromise.resolve(Js.undefined());
        }
        if (!WebStorage.remove(session, keyPrefix, key)) {
            return unavailable();
        }
        context.changes.emit(tier, scope, key, null);
        return JSPromise.resolve(Js.undefined());
    }

    @Override
    JSPromise<Object> readMany(String[] keys) {
        JSObject values = JsBatch.object();
        for (String key : keys) {
            JSObject text = WebStorage.text(session, keyPrefix, key);
            if (Js.isNumber(text)) {
                return unavailable();
            }
            JSObject parsed = Js.isNullish(text) ? null : Js.parse(Js.asString(text));
            if (!Js.isNullish(text) && parsed == null) {
                return invalid(key);
            }
            JsBatch.put(values, key, parsed == null ? null : BinaryValues.revive(Js.get(parsed, "v")));
        }
        return JSPromise.resolve(values);
    }

    /**
     * One synchronous pass, so no other script of this tab sees part of it; when the browser's quota refuses a
     * write, the entries already written get their old text back (or are removed) and nothing is told.
     */
    @Override
    JSPromise<Object> writeMany(String[] keys, String[] texts, long ttl,
            boolean encrypt) {
        String[] old = new String[keys.length];
        for (int i = 0; i < old.length; i++) {
            JSObject o = WebStorage.text(session, keyPrefix, keys[i]);
            if (Js.isNumber(o)) {
                return unavailable();
            }
            old[i] = Js.isNullish(o) ? null : Js.asString(o);
        }
        for (int i = 0; i < old.length; i++) {
            int outcome = WebStorage.write(session, keyPrefix, keys[i], texts[i]);
            if (outcome != WebStorage.STORED) {
                for (int j = i - 1; j >= 0; j--) {
                    if (old[j] == null) {
                        WebStorage.remove(session, keyPrefix, keys[j]);
                    } else {
                        WebStorage.write(session, keyPrefix, keys[j], old[j]);
                    }
                }
                return outcome == WebStorage.QUOTA ? rejected(ErrorCode.QUOTA_EXCEEDED,
                        "The browser storage quota is full; nothing of the batch was changed") : unavailable();
            }
        }
        JSObject versions = JsBatch.object();
        for (int i = 0; i < old.length; i++) {
            if (!texts[i].equals(old[i])) {
                context.changes.emit(tier, scope, keys[i], texts[i]);
            }
            JsBatch.put(versions, keys[i], org.teavm.jso.core.JSString.valueOf(Versions.of(texts[i])));
        }
        return JSPromise.resolve(versions);
    }

    @Override
    JSPromise<Object> deleteMany(String[] keys) {
        for (String key : keys) {
            JSObject old = WebStorage.text(session, keyPrefix, key);
            if (Js.isNumber(old)) {
                return unavailable();
            }
            if (!Js.isNullish(old)) {
                if (!WebStorage.remove(session, keyPrefix, key)) {
                    return unavailable();
                }
                context.changes.emit(tier, scope, key, null);
            }
        }
        return JSPromise.resolve(Js.undefined());
    }

    /**
     * {@code local}: under a Web Lock named after the storage key, so that updates of one entry from several
     * tabs run one after the other, each seeing the previous one's write (see {@link Js#withLock}); each still
     * writes conditionally, against writers that take no lock.
     */
    @Override
    JSPromise<Object> serialized(String key, Js.Task task) {
        return session ? task.run() : Js.withLock("ext-storage-update " + keyPrefix + key, () -> version(key), task);
    }

    private String version(String key) {
        JSObject text = WebStorage.text(false, keyPrefix, key);
        return Js.isString(text) ? Versions.of(Js.asString(text)) : null;
    }

    private static boolean sameVersion(String text, String ifVersion) {
        return text == null ? ifVersion == null : ifVersion != null && ifVersion.equals(Versions.of(text));
    }

    private JSPromise<Object> invalid(String key) {
        // another script may have written the slot: a reader gets an error it can act on (remove), not garbage
        return rejected(ErrorCode.INVALID_VALUE, "The stored value of key '" + key + "' is not valid JSON");
    }

    private JSPromise<Object> unavailable() {
        return rejected(ErrorCode.STORE_UNAVAILABLE,
                (session ? "sessionStorage" : "localStorage") + " is not available in this browser context");
    }
}
