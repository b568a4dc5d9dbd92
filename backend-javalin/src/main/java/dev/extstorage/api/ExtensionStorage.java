package dev.extstorage.api;

import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.Scope;

/** One extension's storage for one caller: the server tiers, user-scoped, each with a {@code shared()} view. */
public final class ExtensionStorage {
    private final StorageService service;
    private final ExtensionId extension;
    private final Caller caller;

    ExtensionStorage(StorageService service, ExtensionId extension, Caller caller) {
        this.service = service;
        this.extension = extension;
        this.caller = caller;
    }

    public ExtensionId extension() {
        return extension;
    }

    /** The ephemeral tier, user scope. */
    public EphemeralStorage ephemeral() {
        return new EphemeralStorage(new TierAccess(service, extension, caller, Scope.USER));
    }

    /** The persistent tier, user scope. */
    public PersistentStorage persistent() {
        return new PersistentStorage(new TierAccess(service, extension, caller, Scope.USER));
    }
}
