package dev.extstorage.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonValuesTest {
    private static final long NO_LIMIT = Long.MAX_VALUE;

    private static String arrays(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    private static String objects(int depth) {
        return "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    }

    /** Alternates arrays and objects, innermost holding a string: {"k":[{"k":[..."x"...]}]}. */
    private static String mixed(int depth) {
        StringBuilder open = new StringBuilder();
        StringBuilder close = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            if (i % 2 == 0) {
                open.append("{\"k\":");
                close.insert(0, '}');
            } else {
                open.append('[');
                close.insert(0, ']');
            }
        }
        return open + "\"x\"" + close;
    }

    private static StorageException invalid(String json) {
        StorageException e = assertThrows(StorageException.class, () -> JsonValues.requireValid(json, NO_LIMIT));
        assertEquals(ErrorCode.INVALID_VALUE, e.code());
        return e;
    }

    private static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "true", "false", "0", "-1.5e10", "\"\"", "\"text\"", "[]", "{}", "[1,[2],{\"a\":[]}]",
            " [ 1 , 2 ] "})
    void scalarsAndShallowValuesPass(String json) {
        assertEquals(utf8(json), JsonValues.requireValid(json, NO_LIMIT));
    }

    @Test
    void depth64PassesAnd65IsRejected() {
        assertEquals(64, JsonValues.MAX_DEPTH);
        JsonValues.requireValid(arrays(64), NO_LIMIT);
        JsonValues.requireValid(objects(64), NO_LIMIT);
        JsonValues.requireValid(mixed(64), NO_LIMIT);
        for (String deep : new String[] {arrays(65), objects(65), mixed(65), arrays(1000)}) {
            StorageException e = invalid(deep);
            assertEquals(64, e.limit());
            assertEquals(65, e.actual());
            assertTrue(e.getMessage().contains("64"), e.getMessage());
        }
    }

    @Test
    void depthIsNestingNotCount() {
        // many siblings at depth 2 never add up
        String wide = "[" + "[],".repeat(5000) + "{}]";
        JsonValues.requireValid(wide, NO_LIMIT);
        JsonValues.requireValid("[" + arrays(63) + "," + objects(63) + "]", NO_LIMIT);
    }

    @Test
    void bracketsInsideStringsDoNotCount() {
        JsonValues.requireValid("\"" + "[".repeat(200) + "\"", NO_LIMIT);
        JsonValues.requireValid("[\"" + "{[".repeat(200) + "\"]", NO_LIMIT);
        JsonValues.requireValid("{\"" + "[".repeat(100) + "\":\"" + "{".repeat(100) + "\"}", NO_LIMIT);
        // closing brackets in strings must not lower the depth either
        String closersInString = "[\"" + "]".repeat(10) + "\"," + arrays(64) + "]";
        invalid(closersInString);
    }

    @Test
    void escapedQuotesDoNotEndAString() {
        // "\"[[[...": the escaped quote keeps us inside the string
        JsonValues.requireValid("[\"\\\"" + "[".repeat(100) + "\"]", NO_LIMIT);
        // "\\" ends with an escaped backslash, so the next quote does end the string and brackets count again
        invalid("[\"\\\\\"," + arrays(64) + "]");
        JsonValues.requireValid("[\"\\\\\"," + arrays(63) + "]", NO_LIMIT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\uD800\"", "\"\uDBFF\"", "\"\uDC00\"", "\"\uDFFF\"", "\"a\uD800b\"", "\"\uDC00\uD800\"",
            "[\"ok\",\"\uD83D\"]", "{\"\uD800\":1}", "\"\uD83D\uD83D\uDE00\""})
    void rawLoneSurrogatesRejected(String json) {
        assertTrue(invalid(json).getMessage().contains("surrogate"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\\uD800\"", "\"\\ud800\"", "\"\\uDBFF\"", "\"\\uDC00\"", "\"\\udfff\"", "\"x\\uD83D\"",
            "{\"\\uDC00\":true}", "[\"\\uD83D\",\"\\uDE00\"]"})
    void escapedLoneSurrogatesRejected(String json) {
        invalid(json);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\\uD800\\u0041\"", "\"\\uD800\\n\"", "\"\\uD800\\\\\"", "\"\\uD800\\\"\"",
            "\"\\uD800\\uD800\\uDC00\"", "\"\\uD800a\"", "\"\uD800" + "\\u0041\"", "\"\\uD800\uD800\""})
    void highSurrogateFollowedByNonLowRejected(String json) {
        invalid(json);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\uD83D\uDE00\"", "\"\\uD83D\\uDE00\"", "\"\\ud83d\\ude00\"", "\"\uD83D" + "\\uDE00\"",
            "\"\\uD83D\uDE00\"", "{\"\uD83D\uDE00\":\"\\uDBFF\\uDFFF\"}", "\"\\uD7FF\\uE000\\uFFFF\"", "\"\\u0000\""})
    void validPairsAndNonSurrogatesPass(String json) {
        JsonValues.requireValid(json, NO_LIMIT);
    }

    @Test
    void sizeAtTheLimitPassesOneByteOverIsRejected() {
        String json = "{\"a\":\"" + "x".repeat(100) + "\"}";
        long size = utf8(json);
        assertEquals(size, JsonValues.requireValid(json, size));
        StorageException e = assertThrows(StorageException.class, () -> JsonValues.requireValid(json, size - 1));
        assertEquals(ErrorCode.VALUE_TOO_LARGE, e.code());
        assertEquals(size - 1, e.limit());
        assertEquals(size, e.actual());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\u00E9\"", "\"\u07FF\"", "\"\u0800\"", "\"\u20AC\"", "\"\uFFFF\"", "\"\u65E5\u672C\"",
            "\"\uD83D\uDE00\"", "\"\uDBFF\uDFFF\"", "[\"a\u00E9\u20AC\uD83D\uDE00\",\"\u00E9\"]", "{\"\u00E9\":\"\u20AC\"}"})
    void multiByteCharactersCountTheirUtf8Bytes(String json) {
        long size = utf8(json);
        assertEquals(size, JsonValues.requireValid(json, size));
        assertThrows(StorageException.class, () -> JsonValues.requireValid(json, size - 1));
    }

    @Test
    void exactByteCounts() {
        assertEquals(4, JsonValues.requireValid("\"\u00E9\"", NO_LIMIT));
        assertEquals(5, JsonValues.requireValid("\"\u20AC\"", NO_LIMIT));
        assertEquals(6, JsonValues.requireValid("\"\uD83D\uDE00\"", NO_LIMIT));
        // escapes are counted as written: the stored text holds them as written
        assertEquals(4, JsonValues.requireValid("\"\\n\"", NO_LIMIT));
        assertEquals(8, JsonValues.requireValid("\"\\u00e9\"", NO_LIMIT));
        assertEquals(14, JsonValues.requireValid("\"\\uD83D\\uDE00\"", NO_LIMIT));
    }

    @Test
    void depthIsCheckedBeforeSize() {
        StorageException e = assertThrows(StorageException.class, () -> JsonValues.requireValid(arrays(65), 10));
        assertEquals(ErrorCode.INVALID_VALUE, e.code());
    }
}
