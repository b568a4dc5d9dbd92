package dev.extstorage.browser;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.Scope;
import dev.extstorage.model.StorageKeys;
import dev.extstorage.model.Tier;
import org.teavm.jso.JSObject;

/**
 * The change listeners of one context (SPEC section 8) and where their events come from: {@code local} and
 * {@code session} writes of this tab ({@link #emit}), {@code local} writes of other tabs (the window's
 * {@code storage} event, listened to while a listener wants {@code local}) and the server tiers'
 * {@link ChangeStream} (open while a listener wants a server tier). A listener sees only its tier and scope
 * ({@code null}: all), and only entries of this extension and user: other tabs' keys are matched against the
 * layout prefixes of this context's own areas, the stream carries only what the server lets this user read.
 */
final class Changes implements JsEvents.StorageHandler, SseParser.Sink {
    /** One listener; it is also the unsubscribe function {@code onChange} returns. */
    final class Listener implements Js.Unsubscribe {
        final String tier;
        final String scope;
        final String resource;
        final JSObject fn;

        Listener(String tier, String scope, String resource, JSObject fn) {
            this.tier = tier;
            this.scope = scope;
            this.resource = resource;
            this.fn = fn;
        }

        @Override
        public void call() {
            remove(this);
        }

        boolean wants(String t, String s) {
            return wants(t, s, "");
        }

        /** @param r the change's resource ({@code type/uuid}), {@code ""} for a plain entry */
        boolean wants(String t, String s, String r) {
            return (tier == null || tier.equals(t)) && (scope == null || scope.equals(s))
                    && (resource == null || resource.equals(r));
        }
    }

    private final ExtensionContext context;
    /** Copied on change, so that a listener added or removed during a dispatch does not disturb it. */
    private Listener[] listeners = new Listener[0];
    private final ChangeStream stream;
    private JSObject storageHandler;
    private BrowserArea[] localAreas = new BrowserArea[0];

    Changes(ExtensionContext context) {
        this.context = context;
        this.stream = new ChangeStream(context, this);
    }

    /** The {@code local} areas (user and shared) whose keys other tabs' events are matched against. */
    void watchLocal(BrowserArea user, BrowserArea shared) {
        localAreas = new BrowserArea[] {user, shared};
    }

    /**
     * Adds {@code fn} for changes of {@code tier} in {@code scope} ({@code null}: any) and of {@code resource}
     * ({@code null}: any; {@code ""}: plain entries only; else {@code type/uuid}, SPEC section 10).
     *
     * @throws StorageError (in JavaScript) {@code INVALID_BODY} unless {@code fn} is a function
     */
    Listener add(Tier tier, Scope scope, String resource, JSObject fn) {
        if (!"function".equals(Js.typeOf(fn))) {
            Js.raise(Js.error(ErrorCode.INVALID_BODY.name(), "onChange needs a function (change) => void", -1, -1,
                    null));
        }
        Listener l = new Listener(tier == null ? null : tier.wireName(), scope == null ? null : scope.wireName(),
                resource, fn);
        Listener[] next = new Listener[listeners.length + 1];
        for (int i = 0; i < listeners.length; i++) {
            next[i] = listeners[i];
        }
        next[listeners.length] = l;
        listeners = next;
        sources();
        return l;
    }

    /** Removes {@code l}; again: nothing. */
    private void remove(Listener l) {
        int n = 0;
        for (Listener x : listeners) {
            n += x == l ? 0 : 1;
        }
        if (n < listeners.length) {
            Listener[] next = new Listener[n];
            n = 0;
            for (Listener x : listeners) {
                if (x != l) {
                    next[n++] = x;
                }
            }
            listeners = next;
            sources();
        }
    }

