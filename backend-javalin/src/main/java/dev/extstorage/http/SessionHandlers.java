package dev.extstorage.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.extstorage.api.JsonCodec;
import dev.extstorage.auth.Authenticator;
import dev.extstorage.auth.Principal;
import dev.extstorage.auth.TokenService;
import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.StorageException;
import dev.extstorage.model.UserIds;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;

import java.util.ArrayList;
import java.util.List;

/**
 * Who am I ({@code GET /api/v1/me}) and, only when enabled, the development login
 * ({@code POST /api/v1/dev/login}, {@code POST /api/v1/dev/logout}).
 */
final class SessionHandlers {
    private static final long MAX_LOGIN_BODY = 16 * 1024;

    private final TokenService tokens;
    private final JsonCodec codec;
    private final long tokenTtlSeconds;

    SessionHandlers(TokenService tokens, JsonCodec codec, long tokenTtlSeconds) {
        this.tokens = tokens;
        this.codec = codec;
        this.tokenTtlSeconds = tokenTtlSeconds;
    }

    /** The caller and, for the page that holds the HttpOnly cookie, the CSRF token its changes must send. */
    void me(Context ctx) {
        Principal p = RequestGuard.principal(ctx);
        ObjectNode body = JsonResponses.object().put("user", p.userId()).put("csrf", p.csrfToken());
        ArrayNode roles = body.putArray("roles");
        p.roles().forEach(roles::add);
        JsonResponses.send(ctx, 200, body);
    }

    /** {@code {"user": "alice", "roles": [...]}} -> a token, also set as the {@code session} cookie. */
    void devLogin(Context ctx) {
        RequestBodies.requireJson(ctx);
        JsonNode body = codec.parseBody(RequestBodies.read(ctx, MAX_LOGIN_BODY));
        JsonNode user = body.path("user");
        if (!user.isTextual() || UserIds.problem(user.asText()) != null) {
            throw new StorageException(ErrorCode.INVALID_BODY, "Body must be {\"user\": \"<user id>\"}: "
                    + (user.isTextual() ? UserIds.problem(user.asText()) : "'user' must be a string"));
        }
        List<String> roles = new ArrayList<>();
        body.path("roles").forEach(r -> {
            if (r.isTextual()) {
                roles.add(r.asText());
            }
        });
        String csrf = TokenService.randomToken(18);
        String token = tokens.issue(user.asText(), roles, csrf, tokenTtlSeconds);
        Cookie cookie = new Cookie(Authenticator.SESSION_COOKIE, token);
        cookie.setHttpOnly(true);
        cookie.setPath("/");
        cookie.setMaxAge((int) tokenTtlSeconds);
        cookie.setSameSite(SameSite.STRICT);
        ctx.cookie(cookie);
        JsonResponses.send(ctx, 200, JsonResponses.object().put("token", token).put("csrf", csrf)
                .put("user", user.asText()).put("expiresIn", tokenTtlSeconds));
    }

    /**
     * Signing out changes the session: the guard lets a cookie-authenticated logout through only with the CSRF
     * header (it is a POST).
     */
    void devLogout(Context ctx) {
        ctx.removeCookie(Authenticator.SESSION_COOKIE, "/");
        JsonResponses.message(ctx, "Signed out");
    }
}
