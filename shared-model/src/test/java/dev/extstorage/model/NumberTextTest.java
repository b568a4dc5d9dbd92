package dev.extstorage.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NumberTextTest {
    private static final long[] LONGS = {0, 1, 9, 10, 99, 100, 255, 4096, 86_400, 1_000_000_007L,
        Integer.MAX_VALUE, Integer.MIN_VALUE, 9_007_199_254_740_993L, Long.MAX_VALUE, Long.MIN_VALUE,
        Long.MIN_VALUE + 1, -1, -10, -86_400};

    @Test
    void decimalIsLongToString() {
        for (long n : LONGS) {
            assertEquals(Long.toString(n), NumberText.decimal(n));
        }
    }

    @Test
    void hexIsIntegerToHexStringPaddedAndCased() {
        int[] ints = {0, 1, 9, 10, 15, 16, 0x1f, 0x7f, 0xd800, 0xffff, 0x10000, Integer.MAX_VALUE, -1,
            Integer.MIN_VALUE};
        for (int v : ints) {
            assertEquals(Integer.toHexString(v), NumberText.hex(v, 0, false));
            assertEquals(Integer.toHexString(v).toUpperCase(), NumberText.hex(v, 1, true));
        }
        assertEquals("0A", NumberText.hex(10, 2, true));
        assertEquals("001f", NumberText.hex(0x1f, 4, false));
        assertEquals("D800", NumberText.hex(0xd800, 4, true));
        assertEquals("0000000000ff", NumberText.hex(255, 12, false));
    }
}
