package dev.extstorage.browser;

import dev.extstorage.model.BrowserKeys;
import org.teavm.jso.JSExport;
import org.teavm.jso.JSObject;

/**
 * The module's exports. Each Module Federation container gets its own instance of the module, so the one
 * context bound here is that container's extension's; {@code getContext()} returns it wherever the extension
 * calls it.
 */
public final class ExtensionStorageModule {
    /** Not a SPEC section 4 code: the module was used before the host bound a context. */
    static final String NOT_BOUND = "NOT_BOUND";

    // JSObject, not Object: a JavaScript value in an Object field is wrapped (TeaVM's JSWrapper, about 1 KB)
    private static JSObject bound;

    private ExtensionStorageModule() {
    }

    /** The bound context. @throws Error with code {@value #NOT_BOUND} if none is bound */
    @JSExport
    public static JSObject getContext() {
        if (bound == null) {
            Js.throwModuleError(NOT_BOUND, "getContext() was called outside a bound extension: the host must call "
                    + "bindContext(createExtensionContext({...})) on this module instance first");
        }
        return bound;
    }

    /**
     * Builds a context from host options {@code {publisher, name, user, apiBase, keyPrefix, credentials,
     * headers, limits}}. @throws Error with code {@value InvalidOptionsException#CODE} naming the bad option
     */
    @JSExport
    public static ExtensionContext createExtensionContext(JSObject options) {
        try {
            return Options.context(options);
        } catch (InvalidOptionsException e) {
            Js.throwModuleError(InvalidOptionsException.CODE, e.getMessage());
            return null;
        }
    }

    /**
     * For hosts: serves the bridge of one sandboxed extension's frame (SPEC section 12) on {@code port}, the end of
     * a {@code MessageChannel} the host keeps (it transfers the other end to the frame, whose module then gets a
     * context with {@code createExtensionContext({publisher, name, user, port})}). {@code options} are the host
     * options of {@code createExtensionContext} for that extension (typically {@code getToken} minting its bound
     * token, {@code credentials: 'omit'}), plus {@code onFrame(event, detail)} for the sandbox page's reports
     * ({@code size} with the content's height, {@code ready}, {@code error} with a message). Returns the bridge,
     * whose {@code close()} stops it. @throws Error with code {@value InvalidOptionsException#CODE} for bad options
     */
    @JSExport
    public static BridgeHost serveBridge(JSObject port, JSObject options) {
        if (!JsBridge.isPort(port)) {
            Js.throwModuleError(InvalidOptionsException.CODE, "port must be a MessagePort");
        }
        if (Js.isObject(options) && !Js.isNullish(Js.get(options, "port"))) {
            Js.throwModuleError(InvalidOptionsException.CODE, "the host's options of a bridge take no port");
        }
        ExtensionContext context = createExtensionContext(options);
        return new BridgeHost(context, port, Js.get(options, "onFrame"));
    }

    /**
     * For hosts, at start-up: removes from {@code localStorage} and {@code sessionStorage} every slot of the SPEC
     * section 2 layout under {@code keyPrefix} (default {@value BrowserKeys#DEFAULT_PREFIX}) whose extension id
     * is not in {@code installedIds} (an array of {@code publisher.name}), both scopes and every user; other
     * prefixes' and other apps' keys stay ({@link BrowserKeys#extensionIdOf}). Returns how many slots it removed.
     * A storage that cannot be used is skipped. @throws Error with code {@value InvalidOptionsException#CODE}
     * for arguments of another shape, before anything is removed
     */
    @JSExport
    public static int purgeUninstalled(JSObject installedIds, JSObject keyPrefix) {
        String prefix = Js.isNullish(keyPrefix) ? BrowserKeys.DEFAULT_PREFIX
                : Js.isString(keyPrefix) ? Js.asString(keyPrefix) : null;
        String problem = prefix == null ? "keyPrefix must be a string" : BrowserKeys.prefixProblem(prefix);
        if (!Js.isStringArray(installedIds)) {
            problem = "installedIds must be an array of extension ids (publisher.name)";
        }
        if (problem != null) {
            Js.throwModuleError(InvalidOptionsException.CODE, problem);
        }
        return purge(false, prefix, installedIds) + purge(true, prefix, installedIds);
    }

    private static int purge(boolean session, String prefix, JSObject installedIds) {
        JSObject keys = WebStorage.keys(session);
        int removed = 0;
        int n = Js.isNumber(keys) ? 0 : Js.length(keys);
        for (int i = 0; i < n; i++) {
            String key = Js.asString(Js.at(keys, i));
            String id = BrowserKeys.extensionIdOf(prefix, key);
            if (id != null && !Js.includes(installedIds, id) && WebStorage.remove(session, "", key)) {
                removed++;
            }
        }
        return removed;
    }

    /**
     * Makes {@code getContext()} return {@code context}: a context of this or another instance of the module,
     * or host options, which are first turned into a context. {@code null} unbinds. Returns the bound context.
     */
    @JSExport
    public static JSObject bindContext(JSObject context) {
        if (Js.isNullish(context)) {
            bound = null;
        } else if ((Object) context instanceof ExtensionContext || Js.isObject(Js.get(context, "storage"))) {
            bound = context;
        } else {
            bound = Js.asJs(createExtensionContext(context));
        }
        return bound;
    }
}
