package dev.extstorage.browser;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.Paging;
import dev.extstorage.model.ResourceRef;
import dev.extstorage.model.Scope;
import dev.extstorage.model.StorageException;
import dev.extstorage.model.Tier;
import org.teavm.jso.JSExport;
import org.teavm.jso.JSObject;
import org.teavm.jso.JSProperty;
import org.teavm.jso.core.JSPromise;

/**
 * One tier in one scope as JavaScript sees it: {@code get}, {@code getEntry}, {@code set}, {@code remove},
 * {@code update}, {@code list}, {@code onChange} and {@code shared}. The exported methods receive raw JavaScript arguments,
 * so they check every argument first ({@link CallOptions}), before a subclass touches storage or the network, and turn every rule
 * broken into a rejected promise rather than a throw.
 *
 * <p>Conditional writes (SPEC section 8): {@code ifVersion} absent or {@code undefined} writes unconditionally;
 * a version string only while the entry has that version; {@code null} (for {@code set}) only while the key is
 * absent. A condition that does not hold rejects with {@code PRECONDITION_FAILED} and the current
 * {@code version}, and nothing changes.
 */
abstract class StorageArea extends AreaBase {
    /** Attempts of {@code update} after the first when no {@code retries} option is given. */
    static final int DEFAULT_RETRIES = 10;

    private StorageArea shared;

    StorageArea(ExtensionContext context, Scope scope, Tier tier) {
        this(context, scope, tier, null);
    }

    StorageArea(ExtensionContext context, Scope scope, Tier tier, ResourceRef resource) {
        super(context, scope, tier, resource);
    }

    /** Connects a user-scope area to its shared twin; the shared area is its own {@code shared}. */
    final void setShared(StorageArea shared) {
        this.shared = shared;
    }

    @JSExport
    @JSProperty
    public final StorageArea getShared() {
        return shared == null ? this : shared;
    }

    @JSExport
    public final JSPromise<Object> get(JSObject key) {
        try {
            String k = CallOptions.key(key);
            requireUser();
            return read(k);
        } catch (StorageException e) {
            return rejected(e);
        }
    }

    /** {@code getEntry(key)}: resolves to {@code {value, version}}, or {@code null} for a missing key. */
    @JSExport
    public final JSPromise<Object> getEntry(JSObject key) {
        try {
            String k = CallOptions.key(key);
            requireUser();
            return cast(readEntry(k));
        } catch (StorageException e) {
            return rejected(e);
        }
    }

    @JSExport
    public final JSPromise<Object> set(JSObject key, JSObject value, JSObject options) {
        try {
            String k = CallOptions.key(key);
            String text = jsonText(value);
            long ttl = ttl(options);
            boolean conditional = CallOptions.hasCondition(options);
            String ifVersion = conditional ? CallOptions.ifVersion(options, true) : null;
            boolean encrypt = CallOptions.encrypt(options, tier);
            requireUser();
            return write(k, text, ttl, conditional, ifVersion, encrypt);
        } catch (StorageException e) {
            return rejected(e);
        }
    }

    @JSExport
    public final JSPromise<Object> remove(JSObject key, JSObject options) {
        try {
            String k = CallOptions.key(key);
            boolean conditional = CallOptions.hasCondition(options);
            String ifVersion = conditional ? CallOptions.ifVersion(options, false) : null;
            requireUser();
            return delete(k, conditional, ifVersion);
        } catch (StorageException e) {
            return rejected(e);
        }
    }

    /**
     * {@code getMany(keys)}: resolves to {@code {key: value | null}} for up to 100 distinct keys, in one request on
     * the server tiers (README "Batches").
     */
    @JSExport
    public final JSPromise<Object> getMany(JSObject keys) {
        try {
            String[] k = CallOptions.keys(keys);
            requireUser();
            return readMany(k);
        } catch (StorageException e) {
            return rejected(e);
        }
    }

    /**
     * {@code setMany({key: value, ...}, {ttl, encrypt})}: stores every value, all or nothing; resolves to
     * {@code {key: version}}. Each value is checked as {@code set} checks it, the values together at most the
     * value limit.
     */
    @JSExport
    public final JSPromise<Object> setMany(JSObject values, JSObject options) {
        try {
            String[] keys = CallOptions.entryKeys(values);
            String[] texts = batchTexts(keys, values);
            long ttl = ttl(options);
            boolean encrypt = CallOptions.encrypt(options, tier);
            requireUser();
            return writeMany(keys, texts, ttl, encrypt);
        } catch (StorageException e) {
            return rejected(e);
        }
    }

    /** {@code removeMany(keys)}: removes up to 100 distinct keys (absent ones are no error); resolves to undefined. */
    @JSExport
    public final JSPromise<Object> removeMany(JSObject keys) {
        try {
            String[] k = CallOptions.keys(keys);
            requireUser();
            return deleteMany(k);
        } catch (StorageException e) {
            return rejected(e);
        }
    }

    /** The stored texts of a batch's values, each as {@link #jsonText}, together within the value limit. */
    private String[] batchTexts(String[] keys, JSObject values) {
        String[] texts = new String[keys.length];
        long total = 0;
        for (int i = 0; i < keys.length; i++) {
            texts[i] = jsonText(Js.get(values, keys[i]));
            total += dev.extstorage.model.Batches.valueSize(texts[i]);
        }
        dev.extstorage.model.Batches.requireTotal(total, context.config.limits.maxValueBytes());
        return texts;
    }

