package dev.extstorage.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PagingTest {

    @Test
    void absentMeansFirstPageOfTen() {
        Paging p = Paging.parse(null, null);
        assertEquals(0, p.page());
        assertEquals(10, p.pageSize());
        assertEquals(0, p.offset());
        assertEquals(10, Paging.DEFAULT_PAGE_SIZE);
        assertEquals(100, Paging.MAX_PAGE_SIZE);
    }

    @ParameterizedTest
    @CsvSource({"0,0,0,0,0", "05,05,5,5,25", "3,100,3,100,300", "1,1,1,1,1", "0000000000000000000000007,10,7,10,70"})
    void accepted(String page, String size, long expectedPage, int expectedSize, long expectedOffset) {
        Paging p = Paging.parse(page, size);
        assertEquals(expectedPage, p.page());
        assertEquals(expectedSize, p.pageSize());
        assertEquals(expectedOffset, p.offset());
    }

    @Test
    void eachParameterMayBeAbsentAlone() {
        assertEquals(10, Paging.parse("2", null).pageSize());
        assertEquals(2, Paging.parse("2", null).page());
        assertEquals(0, Paging.parse(null, "50").page());
        assertEquals(50, Paging.parse(null, "50").pageSize());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "1.5", "+1", " 1", "1 ", "", "1e3", "0x10", "abc", "1,0", "\u0661", "\uFF11", "NaN"})
    void notPlainDigitsRejected(String value) {
        assertEquals(ErrorCode.INVALID_QUERY,
                assertThrows(StorageException.class, () -> Paging.parse(value, null)).code());
        assertEquals(ErrorCode.INVALID_QUERY,
                assertThrows(StorageException.class, () -> Paging.parse(null, value)).code());
    }

    @ParameterizedTest
    @CsvSource({"101,101", "1000,1000", "2147483647,2147483647"})
    void pageSizeAboveHundredRejected(String size, long actual) {
        StorageException e = assertThrows(StorageException.class, () -> Paging.parse("0", size));
        assertEquals(ErrorCode.INVALID_QUERY, e.code());
        assertEquals(100, e.limit());
        assertEquals(actual, e.actual());
    }

    @Test
    void hugeDigitStringsSaturateInsteadOfOverflowing() {
        String huge = "9".repeat(40);
        Paging p = Paging.parse(huge, "100");
        assertEquals(Integer.MAX_VALUE, p.page());
        assertEquals((long) Integer.MAX_VALUE * 100, p.offset());
        // 2^64 + 1 would wrap to a small number if the parser overflowed
        assertEquals(Integer.MAX_VALUE, Paging.parse("18446744073709551617", "1").page());
        StorageException e = assertThrows(StorageException.class, () -> Paging.parse("0", huge));
        assertEquals(ErrorCode.INVALID_QUERY, e.code());
        assertEquals(ErrorCode.INVALID_QUERY,
                assertThrows(StorageException.class, () -> Paging.parse("0", "18446744073709551716")).code());
    }

    @Test
    void ofChecksBounds() {
        assertEquals(ErrorCode.INVALID_QUERY, assertThrows(StorageException.class, () -> Paging.of(-1, 10)).code());
        assertEquals(ErrorCode.INVALID_QUERY, assertThrows(StorageException.class, () -> Paging.of(0, -1)).code());
        assertEquals(ErrorCode.INVALID_QUERY, assertThrows(StorageException.class, () -> Paging.of(0, 101)).code());
        Paging far = Paging.of(Long.MAX_VALUE, 100);
        assertEquals(Integer.MAX_VALUE, far.page());
        assertEquals((long) Integer.MAX_VALUE * 100, far.offset());
    }
}
