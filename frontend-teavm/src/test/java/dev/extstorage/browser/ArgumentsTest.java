package dev.extstorage.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.Limits;
import dev.extstorage.model.Paging;
import dev.extstorage.model.StorageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArgumentsTest {
    private final Limits limits = Limits.defaults();

    @Test
    void ttlWithinLimitsIsAccepted() {
        assertEquals(1, Arguments.ttl(true, 1, limits));
        assertEquals(300, Arguments.ttl(true, 300.0, limits));
        assertEquals(Limits.DEFAULT_MAX_TTL_SECONDS, Arguments.ttl(true, 604_800, limits));
    }

    @Test
    void missingTtlIsRefused() {
        StorageException e = assertThrows(StorageException.class, () -> Arguments.ttl(false, 0, limits));
        assertEquals(ErrorCode.INVALID_TTL, e.code());
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, -1, 1.5, 604_801, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        1e300, -1e300})
    void ttlOutsideTheRuleIsRefused(double ttl) {
        StorageException e = assertThrows(StorageException.class, () -> Arguments.ttl(true, ttl, limits));
        assertEquals(ErrorCode.INVALID_TTL, e.code());
    }

    @Test
    void pagingDefaultsAndValues() {
        Paging d = Arguments.paging(Double.NaN, Double.NaN);
        assertEquals(0, d.page());
        assertEquals(Paging.DEFAULT_PAGE_SIZE, d.pageSize());
        Paging p = Arguments.paging(3, 100);
        assertEquals(3, p.page());
        assertEquals(100, p.pageSize());
        assertEquals(0, Arguments.paging(0, 0).pageSize());
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1, 0.5, 101, 1e12, Double.POSITIVE_INFINITY, -1e12})
    void pageSizeOutsideTheRuleIsRefused(double size) {
        StorageException e = assertThrows(StorageException.class, () -> Arguments.paging(0, size));
        assertEquals(ErrorCode.INVALID_QUERY, e.code());
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1, 2.5, Double.POSITIVE_INFINITY})
    void pageOutsideTheRuleIsRefused(double page) {
        StorageException e = assertThrows(StorageException.class, () -> Arguments.paging(page, 10));
        assertEquals(ErrorCode.INVALID_QUERY, e.code());
    }

    @Test
    void putBodyHoldsValueAndOptionalTtl() {
        assertEquals("{\"value\":{\"a\":[1,null]},\"ttl\":300}", Arguments.putBody("{\"a\":[1,null]}", 300, false));
        assertEquals("{\"value\":null}", Arguments.putBody("null", 0, false));
        assertEquals("{\"value\":\"x\"}", Arguments.putBody("\"x\"", 0, false));
        assertEquals("{\"value\":\"AP8=\",\"isBinary\":true,\"ttl\":5}",
                Arguments.putBody(dev.extstorage.model.StoredValues.binary("AP8="), 5, false));
        assertEquals("{\"value\":1,\"encrypt\":true}", Arguments.putBody("1", 0, true));
    }
}
