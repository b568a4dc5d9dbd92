package dev.extstorage.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.StorageException;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Verification, and that remembering verified tokens never outlives their {@code exp}. */
class TokenServiceTest {
    static final String SECRET = "token-service-test-secret-0123456789abcdef";

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @Test
    void aVerifiedTokenStopsWorkingAtItsExpiryEvenWhenRemembered() {
        MovableClock clock = new MovableClock();
        TokenService tokens = new TokenService(SECRET, clock);
        String token = JWT.create().withSubject("alice").withExpiresAt(clock.now.plusSeconds(30))
                .withClaim("roles", List.of("editor")).sign(Algorithm.HMAC256(SECRET));
        Principal p = tokens.verify(token);
        assertEquals("alice", p.userId());
        assertEquals(Set.of("editor"), p.roles());
        assertNull(p.csrfToken());
        clock.now = clock.now.plusSeconds(29);
        assertEquals("alice", tokens.verify(token).userId());
        clock.now = clock.now.plusSeconds(2);
        assertEquals(ErrorCode.NOT_AUTHENTICATED,
                assertThrows(StorageException.class, () -> tokens.verify(token)).code());
    }

    @Test
    void issuedTokensCarryUserRolesAndCsrf() {
        MovableClock clock = new MovableClock();
        TokenService tokens = new TokenService(SECRET, clock);
        Principal p = tokens.verify(tokens.issue("bob", List.of("admin"), "csrf-1", 60));
        assertEquals("bob", p.userId());
        assertEquals("csrf-1", p.csrfToken());
        assertEquals(Set.of("admin"), p.roles());
    }

    @Test
    void aTokenOfAnotherSecretIsNeverRemembered() {
        TokenService tokens = new TokenService(SECRET);
        String forged = JWT.create().withSubject("mallory").sign(Algorithm.HMAC256("other-secret-0123456789abcdef"));
        for (int i = 0; i < 2; i++) {
            assertEquals(ErrorCode.NOT_AUTHENTICATED,
                    assertThrows(StorageException.class, () -> tokens.verify(forged)).code());
        }
    }
}
