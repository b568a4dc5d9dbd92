package dev.extstorage.browser;

import dev.extstorage.model.ResourceRef;
import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.Scope;
import dev.extstorage.model.StorageException;
import dev.extstorage.model.Tier;
import org.teavm.jso.JSExport;
import org.teavm.jso.JSObject;

/** The {@code persistent} tier, whose entries may also belong to one resource ({@link #forResource}). */
final class PersistentArea extends ServerArea {
    PersistentArea(ExtensionContext context, Scope scope) {
        this(context, scope, null);
    }

    private PersistentArea(ExtensionContext context, Scope scope, ResourceRef resource) {
        super(context, scope, Tier.PERSISTENT, resource);
    }

    /**
     * {@code forResource(type, uuid)}: the entries of one resource in this scope, with every method of the area
     * and a {@code shared} twin; separate from the plain entries and from other resources'. Throws {@code
     * INVALID_QUERY} when either argument breaks the rule of {@link ResourceRef}.
     */
    @JSExport
    public StorageArea forResource(JSObject type, JSObject uuid) {
        return forResource(resourceOf(type, uuid));
    }

    /** {@link #forResource(JSObject, JSObject)} of a checked resource. */
    StorageArea forResource(ResourceRef r) {
        PersistentArea user = new PersistentArea(context, Scope.USER, r);
        PersistentArea shared = new PersistentArea(context, Scope.SHARED, r);
        user.setShared(shared);
        return scope == Scope.SHARED ? shared : user;
    }

    /**
     * The resource {@code forResource(type, uuid)} names. @throws Error (in JavaScript) {@code INVALID_QUERY}
     * when either argument breaks the rule of {@link ResourceRef}
     */
    static ResourceRef resourceOf(JSObject type, JSObject uuid) {
        try {
            if (!Js.isString(type) || !Js.isString(uuid)) {
                throw new StorageException(ErrorCode.INVALID_QUERY,
                        "forResource needs a type and a UUID, both strings");
            }
            return ResourceRef.of(Js.asString(type), Js.asString(uuid));
        } catch (StorageException e) {
            Js.throwModuleError(e.code().name(), e.getMessage());
            return null;
        }
    }
}
