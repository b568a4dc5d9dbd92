package dev.extstorage.browser;

import org.teavm.jso.JSExport;
import org.teavm.jso.JSObject;

/**
 * The exports of the host's module ({@code @extension-storage/core/host}): what only a host page calls. A module
 * of its own, compiled from the same sources as {@link ExtensionStorageModule}, so that the module every extension
 * loads does not carry the host side of the sandbox bridge. A bridge's context is built by this module's own copy
 * of that code: a host binds its extensions' contexts with the core module and needs this one only for these.
 */
public final class HostModule {
    private HostModule() {
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
        ExtensionContext context = ExtensionStorageModule.createExtensionContext(options);
        return new BridgeHost(context, port, Js.get(options, "onFrame"));
    }

    /** For hosts, at start-up: {@link UninstalledKeys#purge}, as the core module exports it too. */
    @JSExport
    public static int purgeUninstalled(JSObject installedIds, JSObject keyPrefix) {
        return UninstalledKeys.purge(installedIds, keyPrefix);
    }
}
