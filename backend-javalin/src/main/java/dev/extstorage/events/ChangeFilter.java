package dev.extstorage.events;

import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.Scope;

/**
 * What one listener may see (SPEC sections 5 and 8): changes of one extension, in its shared scope and, for
 * a user, in that user's own user scope. Never another extension's, never another user's user scope.
 *
 * @param extension the extension
 * @param userId    the user, or {@code null} for the extension's own server code (shared scope only)
 */
public record ChangeFilter(ExtensionId extension, String userId) {
    public ChangeFilter {
        if (extension == null) {
            throw new IllegalArgumentException("extension is required");
        }
    }

    public boolean test(ChangeEvent e) {
        if (!extension.equals(e.extension())) {
            return false;
        }
        return e.scope() == Scope.SHARED || (userId != null && userId.equals(e.ownerId()));
    }
}
