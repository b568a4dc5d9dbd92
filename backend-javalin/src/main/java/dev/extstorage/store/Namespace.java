package dev.extstorage.store;

import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.ResourceRef;
import dev.extstorage.model.Scope;
import dev.extstorage.model.UserIds;

/**
 * The space one set of keys lives in: an extension, a scope, for the user scope the user and, on the persistent
 * tier, optionally one resource (SPEC section 10). Entries of two different namespaces never meet, whatever their
 * keys; stores must keep them apart by every part. A resource's entries count in the bounds of the namespace
 * without it ({@link #withoutResource()}): one user's or the shared scope's. Only the persistent engines take a
 * namespace with a resource.
 *
 * @param extension the extension
 * @param scope     user or shared
 * @param userId    the user for {@link Scope#USER}, {@code null} for {@link Scope#SHARED}
 * @param resource  the resource, {@code null} for plain entries
 */
public record Namespace(ExtensionId extension, Scope scope, String userId, ResourceRef resource) {
    public Namespace {
        if (extension == null || scope == null) {
            throw new IllegalArgumentException("extension and scope are required");
        }
        // the user id rule is applied where a caller is made (Caller, Principal); here only the shape
        if (scope == Scope.USER && (userId == null || userId.isEmpty())) {
            throw new IllegalArgumentException("a user namespace needs a user id");
        }
        if (scope == Scope.SHARED) {
            userId = null;
        }
    }

    /** A namespace of plain entries. */
    public Namespace(ExtensionId extension, Scope scope, String userId) {
        this(extension, scope, userId, null);
    }

    /** The same namespace, entries of {@code r} ({@code null}: plain entries). */
    public Namespace forResource(ResourceRef r) {
        return new Namespace(extension, scope, userId, r);
    }

    /** The namespace whose bounds this one counts in: the same without its resource. */
    public Namespace withoutResource() {
        return resource == null ? this : new Namespace(extension, scope, userId, null);
    }

    /** The resource column of stores: {@link ResourceRef#storageForm()}, {@code ""} for plain entries. */
    public String resourceStorageForm() {
        return resource == null ? "" : resource.storageForm();
    }

    public static Namespace user(ExtensionId extension, String userId) {
        return new Namespace(extension, Scope.USER, userId);
    }

    public static Namespace shared(ExtensionId extension) {
        return new Namespace(extension, Scope.SHARED, null);
    }

    /**
     * The owner column/segment for stores: {@link UserIds#storageForm} of the user, {@code ""} for shared
     * (the scope column/segment tells the two apart).
     */
    public String ownerStorageForm() {
        return userId == null ? "" : UserIds.storageForm(userId);
    }
}
