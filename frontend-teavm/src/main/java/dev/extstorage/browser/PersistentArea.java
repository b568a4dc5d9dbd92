package dev.extstorage.browser;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.Paging;
import dev.extstorage.model.RestPaths;
import dev.extstorage.model.Scope;
import dev.extstorage.model.StorageException;
import dev.extstorage.model.Tier;
import org.teavm.jso.JSExport;
import org.teavm.jso.JSObject;
import org.teavm.jso.core.JSPromise;

/** The {@code persistent} tier, which also lists its entries a page at a time, newest change first. */
final class PersistentArea extends ServerArea {
    PersistentArea(ExtensionContext context, Scope scope) {
        super(context, scope, Tier.PERSISTENT);
    }

    /** {@code list({page, pageSize})}: resolves to the server's {@code {result: [{key, value}], count}}. */
    @JSExport
    public JSPromise<Object> list(JSObject options) {
        try {
            if (!Js.isNullish(options) && !Js.isObject(options)) {
                throw new StorageException(ErrorCode.INVALID_QUERY,
                        "list options must be an object {page, pageSize}");
            }
            Paging paging = Arguments.paging(number(options, "page"), number(options, "pageSize"));
            requireUser();
            ContextConfig c = context.config;
            return send("GET", RestPaths.listUrl(c.apiBase, c.extension, scope, paging.page(), paging.pageSize()),
                    null, BODY, null, null);
        } catch (StorageException e) {
            return rejected(e);
        }
    }

    /** The member as a number; {@code NaN} when absent, +Infinity (refused later) when not a number. */
    private static double number(JSObject options, String name) {
        JSObject v = Js.isObject(options) ? Js.get(options, name) : null;
        if (Js.isNullish(v)) {
            return Double.NaN;
        }
        return "number".equals(Js.typeOf(v)) && !Double.isNaN(Js.asNumber(v)) ? Js.asNumber(v)
                : Double.POSITIVE_INFINITY;
    }
}
