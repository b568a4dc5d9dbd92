package dev.extstorage.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class EnumsAndErrorsTest {

    @ParameterizedTest
    @ValueSource(strings = {"true", "TRUE", "True", "tRuE"})
    void sharedParamTrueInAnyCaseIsShared(String value) {
        assertSame(Scope.SHARED, Scope.fromSharedParam(value));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"1", "yes", "false", "FALSE", "on", " true", "true ", "truee", "tru", "t", "shared"})
    void anyOtherSharedParamIsUser(String value) {
        assertSame(Scope.USER, Scope.fromSharedParam(value));
    }

    @Test
    void scopeWireNames() {
        assertEquals("user", Scope.USER.wireName());
        assertEquals("shared", Scope.SHARED.wireName());
        assertEquals(2, Scope.values().length);
    }

    @Test
    void tiers() {
        assertEquals("local", Tier.LOCAL.wireName());
        assertEquals("session", Tier.SESSION.wireName());
        assertEquals("ephemeral", Tier.EPHEMERAL.wireName());
        assertEquals("persistent", Tier.PERSISTENT.wireName());
        assertFalse(Tier.LOCAL.isServer());
        assertFalse(Tier.SESSION.isServer());
        assertTrue(Tier.EPHEMERAL.isServer());
        assertTrue(Tier.PERSISTENT.isServer());
        assertEquals(4, Tier.values().length);
    }

    @Test
    void serverTierFromPath() {
        assertSame(Tier.EPHEMERAL, Tier.serverTierFromPath("ephemeral"));
        assertSame(Tier.PERSISTENT, Tier.serverTierFromPath("persistent"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"local", "session", "Persistent", "EPHEMERAL", "persistent/", " persistent", "x"})
    void notAServerTierPath(String segment) {
        assertNull(Tier.serverTierFromPath(segment));
    }

    @Test
    void errorCodesCarrySpecStatuses() {
        Map<ErrorCode, Integer> expected = new LinkedHashMap<>();
        expected.put(ErrorCode.INVALID_KEY, 400);
        expected.put(ErrorCode.INVALID_BODY, 400);
        expected.put(ErrorCode.INVALID_TTL, 400);
        expected.put(ErrorCode.INVALID_VALUE, 400);
        expected.put(ErrorCode.INVALID_QUERY, 400);
        expected.put(ErrorCode.VALUE_TOO_LARGE, 400);
        expected.put(ErrorCode.NOT_AUTHENTICATED, 401);
        expected.put(ErrorCode.FORBIDDEN, 403);
        expected.put(ErrorCode.EXTENSION_NOT_FOUND, 404);
        expected.put(ErrorCode.QUOTA_EXCEEDED, 413);
        expected.put(ErrorCode.UNSUPPORTED_MEDIA_TYPE, 415);
        expected.put(ErrorCode.STORE_UNAVAILABLE, 503);
        expected.put(ErrorCode.PAGE_TOO_LARGE, 400);
        expected.put(ErrorCode.PRECONDITION_FAILED, 412);
        expected.put(ErrorCode.RATE_LIMITED, 429);
        expected.put(ErrorCode.SERVER_BUSY, 503);
        assertEquals(expected.size(), ErrorCode.values().length, "a new code needs its status pinned here");
        for (Map.Entry<ErrorCode, Integer> e : expected.entrySet()) {
            assertEquals(e.getValue(), e.getKey().httpStatus(), e.getKey().name());
        }
    }

    @Test
    void answersWithoutACodeGetTheirStatussCode() {
        assertEquals(ErrorCode.NOT_AUTHENTICATED, ErrorCode.forStatus(401));
        assertEquals(ErrorCode.FORBIDDEN, ErrorCode.forStatus(403));
        assertEquals(ErrorCode.EXTENSION_NOT_FOUND, ErrorCode.forStatus(404));
        assertEquals(ErrorCode.PRECONDITION_FAILED, ErrorCode.forStatus(412));
        assertEquals(ErrorCode.QUOTA_EXCEEDED, ErrorCode.forStatus(413));
        assertEquals(ErrorCode.QUOTA_EXCEEDED, ErrorCode.forStatus(431));
        assertEquals(ErrorCode.INVALID_KEY, ErrorCode.forStatus(414));
        assertEquals(ErrorCode.UNSUPPORTED_MEDIA_TYPE, ErrorCode.forStatus(415));
        assertEquals(ErrorCode.RATE_LIMITED, ErrorCode.forStatus(429));
        for (int status : new int[] {400, 402, 405, 409, 418, 426, 499}) {
            assertEquals(ErrorCode.INVALID_BODY, ErrorCode.forStatus(status), "status " + status);
        }
        for (int status : new int[] {0, 200, 302, 408, 500, 502, 503, 504, 599, 999}) {
            assertEquals(ErrorCode.STORE_UNAVAILABLE, ErrorCode.forStatus(status), "status " + status);
        }
    }

    @Test
    void retryLaterCarriesWholeSecondsOfAtLeastOne() {
        assertEquals(7, StorageException.retryLater(ErrorCode.RATE_LIMITED, "slow down", 7).retryAfterSeconds());
        assertEquals(1, StorageException.retryLater(ErrorCode.SERVER_BUSY, "busy", 0).retryAfterSeconds());
        assertEquals(-1, new StorageException(ErrorCode.INVALID_BODY, "x").retryAfterSeconds());
    }

    @Test
    void storageExceptionCarriesCodeMessageAndDetails() {
        StorageException plain = new StorageException(ErrorCode.INVALID_BODY, "Body must be a JSON object");
        assertSame(ErrorCode.INVALID_BODY, plain.code());
        assertEquals("Body must be a JSON object", plain.getMessage());
        assertEquals(-1, plain.limit());
        assertEquals(-1, plain.actual());
        assertNull(plain.getCause());

        StorageException limited = new StorageException(ErrorCode.VALUE_TOO_LARGE, "too big", 10, 11);
        assertEquals(10, limited.limit());
        assertEquals(11, limited.actual());

        IllegalStateException cause = new IllegalStateException("down");
        StorageException caused = new StorageException(ErrorCode.STORE_UNAVAILABLE, "Store unavailable", cause);
        assertSame(cause, caused.getCause());
        assertEquals(-1, caused.limit());
        assertEquals(-1, caused.actual());
        assertTrue(caused instanceof RuntimeException);
    }

    @Test
    void storageExceptionIsCheapAndLeaksNoStackTrace() {
        // the stack trace is switched off: the exception is control flow for bad input, never shown
        assertEquals(0, new StorageException(ErrorCode.INVALID_KEY, "x").getStackTrace().length);
    }
}