    /** Opens or closes the event sources as the listeners now need them. */
    private void sources() {
        if (context.bridge != null) {
            // a sandboxed frame: the host listens to every source for it and passes each change on
            context.bridge.subscribe(listeners.length > 0);
            return;
        }
        boolean local = false;
        boolean server = false;
        for (Listener l : listeners) {
            local |= l.tier == null || l.tier.equals("local");
            server |= l.tier == null || !l.tier.equals("local") && !l.tier.equals("session");
        }
        if (local && storageHandler == null) {
            storageHandler = JsEvents.onStorage(this);
        } else if (!local && storageHandler != null) {
            JsEvents.offStorage(storageHandler);
            storageHandler = null;
        }
        if (server) {
            stream.start();
        } else {
            stream.stop();
        }
    }

    /**
     * Whether a listener wants the changes of {@code tier} in {@code scope}: a write nobody listens to needs
     * not find out whether it changes anything ({@link #emit} tells exactly these listeners).
     */
    boolean wanted(Tier tier, Scope scope) {
        String t = tier.wireName();
        String s = scope.wireName();
        for (Listener l : listeners) {
            if (l.wants(t, s)) {
                return true;
            }
        }
        return false;
    }

    /** A browser-tier change; {@code text} is the new stored text, {@code null} for a removal. */
    void emit(Tier tier, Scope scope, String key, String text) {
        String t = tier.wireName();
        String s = scope.wireName();
        JSObject change = null;
        for (Listener l : listeners) {
            if (l.wants(t, s)) {
                if (change == null) {
                    change = Js.change(t, s, key, text == null ? null : Versions.of(text), text);
                    if (text != null) {
                        Js.set(change, "value", BinaryValues.revive(Js.get(change, "value")));
                    }
                }
                Js.notify(l.fn, change);
            }
        }
    }

    /** A {@code storage} event: another tab changed {@code storageKey} of {@code localStorage}. */
    @Override
    public void changed(String storageKey, String newValue) {
        for (BrowserArea area : localAreas) {
            String prefix = area.keyPrefix;
            if (prefix != null && storageKey.startsWith(prefix)) {
                String key = storageKey.substring(prefix.length());
                // a slot another script wrote in our namespace but not as JSON is no entry of ours
                if (StorageKeys.isValid(key) && (newValue == null || Js.parse(newValue) != null)) {
                    emit(Tier.LOCAL, area.scope, key, newValue);
                }
            }
        }
    }

    /** An event of the server stream: {@code change} with the change as JSON, or {@code reset}. */
    @Override
    public void event(String type, String data) {
        JSObject parsed = type.equals("reset") ? Js.parse("{\"reset\":true}")
                : type.equals("change") ? Js.parse(data) : null;
        if (parsed != null) {
            dispatch(Js.get(parsed, "v"));
        }
    }

    /**
     * A change of the server stream, or any change the host's side of a sandboxed frame's bridge passes on:
     * {@code {tier, scope, key, version, value, deleted, resource}}, or {@code {reset: true}} (events of the
     * server tiers may have been missed), given to the listeners that want it. Anything else is dropped.
     */
    void dispatch(JSObject change) {
        if (change == null || !Js.isObject(change)) {
            return;
        }
        if (Js.isTrue(Js.get(change, "reset"))) {
            for (Listener l : listeners) {
                if (l.tier == null || !l.tier.equals("local") && !l.tier.equals("session")) {
                    Js.notify(l.fn, change);
                }
            }
            return;
        }
        // the stream carries values as stored: a binary one is its marked base64 string
        if (!Js.isUndefined(Js.get(change, "value"))) {
            Js.set(change, "value", BinaryValues.revive(Js.get(change, "value")));
        }
        JSObject tier = Js.get(change, "tier");
        JSObject scope = Js.get(change, "scope");
        if (!Js.isString(tier) || !Js.isString(scope)) {
            return;
        }
        JSObject resource = Js.get(change, "resource");
        String r = "";
        if (Js.isObject(resource) && Js.isString(Js.get(resource, "type")) && Js.isString(Js.get(resource, "uuid"))) {
            r = Js.asString(Js.get(resource, "type")) + "/" + Js.asString(Js.get(resource, "uuid"));
        }
        for (Listener l : listeners) {
            if (l.wants(Js.asString(tier), Js.asString(scope), r)) {
                Js.notify(l.fn, change);
            }
        }
    }
}
