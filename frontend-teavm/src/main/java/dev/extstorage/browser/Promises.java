package dev.extstorage.browser;

import org.teavm.jso.JSBody;
import org.teavm.jso.JSFunctor;
import org.teavm.jso.JSObject;
import org.teavm.jso.core.JSPromise;

/**
 * {@code promise.then} with handlers that take and give JavaScript values. Why not {@link JSPromise#then}: its
 * handlers are generic, so TeaVM wraps each value passing them in a Java object and unwraps it again
 * (its JSWrapper, with weak maps and finalization registries: about 1.3 KB of the module).
 */
final class Promises {
    private Promises() {
    }

    /** A fulfilment or rejection handler: a value or a promise of one, as a {@code then} callback returns. */
    @JSFunctor
    interface Step extends JSObject {
        JSObject apply(JSObject value);
    }

    /** {@code p.then(ok)}. */
    @JSBody(params = {"p", "ok"}, script = "return p.then(ok);")
    static native <T> JSPromise<T> then(JSPromise<?> p, Step ok);

    /** {@code p.then(ok, fail)}; {@code ok} may be {@code null} (rejections only). */
    @JSBody(params = {"p", "ok", "fail"}, script = "return p.then(ok, fail);")
    static native <T> JSPromise<T> then(JSPromise<?> p, Step ok, Step fail);
}