    /** Batches, their arguments checked: {@code {key: value | null}}; {@code {key: version}}, all or nothing; undefined. */
    abstract JSPromise<Object> readMany(String[] keys);

    abstract JSPromise<Object> writeMany(String[] keys, String[] texts, long ttl,
            boolean encrypt);

    abstract JSPromise<Object> deleteMany(String[] keys);

    /**
     * {@code update(key, fn, {retries, ttl})}: reads the entry, computes {@code fn(oldValue)} ({@code null}
     * when absent; {@code fn} may return a promise) and writes it only if the entry is still as read, reading
     * and computing again after a conflict, at most {@code retries} times (default {@value #DEFAULT_RETRIES}).
     * Resolves to the value written; rejects with what {@code fn} throws, or {@code PRECONDITION_FAILED} when
     * every attempt met a conflict.
     */
    @JSExport
    public final JSPromise<Object> update(JSObject key, JSObject fn, JSObject options) {
        try {
            String k = CallOptions.key(key);
            if (!"function".equals(Js.typeOf(fn))) {
                throw new StorageException(ErrorCode.INVALID_BODY, "update needs a function (oldValue) => newValue");
            }
            int retries = CallOptions.retries(options);
            long ttl = ttl(options);
            requireUser();
            return serialized(k, () -> attempt(k, fn, ttl, retries));
        } catch (StorageException e) {
            return rejected(e);
        }
    }

    private JSPromise<Object> attempt(String k, JSObject fn, long ttl, int retriesLeft) {
        return Promises.then(readEntry(k), e -> {
            boolean absent = Js.isNullish(e);
            JSObject old = absent ? null : Js.get(e, "value");
            JSObject v = absent ? null : Js.get(e, "version");
            String version = Js.isString(v) ? Js.asString(v) : null;
            return Promises.then(Js.apply(fn, old), value -> {
                String text;
                try {
                    text = jsonText(value);
                } catch (StorageException x) {
                    return rejected(x);
                }
                return Promises.then(write(k, text, ttl, true, version, false), ok -> JSPromise.resolve(value),
                        err -> retriesLeft > 0 && isConflict(err) ? attempt(k, fn, ttl, retriesLeft - 1)
                                : JSPromise.reject(err));
            });
        });
    }

    /**
     * {@code list({prefix, page, pageSize})}: resolves to {@code {result: [{key, value}], count}}, the page of
     * this tier's and scope's entries whose keys start with {@code prefix} (literally, {@link KeyPrefixes}) and
     * how many there are in all. Paging as the server's ({@link Arguments#paging}); a bad option rejects with
     * {@code INVALID_QUERY} before anything is read.
     */
    @JSExport
    public final JSPromise<Object> list(JSObject options) {
        try {
            String prefix = CallOptions.listPrefix(options);
            Paging paging = CallOptions.listPaging(options);
            requireUser();
            return listPage(prefix, paging);
        } catch (StorageException e) {
            return rejected(e);
        }
    }

    /** {@code onChange(listener)}: the changes of this tier and scope; returns the function that stops them. */
    @JSExport
    public final Js.Unsubscribe onChange(JSObject listener) {
        return context.changes.add(tier, scope, resourceFilter(), listener);
    }

    /**
     * Which entries' changes this area's listeners get: {@code null} any (tiers without resources), {@code ""}
     * plain entries only (the persistent tier's plain areas), else one resource's
     * ({@link ResourceRef#storageForm()}).
     */
    final String resourceFilter() {
        return resource != null ? resource.storageForm() : tier == Tier.PERSISTENT ? "" : null;
    }

    /** Resolves to {@code {result: [{key, value}], count}}: one page of the keys under {@code prefix}. */
    abstract JSPromise<Object> listPage(String prefix, Paging paging);

    /** Resolves to the value or {@code null}. */
    abstract JSPromise<Object> read(String key);

    /** Resolves to {@link Js#entry} or {@code null}. */
    abstract JSPromise<JSObject> readEntry(String key);

    /**
     * Resolves to {@code undefined} once stored. {@code ttl} as returned by {@link #ttl}; {@code ifVersion}, if
     * {@code conditional}: the version the entry must have, {@code null} for absent.
     */
    abstract JSPromise<Object> write(String key, String json, long ttl, boolean conditional, String ifVersion,
            boolean encrypt);

    abstract JSPromise<Object> delete(String key, boolean conditional, String ifVersion);

    /** Runs one {@code update} of {@code key}; the {@code local} tier serializes them across tabs. */
    JSPromise<Object> serialized(String key, Js.Task task) {
        return task.run();
    }

    /** The TTL {@code set}'s options give, or 0 where the tier has none; checked before anything is written. */
    long ttl(JSObject options) {
        return 0;
    }


    private static boolean isConflict(JSObject err) {
        JSObject code = Js.isObject(err) ? Js.get(err, "code") : null;
        return Js.isString(code) && ErrorCode.PRECONDITION_FAILED.name().equals(Js.asString(code));
    }


}
