package dev.extstorage.browser;

import org.teavm.jso.JSExport;
import org.teavm.jso.JSObject;

/**
 * The module's exports. Each Module Federation container gets its own instance of the module, so the one
 * context bound here is that container's extension's; {@code getContext()} returns it wherever the extension
 * calls it. The host side of sandboxed extensions' bridges is in {@link HostModule}, a module of its own, so that
 * extensions do not load it.
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

    /**
     * For hosts, at start-up: {@link UninstalledKeys#purge}. SPEC section 9 names it the module's; the host's
     * module ({@link HostModule}) exports it too, so a host page needs that module only.
     */
    @JSExport
    public static int purgeUninstalled(JSObject installedIds, JSObject keyPrefix) {
        return UninstalledKeys.purge(installedIds, keyPrefix);
    }
}
