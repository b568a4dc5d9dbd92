package dev.extstorage.auth;

import com.auth0.jwt.JWT;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Verifies and (for the development login) issues HS256 JSON Web Tokens. Only HS256 with the configured secret
 * is accepted ({@code alg: none} and other algorithms are refused); {@code exp} is required and enforced
 * without leeway (a token without it would be valid forever); {@code iss} and {@code aud} must match when
 * configured; {@code sub} must be a user id ({@link UserIds}).
 */
public final class TokenService {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Tokens verified recently; a browser sends the same token with every request. */
    private static final int VERIFIED_CACHE_SIZE = 10_000;
    private static final Duration VERIFIED_CACHE_TTL = Duration.ofSeconds(60);

    private final Algorithm algorithm;
    private final JWTVerifier verifier;
    private final Clock clock;
    private final Cache<String, Verified> verified;
    private final String issuer;
    private final String audience;

    public TokenService(String secret) {
        this(secret, null, null);
    }

    /**
     * @param issuer   the {@code iss} every token must carry (and development tokens get), or {@code null}
     * @param audience an {@code aud} every token must carry (and development tokens get), or {@code null}
     */
    public TokenService(String secret, String issuer, String audience) {
        this(secret, issuer, audience, Clock.systemUTC());
    }

    TokenService(String secret, Clock clock) {
        this(secret, null, null, clock);
    }

    TokenService(String secret, String issuer, String audience, Clock clock) {
        this.algorithm = Algorithm.HMAC256(secret.getBytes(StandardCharsets.UTF_8));
        this.clock = clock;
        this.issuer = issuer;
        this.audience = audience;
        com.auth0.jwt.interfaces.Verification rules = JWT.require(algorithm)
                .withClaimPresence("exp")
                .acceptExpiresAt(0)
                .ignoreIssuedAt();
        if (issuer != null) {
            rules = rules.withIssuer(issuer);
        }
        if (audience != null) {
            rules = rules.withAudience(audience);
        }
        this.verifier = ((JWTVerifier.BaseVerification) rules).build(clock);
        this.verified = Caffeine.newBuilder().maximumSize(VERIFIED_CACHE_SIZE)
                .expireAfterWrite(VERIFIED_CACHE_TTL).build();
    }

    /** A token that passed verification, and until when it may be trusted without verifying it again. */
    private record Verified(Principal principal, Instant expiresAt) {
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

    /**
     * Verifying a token (JSON parsing plus HMAC) costs more than a whole storage read, so a token that passed is
     * remembered for up to a minute, never past its own {@code exp}: the cache only ever answers what a fresh
     * verification would.
     *
     * @throws StorageException {@code NOT_AUTHENTICATED} for any token that is not valid now
     */
    public Principal verify(String token) {
        Verified hit = verified.getIfPresent(token);
        if (hit != null && clock.instant().isBefore(hit.expiresAt())) {
            return hit.principal();
        }
        DecodedJWT jwt = decode(token);
        Principal principal = principalOf(jwt);
        verified.put(token, new Verified(principal, jwt.getExpiresAtAsInstant()));
        return principal;
    }

    private DecodedJWT decode(String token) {
        DecodedJWT jwt;
        try {
            jwt = verifier.verify(token);
        } catch (JWTVerificationException | IllegalArgumentException e) {
            throw notAuthenticated("Invalid or expired token");
        }
        return jwt;
    }

    private static Principal principalOf(DecodedJWT jwt) {
        String sub = jwt.getSubject();
        Claim csrf = jwt.getClaim("csrf");
        return new Principal(sub, roles(jwt.getClaim("roles")), csrf.isMissing() || csrf.isNull() ? null : csrf.asString());
    }

    /** A token for {@code userId}, valid for {@code ttlSeconds}, carrying a fresh CSRF token. */
    public String issue(String userId, List<String> roles, String csrf, long ttlSeconds) {
        Instant now = clock.instant();
        com.auth0.jwt.JWTCreator.Builder jwt = JWT.create();
        if (issuer != null) {
            jwt.withIssuer(issuer);
        }
        if (audience != null) {
            jwt.withAudience(audience);
        }
        return jwt
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
