package dev.extstorage.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.Claim;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.auth0.jwt.interfaces.Verification;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.ExtensionId;
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
    /** The claim binding a token to one extension: {@code publisher.name}. */
    public static final String EXTENSION_CLAIM = "ext";
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
        Verification rules = JWT.require(algorithm)
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
        return new Principal(sub, roles(jwt.getClaim("roles")), csrf.isMissing() || csrf.isNull() ? null : csrf.asString(),
                extension(jwt.getClaim(EXTENSION_CLAIM)), jwt.getExpiresAtAsInstant());
    }

    /** The {@code ext} claim: absent or null for a session token; anything but an extension id is refused. */
    private static ExtensionId extension(Claim claim) {
        if (claim.isMissing() || claim.isNull()) {
            return null;
        }
        String id = claim.asString();
        try {
            return ExtensionId.parse(id == null ? "" : id);
        } catch (StorageException e) {
            throw notAuthenticated("Token's '" + EXTENSION_CLAIM + "' claim is not an extension id (publisher.name)");
        }
    }

    /**
     * A token bound to {@code extension} for the user of {@code session} (SPEC section 12): the session's
     * roles, no CSRF claim (it is sent as a bearer token, never as a cookie), and valid for {@code ttlSeconds}
     * but never past the session's own expiry, so it cannot outlive the session it came from.
     *
     * @return the token and its lifetime in seconds
     */
    public BoundToken issueBound(Principal session, ExtensionId extension, long ttlSeconds) {
        Instant now = clock.instant();
        Instant expiresAt = now.plusSeconds(ttlSeconds);
        if (session.expiresAt() != null && session.expiresAt().isBefore(expiresAt)) {
            expiresAt = session.expiresAt();
        }
        String token = builder(session.userId(), List.copyOf(session.roles()), now, expiresAt)
                .withClaim(EXTENSION_CLAIM, extension.id())
                .sign(algorithm);
        return new BoundToken(token, Math.max(0, Duration.between(now, expiresAt).toSeconds()));
    }

    /** A token bound to one extension and its lifetime in seconds. */
    public record BoundToken(String token, long expiresInSeconds) {
    }

    /** A token for {@code userId}, valid for {@code ttlSeconds}, carrying a fresh CSRF token. */
    public String issue(String userId, List<String> roles, String csrf, long ttlSeconds) {
        Instant now = clock.instant();
        return builder(userId, roles, now, now.plusSeconds(ttlSeconds)).withClaim("csrf", csrf).sign(algorithm);
    }

    private JWTCreator.Builder builder(String userId, List<String> roles, Instant now, Instant expiresAt) {
        JWTCreator.Builder jwt = JWT.create();
        if (issuer != null) {
            jwt.withIssuer(issuer);
        }
        if (audience != null) {
            jwt.withAudience(audience);
        }
        return jwt
                .withSubject(userId)
                .withIssuedAt(now)
                .withExpiresAt(expiresAt)
                .withClaim("roles", roles);
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
