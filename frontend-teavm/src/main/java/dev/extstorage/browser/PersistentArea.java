package dev.extstorage.browser;

import dev.extstorage.model.ResourceRef;
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
    /** The resource whose entries this area holds (SPEC section 10), {@code null}: plain entries. */
    private final ResourceRef resource;

    PersistentArea(ExtensionContext context, Scope scope) {
        this(context, scope, null);
    }

    private PersistentArea(ExtensionContext context, Scope scope, ResourceRef resource) {
        super(context, scope, Tier.PERSISTENT);
        this.resource = resource;
    }

    /**
     * {@code forResource(type, uuid)}: the entries of one resource in this scope, with every method of the area
     * and a {@code shared} twin; separate from the plain entries and from other resources'. Throws {@code
     * INVALID_QUERY} when either argument breaks the rule of {@link ResourceRef}.
     */
    @JSExport
    public StorageArea forResource(JSObject type, JSObject uuid) {
        ResourceRef r;
        try {
            if (!Js.isString(type) || !Js.isString(uuid)) {
                throw new StorageException(ErrorCode.INVALID_QUERY,
                        "forResource needs a type and a UUID, both strings");
            }
            r = ResourceRef.of(Js.asString(type), Js.asString(uuid));
        } catch (StorageException e) {
            Js.throwModuleError(e.code().name(), e.getMessage());
            return null;
        }
        PersistentArea user = new PersistentArea(context, Scope.USER, r);
        PersistentArea shared = new PersistentArea(context, Scope.SHARED, r);
        user.setShared(shared);
        return scope == Scope.SHARED ? shared : user;
    }

    @Override
    ResourceRef resource() {
        return resource;
    }

    @Override
    String resourceFilter() {
        return resource == null ? "" : resource.storageForm();
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
            return send("GET", RestPaths.withResource(RestPaths.listUrl(c.apiBase, c.extension, scope, paging.page(),
                    paging.pageSize()), resource), null, BODY, null, null);
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
