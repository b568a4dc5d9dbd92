package dev.extstorage.api;

import dev.extstorage.auth.Principal;
import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.StorageException;
import dev.extstorage.model.UserIds;

import java.util.Set;

/**
 * On whose behalf storage is used: a user (with roles) or the extension's own server code, which has no user
 * scope but may always write shared data.
 */
public record Caller(String userId, Set<String> roles, boolean trusted) {
    /** @throws StorageException {@code NOT_AUTHENTICATED} if {@code userId} breaks the user id rule */
    public static Caller user(String userId, Set<String> roles) {
        String problem = UserIds.problem(userId);
        if (problem != null) {
            throw new StorageException(ErrorCode.NOT_AUTHENTICATED, problem);
        }
        return new Caller(userId, Set.copyOf(roles), false);
    }

    /** An authenticated user of a request (its id met the rule when the principal was made). */
    public static Caller of(Principal principal) {
        return new Caller(principal.userId(), principal.roles(), false);
    }

    /** The extension's own server-side code. */
    public static Caller system() {
        return new Caller(null, Set.of(), true);
    }
}
