package dev.extstorage.browser;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.ResourceRef;
import dev.extstorage.model.Scope;
import dev.extstorage.model.StorageException;
import dev.extstorage.model.Tier;
import org.teavm.jso.JSExport;
import org.teavm.jso.JSObject;
import org.teavm.jso.core.JSPromise;

/**
 * The host's side of a sandboxed extension's message bridge (SPEC section 12), from {@code serveBridge(port,
 * options)}: it serves the calls arriving on {@code port} with a context of its own, built from the host's
 * {@code options} for that one extension (its bound token, the host's Web Storage under that extension's
 * prefix), so a frame can reach no other extension's data whatever it posts: a message names no extension, and
 * the credential never leaves the host.
 *
 * <p>Each message is checked before anything is done: a plain object with only the members of a call
 * ({@link JsBridge#MEMBERS}), a safe integer {@code id}, a known method, a known tier and scope (or none, for
 * the methods that take none), a resource only on the persistent tier, at most {@value #MAX_ARGS} arguments that
 * are all strings, numbers, booleans or {@code null}, their text within the value limit. The arguments then go to
 * the same {@link StorageArea} methods an in-page extension calls, which check them as they check any caller's.
 * At most {@value #MAX_IN_FLIGHT} calls of a frame are under way at once and {@value #MAX_SUBSCRIPTIONS}
 * subscriptions open; beyond, {@code RATE_LIMITED}. A refused call is answered with its error ({@code id}
 * {@code null} when the message had no usable id), never thrown.
 *
 * <p>{@code frame} calls are the sandbox page's own reports, passed to the host's {@code onFrame(event, detail)}:
 * {@code size} (the content's height in CSS pixels, 0 to {@value #MAX_FRAME_HEIGHT}), {@code ready}, and
 * {@code error} with a message; a valid one gets no answer, a malformed one is refused as any call is.
 */
final class BridgeHost implements JsBridge.Receiver {
    static final int MAX_IN_FLIGHT = 32;
    static final int MAX_SUBSCRIPTIONS = 4;
    static final int MAX_ARGS = 5;
    static final double MAX_FRAME_HEIGHT = 100_000;
    /** Text a call may carry beyond its value's: key, version, prefix, messages. */
    static final long OVERHEAD_UNITS = 4096;

    private final ExtensionContext context;
    private final JSObject port;
    private final JSObject onFrame;
    private final double[] subscriptionIds = new double[MAX_SUBSCRIPTIONS];
    // Changes.Listener, not Js.Unsubscribe: an array of a JavaScript type would make TeaVM wrap each element
    private final Changes.Listener[] subscriptions = new Changes.Listener[MAX_SUBSCRIPTIONS];
    private int inFlight;
    private boolean closed;

    BridgeHost(ExtensionContext context, JSObject port, JSObject onFrame) {
        this.context = context;
        this.port = port;
        this.onFrame = onFrame;
        JsBridge.listen(port, this);
    }

    /** Stops serving: closes the port and every subscription; calls under way are answered to no one. */
    @JSExport
    public void close() {
        closed = true;
        for (int i = 0; i < MAX_SUBSCRIPTIONS; i++) {
            if (subscriptions[i] != null) {
                subscriptions[i].call();
                subscriptions[i] = null;
            }
        }
        JsBridge.close(port);
    }

    @Override
    public void received(JSObject m) {
        if (closed) {
            return;
        }
        JSObject id = JsBridge.isPlainObject(m) && JsBridge.isSafeInteger(Js.get(m, "id")) ? Js.get(m, "id") : null;
        try {
            handle(m, id);
        } catch (StorageException e) {
            JsBridge.post(port, JsBridge.refusal(id, Js.error(e.code().name(), e.getMessage(), -1, -1,
                    e.limit() >= 0 ? Js.limits(e.limit(), e.actual()) : null)));
        }
    }

