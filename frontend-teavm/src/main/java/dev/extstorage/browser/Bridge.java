package dev.extstorage.browser;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.ResourceRef;
import dev.extstorage.model.Scope;
import dev.extstorage.model.Tier;
import org.teavm.jso.JSObject;
import org.teavm.jso.core.JSPromise;

/**
 * The frame side of the message bridge (SPEC section 12): a sandboxed extension's context sends every storage
 * call over the {@code MessagePort} the host gave its frame and gets the answer back as the same promise an
 * in-page context gives, rejected with the same {@code StorageError}. The frame holds no credential and no Web
 * Storage of its own: the host's {@link BridgeHost} does the work, for this extension only. Changes come as
 * messages of one subscription, open while the context has listeners ({@link Changes}).
 */
final class Bridge implements JsBridge.Receiver {
    /** The id of the one subscription a frame's context keeps with the host. */
    static final int SUBSCRIPTION = 1;

    private final JSObject port;
    private final JSObject pending = JsBridge.map();
    private int nextId;
    private Changes changes;
    private boolean subscribed;

    Bridge(JSObject port) {
        this.port = port;
        JsBridge.listen(port, this);
    }

    /** Where the changes of the subscription go. */
    void deliverTo(Changes c) {
        changes = c;
    }

    /** Sends one call; {@code tier}, {@code scope} and {@code resource} {@code null} where the method has none. */
    JSPromise<Object> call(Tier tier, Scope scope, ResourceRef resource, String method, JSObject args) {
        JSObject message = JsBridge.call(++nextId, tier == null ? null : tier.wireName(),
                scope == null ? null : scope.wireName(), resource == null ? null : resource.type(),
                resource == null ? null : resource.uuid(), method, args);
        return JsBridge.request(port, pending, message, Js.error(ErrorCode.STORE_UNAVAILABLE.name(),
                "The host's storage bridge is closed", -1, -1, null));
    }

    /** Opens ({@code true}) or closes the subscription to every change this extension's user may see. */
    void subscribe(boolean on) {
        if (on != subscribed) {
            subscribed = on;
            // nothing to tell anyone if it fails: the listeners just get no events, as with a lost stream
            Promises.then(call(null, null, null, on ? "subscribe" : "unsubscribe",
                    JsBridge.numberArgs(SUBSCRIPTION)), null, e -> null);
        }
    }

    /** A reply to one of this frame's calls, or a change of its subscription; anything else is ignored. */
    @Override
    public void received(JSObject r) {
        if (!Js.isObject(r)) {
            return;
        }
        JSObject sub = Js.get(r, "sub");
        if (Js.isNumber(sub)) {
            if (changes != null && Js.asNumber(sub) == SUBSCRIPTION) {
                changes.dispatch(Js.get(r, "change"));
            }
            return;
        }
        JSObject e = JsBridge.replyError(r);
        JsBridge.settle(pending, r, e == null ? null : Js.error(text(e, "code", ErrorCode.STORE_UNAVAILABLE.name()),
                text(e, "message", "The host refused the call"), whole(e, "status"), whole(e, "retryAfter"), e));
    }

    private static String text(JSObject o, String name, String absent) {
        JSObject v = Js.get(o, name);
        return Js.isString(v) ? Js.asString(v) : absent;
    }

    private static int whole(JSObject o, String name) {
        JSObject v = Js.get(o, name);
        return Js.isNumber(v) ? (int) Js.asNumber(v) : -1;
    }
}
