package dev.extstorage.api;

import dev.extstorage.events.ChangeFilter;
import dev.extstorage.events.ChangeListener;
import dev.extstorage.events.Subscription;
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

    /**
     * What the extension holds on both server tiers against its quotas: in all, in the shared scope and in the
     * caller's user scope (zeros for the extension's own code, which has none).
     */
    public StorageUsage usage() {
        return service.admin().usage(extension, caller.userId());
    }

    /** The ephemeral tier, user scope. */
    public EphemeralStorage ephemeral() {
        return new EphemeralStorage(new TierAccess(service, extension, caller, Scope.USER));
    }

    /**
     * Calls {@code listener} for every later change of this extension's entries this caller may read: the
     * shared scope of both server tiers and, for a user, that user's own user scope (never another user's,
     * never another extension's), from any instance of the deployment. Expiry of ephemeral entries makes no
     * event. See {@link ChangeListener} for the thread it is called on.
     *
     * <pre>{@code
     * try (Subscription s = storage.onChange(e -> log.info("{} {} changed", e.scope(), e.key()))) { ... }
     * }</pre>
     *
     * @return the registration; close it to stop
     */
    public Subscription onChange(ChangeListener listener) {
        return service.changes().subscribe(new ChangeFilter(extension, caller.userId()), null, listener);
    }

    /**
     * Server-only secrets (SPEC section 10, {@link SecretStorage}): for a user's storage that user's secrets, for
     * the extension's own code ({@link StorageService#forExtension}) the extension's; {@code shared()} and
     * {@code forUser(id)} of the result reach the others.
     *
     * @throws IllegalStateException if the server has no encryption keys ({@code EXT_STORAGE_ENCRYPTION_KEYS}):
     *         secrets are never stored in the clear
     */
    public SecretStorage secrets() {
        service.atRest().requireKeys();
        return new SecretStorage(new TierAccess(service, extension, caller,
                caller.userId() == null ? Scope.SHARED : Scope.USER));
    }

    /** The persistent tier, user scope. */
    public PersistentStorage persistent() {
        return new PersistentStorage(new TierAccess(service, extension, caller, Scope.USER));
    }
}