    private void handle(JSObject m, JSObject id) {
        if (id == null) {
            throw malformed("A bridge message must be an object {id, tier, scope, resource, method, args} whose id"
                    + " is a safe integer");
        }
        String unknown = JsBridge.unknownMember(m, JsBridge.MEMBERS);
        if (unknown != null) {
            throw malformed("A bridge message has no member '" + unknown + "': a frame's calls always act on its"
                    + " own extension, user and credentials, which the host chose");
        }
        JSObject args = Js.get(m, "args");
        if (!JsBridge.isPrimitiveArray(args, MAX_ARGS)) {
            throw malformed("args must be an array of at most " + MAX_ARGS
                    + " strings, finite numbers, booleans or nulls");
        }
        // binary values travel as base64 text, a third longer than the bytes the limit counts
        long limit = context.config.limits.maxValueBytes() / 3 * 4 + OVERHEAD_UNITS;
        double units = JsBridge.stringUnits(args);
        if (units > limit) {
            throw new StorageException(ErrorCode.VALUE_TOO_LARGE, "A bridge message may carry at most "
                    + Js.numberToString(limit) + " characters of text", limit, (long) units);
        }
        JSObject method = Js.get(m, "method");
        String name = Js.isString(method) ? Js.asString(method) : "";
        if (name.equals("frame")) {
            requireNoArea(m);
            frame(args);
            return;
        }
        boolean storage = name.equals("get") || name.equals("getEntry") || name.equals("set")
                || name.equals("remove") || name.equals("list") || name.equals("getMany")
                || name.equals("setMany") || name.equals("removeMany");
        if (!storage && !name.equals("usage") && !name.equals("subscribe") && !name.equals("unsubscribe")) {
            throw malformed("Unknown bridge method; the methods are get, getEntry, set, remove, list, getMany,"
                    + " setMany, removeMany, usage, subscribe, unsubscribe and frame");
        }
        if (!storage) {
            requireNoArea(m);
        }
        if (name.equals("subscribe") || name.equals("unsubscribe")) {
            subscription(id, name.equals("subscribe"), Js.at(args, 0));
            return;
        }
        if (inFlight >= MAX_IN_FLIGHT) {
            throw new StorageException(ErrorCode.RATE_LIMITED, "At most " + MAX_IN_FLIGHT
                    + " bridge calls of a frame may be under way at once");
        }
        answer(id, storage ? storage(area(m), name, args) : context.getStorage().usage());
    }

    private static JSPromise<Object> storage(StorageArea area, String method, JSObject args) {
        JSObject key = Js.at(args, 0);
        if (method.equals("get")) {
            return area.get(key);
        }
        if (method.equals("getEntry")) {
            return area.getEntry(key);
        }
        if (method.equals("remove")) {
            return area.remove(key, JsBridge.removeOptions(args));
        }
        if (method.equals("list")) {
            return area.list(JsBridge.listOptions(args));
        }
        if (method.endsWith("Many")) {
            return batch(area, method, args);
        }
        // set: the value as its JSON text, checked again as a value by set itself
        JSObject text = Js.at(args, 1);
        JSObject parsed = Js.isString(text) ? Js.parse(Js.asString(text)) : null;
        if (parsed == null) {
            return StorageArea.rejected(ErrorCode.INVALID_VALUE, "set carries its value as JSON text");
        }
        return area.set(key, BinaryValues.revive(Js.get(parsed, "v")), JsBridge.setOptions(args));
    }

    /**
     * {@code getMany}/{@code removeMany} {@code [keys]}, {@code setMany} {@code [keys, texts, ttl, encrypt]}: the
     * keys and the values' stored texts as JSON array texts (counted against the message's text bound), handed to
     * the area's batch methods, which check them as any caller's.
     */
    private static JSPromise<Object> batch(StorageArea area, String method, JSObject args) {
        JSObject keys = parsed(Js.at(args, 0));
        if (!method.equals("setMany")) {
            return method.equals("getMany") ? area.getMany(keys) : area.removeMany(keys);
        }
        JSObject texts = parsed(Js.at(args, 1));
        if (!Js.isStringArray(keys) || !Js.isStringArray(texts) || Js.length(keys) != Js.length(texts)) {
            return StorageArea.rejected(ErrorCode.INVALID_BODY, "setMany carries its keys and their values' texts"
                    + " as two JSON arrays of strings of one length");
        }
        JSObject values = JsBatch.object();
        for (int i = 0; i < Js.length(keys); i++) {
            JSObject value = Js.parse(Js.asString(Js.at(texts, i)));
            if (value == null) {
                return StorageArea.rejected(ErrorCode.INVALID_VALUE, "setMany carries each value as JSON text");
            }
            JsBatch.put(values, Js.asString(Js.at(keys, i)), BinaryValues.revive(Js.get(value, "v")));
        }
        return area.setMany(values, JsBridge.setManyOptions(args));
    }

    /** What a JSON text argument holds, or {@code null} (which the batch methods refuse). */
    private static JSObject parsed(JSObject text) {
        JSObject p = Js.isString(text) ? Js.parse(Js.asString(text)) : null;
        return p == null ? null : Js.get(p, "v");
    }

    private void answer(JSObject id, JSPromise<Object> result) {
        inFlight++;
        Promises.then(result, value -> {
            inFlight--;
            if (!closed && !JsBridge.post(port, JsBridge.ok(id, value))) {
                JsBridge.post(port, JsBridge.refusal(id, Js.error(ErrorCode.STORE_UNAVAILABLE.name(),
                        "The answer could not be passed to the frame", -1, -1, null)));
            }
            return null;
        }, error -> {
            inFlight--;
            if (!closed) {
                JsBridge.post(port, JsBridge.refusal(id, error));
            }
            return null;
        });
    }

