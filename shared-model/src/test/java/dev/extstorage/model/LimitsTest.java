package dev.extstorage.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LimitsTest {

    @Test
    void defaultsFromTheContract() {
        Limits d = Limits.defaults();
        assertEquals(604_800, d.maxTtlSeconds());
        assertEquals(1_048_576, d.maxValueBytes());
        assertEquals(104_857_600, d.quotaBytes());
    }

    @Test
    void ttlBounds() {
        Limits d = Limits.defaults();
        assertEquals(1, d.requireValidTtl(1));
        assertEquals(300, d.requireValidTtl(300));
        assertEquals(604_800, d.requireValidTtl(604_800));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, Long.MIN_VALUE})
    void ttlBelowOneRejected(long ttl) {
        StorageException e = assertThrows(StorageException.class, () -> Limits.defaults().requireValidTtl(ttl));
        assertEquals(ErrorCode.INVALID_TTL, e.code());
        assertEquals(1, e.limit());
        assertEquals(ttl, e.actual());
    }

    @ParameterizedTest
    @ValueSource(longs = {604_801, Long.MAX_VALUE})
    void ttlAboveMaxRejected(long ttl) {
        StorageException e = assertThrows(StorageException.class, () -> Limits.defaults().requireValidTtl(ttl));
        assertEquals(ErrorCode.INVALID_TTL, e.code());
        assertEquals(604_800, e.limit());
        assertEquals(ttl, e.actual());
        assertTrue(e.getMessage().contains("604800"), e.getMessage());
    }

    @Test
    void configuredMaxTtl() {
        Limits l = new Limits(60, 100, 1000);
        assertEquals(60, l.requireValidTtl(60));
        assertEquals(61, assertThrows(StorageException.class, () -> l.requireValidTtl(61)).actual());
    }

    @Test
    void nonPositiveLimitsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Limits(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Limits(1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Limits(1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Limits(-1, 1, 1));
        Limits smallest = new Limits(1, 1, 1);
        assertEquals(1, smallest.maxTtlSeconds());
    }

    @Test
    void maxBodyBytesLeavesRoomForEscapesAndOverhead() {
        Limits d = Limits.defaults();
        assertEquals(1_048_576L * 6 + 64 * 1024, d.maxBodyBytes());
        assertEquals(6 + 65_536, new Limits(1, 1, 1).maxBodyBytes());
        // a value at the limit written with six-byte escapes must still fit
        assertTrue(d.maxBodyBytes() >= d.maxValueBytes() * 6);
    }

    @Test
    void maxBodyBytesNeverOverflows() {
        Limits huge = new Limits(1, Long.MAX_VALUE / 2, 1);
        assertTrue(huge.maxBodyBytes() >= huge.maxValueBytes(), "overflowed to " + huge.maxBodyBytes());
        assertEquals(Long.MAX_VALUE, new Limits(1, Long.MAX_VALUE, 1).maxBodyBytes());
    }
}
