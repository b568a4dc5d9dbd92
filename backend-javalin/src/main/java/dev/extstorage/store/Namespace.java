package dev.extstorage.store;

import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.Scope;
import dev.extstorage.model.UserIds;

/**
 * The space one set of keys lives in: an extension, a scope and, for the user scope, the user. Entries of two
 * different namespaces never meet, whatever their keys; stores must keep them apart by every part.
 *
 * @param extension the extension
 * @param scope     user or shared
 * @param userId    the user for {@link Scope#USER}, {@code null} for {@link Scope#SHARED}
 */
public record Namespace(ExtensionId extension, Scope scope, String userId) {
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
