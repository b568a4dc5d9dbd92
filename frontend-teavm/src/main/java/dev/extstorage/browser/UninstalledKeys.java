package dev.extstorage.browser;

import dev.extstorage.model.BrowserKeys;
import org.teavm.jso.JSObject;

/**
 * The Web Storage keys of extensions no longer installed: what a host removes at start-up with
 * {@code purgeUninstalled}, which both the core module (SPEC section 9) and the host's module export.
 */
final class UninstalledKeys {
    private UninstalledKeys() {
    }

    /**
     * For hosts, at start-up: removes from {@code localStorage} and {@code sessionStorage} every slot of the SPEC
     * section 2 layout under {@code keyPrefix} (default {@value BrowserKeys#DEFAULT_PREFIX}) whose extension id
     * is not in {@code installedIds} (an array of {@code publisher.name}), both scopes and every user; other
     * prefixes' and other apps' keys stay ({@link BrowserKeys#extensionIdOf}). Returns how many slots it removed.
     * A storage that cannot be used is skipped. @throws Error with code {@value InvalidOptionsException#CODE}
     * for arguments of another shape, before anything is removed
     */
    static int purge(JSObject installedIds, JSObject keyPrefix) {
        String prefix = Js.isNullish(keyPrefix) ? BrowserKeys.DEFAULT_PREFIX
                : Js.isString(keyPrefix) ? Js.asString(keyPrefix) : null;
        String problem = prefix == null ? "keyPrefix must be a string" : BrowserKeys.prefixProblem(prefix);
        if (!Js.isStringArray(installedIds)) {
            problem = "installedIds must be an array of extension ids (publisher.name)";
        }
        if (problem != null) {
            Js.throwModuleError(InvalidOptionsException.CODE, problem);
        }
        return purgeArea(false, prefix, installedIds) + purgeArea(true, prefix, installedIds);
    }

    private static int purgeArea(boolean session, String prefix, JSObject installedIds) {
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
}
