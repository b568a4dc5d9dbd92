package dev.extstorage.api;

import dev.extstorage.model.ResourceRef;
import dev.extstorage.model.StoredValues;
import java.util.Base64;
import dev.extstorage.events.ChangeEvent;
import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.Scope;
import dev.extstorage.model.StorageException;
import dev.extstorage.model.StorageKeys;
import dev.extstorage.model.Tier;
import dev.extstorage.store.Namespace;
import dev.extstorage.store.Quota;

/**
 * What every tier view shares: resolving the namespace for its scope and caller, and the checks that come
 * before any store is touched (key rule, who may read and write).
 */
final class TierAccess {
    final StorageService service;
    final ExtensionId extension;
    final Caller caller;
    final Scope scope;
    /** The resource whose entries this view reads and writes (persistent tier only), {@code null}: plain ones. */
    final ResourceRef resource;

    TierAccess(StorageService service, ExtensionId extension, Caller caller, Scope scope) {
        this(service, extension, caller, scope, null);
    }

    private TierAccess(StorageService service, ExtensionId extension, Caller caller, Scope scope,
                       ResourceRef resource) {
        this.service = service;
        this.extension = extension;
        this.caller = caller;
        this.scope = scope;
        this.resource = resource;
    }

    /** The same view, shared scope (keeping its resource). */
    TierAccess shared() {
        return new TierAccess(service, extension, caller, Scope.SHARED, resource);
    }

    /** The same view, entries of {@code r}. */
    TierAccess forResource(ResourceRef r) {
        return new TierAccess(service, extension, caller, scope, r);
    }

    /** The namespace to read from. */
    Namespace readable() {
        if (scope == Scope.SHARED) {
            return Namespace.shared(extension).forResource(resource);
        }
        if (caller.userId() == null) {
            throw new StorageException(ErrorCode.NOT_AUTHENTICATED, "User-scoped storage needs a user");
        }
        return Namespace.user(extension, caller.userId()).forResource(resource);
    }

    /** The namespace to write to: as {@link #readable()}, and shared writes may need a role. */
    Namespace writable() {
        Namespace ns = readable();
        String role = service.sharedWriteRole();
        if (scope == Scope.SHARED && role != null && !caller.trusted() && !caller.roles().contains(role)) {
            throw new StorageException(ErrorCode.FORBIDDEN, "Writing shared data needs the role '" + role + "'");
        }
        return ns;
    }

    /** The bounds of a persistent write in this scope. */
    Quota persistentQuota() {
        return service.quotas().persistent(scope);
    }

    /** The bounds of an ephemeral write in this scope. */
    Quota ephemeralQuota() {
        return service.quotas().ephemeral(scope);
    }

    /**
     * Publishes a successful write (REST and server-side callers alike come through here). Never fails the
     * write: the feed logs and counts what it cannot record.
     *
     * @param version the entry's new version; {@code null} until writes return one
     */
    void published(Tier tier, Namespace ns, String key, String valueJson, String version) {
        service.changes().publish(ChangeEvent.written(ns, tier, key, version, valueJson));
    }

    /** Publishes a successful remove. */
    void publishedRemove(Tier tier, Namespace ns, String key) {
        service.changes().publish(ChangeEvent.removed(ns, tier, key));
    }

    static String key(String key) {
        return StorageKeys.requireValid(key);
    }

    /**
     * The stored text of {@code value}: a {@code byte[]} is a binary value ({@link StoredValues#binary}, its
     * bytes counted against the value limit), anything else its JSON text.
     */
    JsonText encode(Object value) {
        long max = service.limits().maxValueBytes();
        if (value instanceof byte[] bytes) {
            if (bytes.length > max) {
                throw new StorageException(ErrorCode.VALUE_TOO_LARGE, "Binary value is " + bytes.length
                        + " bytes, above the limit of " + max, max, bytes.length);
            }
            return new JsonText(StoredValues.binary(Base64.getEncoder().encodeToString(bytes)));
        }
        return new JsonText(service.codec().encode(value, max));
    }
}