    /** The area a storage call names: its tier, scope and (persistent only) resource, all of this extension. */
    private StorageArea area(JSObject m) {
        JSObject t = Js.get(m, "tier");
        JSObject s = Js.get(m, "scope");
        Tier tier = null;
        // the constants, not Tier.values(): its array copy (clone) brings TeaVM's Cloneable check and class
        // assignability cache into the module
        for (Tier x : new Tier[] {Tier.LOCAL, Tier.SESSION, Tier.EPHEMERAL, Tier.PERSISTENT}) {
            if (Js.isString(t) && x.wireName().equals(Js.asString(t))) {
                tier = x;
            }
        }
        Scope scope = Js.isString(s) && Js.asString(s).equals("user") ? Scope.USER
                : Js.isString(s) && Js.asString(s).equals("shared") ? Scope.SHARED : null;
        if (tier == null || scope == null) {
            throw malformed("tier must be local, session, ephemeral or persistent and scope user or shared");
        }
        ExtensionContext.Tiers tiers = context.getStorage();
        StorageArea area = tier == Tier.LOCAL ? tiers.getLocal() : tier == Tier.SESSION ? tiers.getSession()
                : tier == Tier.EPHEMERAL ? tiers.getEphemeral() : tiers.getPersistent();
        area = scope == Scope.SHARED ? area.getShared() : area;
        JSObject r = Js.get(m, "resource");
        if (Js.isUndefined(r)) {
            return area;
        }
        if (tier != Tier.PERSISTENT || !JsBridge.isPlainObject(r) || JsBridge.unknownMember(r, "type,uuid") != null
                || !Js.isString(Js.get(r, "type")) || !Js.isString(Js.get(r, "uuid"))) {
            throw malformed("resource must be {type, uuid}, on the persistent tier only");
        }
        return ((PersistentArea) area).forResource(ResourceRef.of(Js.asString(Js.get(r, "type")),
                Js.asString(Js.get(r, "uuid"))));
    }

    private static void requireNoArea(JSObject m) {
        if (!Js.isUndefined(Js.get(m, "tier")) || !Js.isUndefined(Js.get(m, "scope"))
                || !Js.isUndefined(Js.get(m, "resource"))) {
            throw malformed("This bridge method takes no tier, scope or resource");
        }
    }

    /** {@code subscribe(sub)}: every change this extension's user may see, sent as {@code {sub, change}}. */
    private void subscription(JSObject id, boolean open, JSObject sub) {
        if (!JsBridge.isSafeInteger(sub)) {
            throw malformed("A subscription is named by a safe integer");
        }
        double n = Js.asNumber(sub);
        int slot = -1;
        int free = -1;
        for (int i = 0; i < MAX_SUBSCRIPTIONS; i++) {
            if (subscriptions[i] != null && subscriptionIds[i] == n) {
                slot = i;
            } else if (subscriptions[i] == null && free < 0) {
                free = i;
            }
        }
        if (open && slot < 0) {
            if (free < 0) {
                throw new StorageException(ErrorCode.RATE_LIMITED, "At most " + MAX_SUBSCRIPTIONS
                        + " subscriptions of a frame may be open at once");
            }
            subscriptionIds[free] = n;
            subscriptions[free] = context.changes.add(null, null, null, JsBridge.function(change -> {
                if (!closed) {
                    JsBridge.post(port, JsBridge.event(sub, change));
                }
            }));
        } else if (!open && slot >= 0) {
            subscriptions[slot].call();
            subscriptions[slot] = null;
        }
        JsBridge.post(port, JsBridge.ok(id, Js.undefined()));
    }

    private void frame(JSObject args) {
        JSObject event = Js.at(args, 0);
        JSObject detail = Js.at(args, 1);
        String e = Js.isString(event) ? Js.asString(event) : "";
        boolean valid = e.equals("size") ? Js.isNumber(detail) && Js.asNumber(detail) >= 0
                && Js.asNumber(detail) <= MAX_FRAME_HEIGHT
                : e.equals("ready") || e.equals("error") && Js.isString(detail) && Js.asString(detail).length() <= 500;
        if (!valid) {
            throw malformed("frame reports are size (0-100000 pixels), ready, or error with a message of at most"
                    + " 500 characters");
        }
        JsBridge.notifyFrame(onFrame, e, detail);
    }

    private static StorageException malformed(String message) {
        return new StorageException(ErrorCode.INVALID_BODY, message);
    }
}
