package dev.extstorage.auth;

import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.UserIds;

import java.time.Instant;
import java.util.Set;

/**
 * The authenticated caller of a request. Its user id follows the user id rule ({@link UserIds}): it is checked
 * here, where a principal is made, so code given a principal need not check it again.
 *
 * @param userId     the token's {@code sub}
 * @param roles      the token's {@code roles} claim (empty when absent)
 * @param csrfToken  the token's {@code csrf} claim, or {@code null}
 * @param extension  the extension the token is bound to (its {@code ext} claim, SPEC section 12), or
 *                   {@code null} for a token of the whole session
 * @param expiresAt  the token's {@code exp}
 */
public record Principal(String userId, Set<String> roles, String csrfToken, ExtensionId extension,
                        Instant expiresAt) {
    /** @throws dev.extstorage.model.StorageException {@code NOT_AUTHENTICATED} if the user id breaks the rule */
    public Principal {
        String problem = UserIds.problem(userId);
        if (problem != null) {
            throw TokenService.notAuthenticated("Token subject is not a valid user id: " + problem);
        }
        roles = Set.copyOf(roles);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /** Whether the token is bound to one extension, and so valid only on that extension's routes. */
    public boolean isBound() {
        return extension != null;
    }
}
