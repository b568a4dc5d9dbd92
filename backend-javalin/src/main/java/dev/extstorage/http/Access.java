package dev.extstorage.http;

import io.javalin.security.RouteRole;

import java.util.Set;

/**
 * Who may call a route: every route of the table declares one, and {@link RequestGuard} enforces it before the
 * handler runs, so no handler authenticates on its own. An API route that declares none is treated as
 * {@link #USER}: forgetting the role closes a route, never opens it. (Static files match no route: they are
 * open.)
 */
enum Access implements RouteRole {
    /** No credentials needed (health, ping, the API description, the development login). */
    ANYONE,
    /** A signed-in user: valid credentials; a cookie-authenticated change also needs the CSRF header. */
    USER,
    /** A signed-in user holding the administrator role ({@code EXT_STORAGE_ADMIN_ROLE}), else 403. */
    ADMIN;

    /** The access a matched route's roles ask for: the strictest one declared, {@link #USER} when none is. */
    static Access of(Set<RouteRole> roles) {
        if (roles.contains(ADMIN)) {
            return ADMIN;
        }
        if (roles.isEmpty() || roles.contains(USER)) {
            return USER;
        }
        return roles.contains(ANYONE) ? ANYONE : USER;
    }
}
