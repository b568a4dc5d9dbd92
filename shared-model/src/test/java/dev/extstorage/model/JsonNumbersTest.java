package dev.extstorage.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonNumbersTest {
    @ParameterizedTest
    @CsvSource({"300,300", "3e2,300", "3E+2,300", "300.0,300", "30000e-2,300", "0.3e3,300", "-5,-5", "0,0",
            "-0,0", "0.000,0", "0e999999999999,0", "1,1", "999999999999999999,999999999999999999",
            "1e17,100000000000000000"})
    void wholeNumbers(String text, long expected) {
        assertEquals(expected, JsonNumbers.wholeValue(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5", "1e-3", "0.1", "299.9999", "1e-60000000", "123456789e-9"})
    void fractions(String text) {
        assertEquals(JsonNumbers.NOT_WHOLE, JsonNumbers.wholeValue(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1000000000000000000", "1e18", "1e60000000", "1e2147483648", "1e99999999999999999999"})
    void tooLarge(String text) {
        assertEquals(JsonNumbers.TOO_LARGE, JsonNumbers.wholeValue(text));
        assertEquals(JsonNumbers.TOO_SMALL, JsonNumbers.wholeValue("-" + text));
    }

    @Test
    void hugeExponentsAndLongDigitRunsCostLinearTime() {
        String digits = "1" + "0".repeat(5000);
        assertEquals(JsonNumbers.TOO_LARGE, JsonNumbers.wholeValue(digits));
        assertEquals(JsonNumbers.NOT_WHOLE, JsonNumbers.wholeValue("0." + "0".repeat(5000) + "1"));
        assertEquals(3, JsonNumbers.wholeValue("3" + "0".repeat(5000) + "e-5000"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-", "e5", "1e", "1e+", "abc", "1x", "--1"})
    void notNumbers(String text) {
        assertThrows(IllegalArgumentException.class, () -> JsonNumbers.wholeValue(text));
    }
}
