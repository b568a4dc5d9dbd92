package dev.extstorage.auth;

import java.util.Set;

/**
 * The authenticated caller of a request.
 *
 * @param userId     the token's {@code sub}
 * @param roles      the token's {@code roles} claim (empty when absent)
 * @param csrfToken  the token's {@code csrf} claim, or {@code null}
 */
public record Principal(String userId, Set<String> roles, String csrfToken) {
    public boolean hasRole(String role) {
        return roles.contains(role);
    }
}
