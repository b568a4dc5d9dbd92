package dev.extstorage.http;

import dev.extstorage.auth.TokenService;
import io.javalin.http.Context;

/**
 * {@code POST /api/v1/extensions/{publisher}/{name}/token} (SPEC section 12): the caller's session, as the guard
 * authenticated it (a cookie needs the CSRF header: this is a POST), becomes a short-lived token bound to that
 * extension and user. A token already bound to the extension may renew itself; one bound to another extension
 * never gets here (the guard answers 403).
 */
final class TokenHandler {
    private final TokenService tokens;
    private final long ttlSeconds;

    TokenHandler(TokenService tokens, long ttlSeconds) {
        this.tokens = tokens;
        this.ttlSeconds = ttlSeconds;
    }

    void mint(Context ctx) {
        TokenService.BoundToken bound = tokens.issueBound(RequestGuard.principal(ctx), RequestGuard.extension(ctx),
                ttlSeconds);
        JsonResponses.send(ctx, 200, JsonResponses.object().put("token", bound.token())
                .put("expiresIn", bound.expiresInSeconds()));
    }
}
