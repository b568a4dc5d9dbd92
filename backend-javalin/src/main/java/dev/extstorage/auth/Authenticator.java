package dev.extstorage.auth;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.StorageException;
import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Finds the caller of a request: a bearer token in {@code Authorization}, else the {@code session} cookie. A
 * request authenticated by cookie that changes data must also carry {@code X-CSRF-Token} equal to the token's
 * {@code csrf} claim: a browser sends cookies on cross-site requests, but only same-origin code can read the
 * CSRF token and set the header.
 */
public final class Authenticator {
    public static final String SESSION_COOKIE = "session";
    public static final String CSRF_HEADER = "X-CSRF-Token";

    private final TokenService tokens;

    public Authenticator(TokenService tokens) {
        this.tokens = tokens;
    }

    /**
     * @param changesData whether the request writes or deletes (PUT, DELETE, POST)
     * @throws StorageException {@code NOT_AUTHENTICATED} without valid credentials, {@code FORBIDDEN} for a
     *                          cookie-authenticated change without the right CSRF header
     */
    public Principal authenticate(Context ctx, boolean changesData) {
        String header = ctx.header("Authorization");
        if (header != null) {
            if (header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw TokenService.notAuthenticated("Authorization must be 'Bearer <token>'");
            }
            return tokens.verify(header.substring(7).trim());
        }
        String cookie = ctx.cookie(SESSION_COOKIE);
        if (cookie == null || cookie.isEmpty()) {
            throw TokenService.notAuthenticated("Authentication required");
        }
        Principal principal = tokens.verify(cookie);
        if (changesData && !csrfMatches(principal.csrfToken(), ctx.header(CSRF_HEADER))) {
            throw new StorageException(ErrorCode.FORBIDDEN,
                    "A cookie-authenticated change needs the " + CSRF_HEADER + " header of the session");
        }
        return principal;
    }

    private static boolean csrfMatches(String expected, String actual) {
        return expected != null && actual != null && MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), actual.getBytes(StandardCharsets.UTF_8));
    }
}
