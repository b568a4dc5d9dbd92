package dev.extstorage.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.Claim;
import com.auth0.jwt.interfaces.DecodedJWT;
import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.StorageException;
import dev.extstorage.model.UserIds;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Verifies and (for the development login) issues HS256 JSON Web Tokens. Only HS256 with the configured secret
 * is accepted ({@code alg: none} and other algorithms are refused); {@code exp}, when present, is enforced
 * without leeway; {@code sub} must be a user id ({@link UserIds}).
 */
public final class TokenService {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Algorithm algorithm;
    private final JWTVerifier verifier;

    public TokenService(String secret) {
        this.algorithm = Algorithm.HMAC256(secret.getBytes(StandardCharsets.UTF_8));
        this.verifier = JWT.require(algorithm).acceptExpiresAt(0).ignoreIssuedAt().build();
    }

    /** A secret for a development server started without one: tokens then die with the process. */
    public static String randomSecret() {
        return randomToken(32);
    }

    /** URL-safe random text of {@code bytes} random bytes. */
    public static String randomToken(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** @throws StorageException {@code NOT_AUTHENTICATED} for any token that is not valid now */
    public Principal verify(String token) {
        DecodedJWT jwt;
        try {
            jwt = verifier.verify(token);
        } catch (JWTVerificationException | IllegalArgumentException e) {
            throw notAuthenticated("Invalid or expired token");
        }
        String sub = jwt.getSubject();
        if (UserIds.problem(sub) != null) {
            throw notAuthenticated("Token subject is not a valid user id: " + UserIds.problem(sub));
        }
        Claim csrf = jwt.getClaim("csrf");
        return new Principal(sub, roles(jwt.getClaim("roles")), csrf.isMissing() || csrf.isNull() ? null : csrf.asString());
    }

    /** A token for {@code userId}, valid for {@code ttlSeconds}, carrying a fresh CSRF token. */
    public String issue(String userId, List<String> roles, String csrf, long ttlSeconds) {
        Instant now = Instant.now();
        return JWT.create()
                .withSubject(userId)
                .withIssuedAt(now)
                .withExpiresAt(now.plusSeconds(ttlSeconds))
                .withClaim("roles", roles)
                .withClaim("csrf", csrf)
                .sign(algorithm);
    }

    private static Set<String> roles(Claim claim) {
        if (claim.isMissing() || claim.isNull()) {
            return Set.of();
        }
        try {
            List<String> list = claim.asList(String.class);
            return list == null ? Set.of() : Set.copyOf(new LinkedHashSet<>(list.stream().filter(r -> r != null).toList()));
        } catch (RuntimeException e) {
            // a roles claim that is not an array of strings grants nothing
            return Set.of();
        }
    }

    static StorageException notAuthenticated(String message) {
        return new StorageException(ErrorCode.NOT_AUTHENTICATED, message);
    }
}
