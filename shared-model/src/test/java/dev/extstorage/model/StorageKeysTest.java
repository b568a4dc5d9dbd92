package dev.extstorage.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class StorageKeysTest {
    private static final String EMOJI = "\uD83D\uDE00"; // U+1F600, two UTF-16 units

    static IntStream controlChars() {
        return IntStream.concat(IntStream.rangeClosed(0x00, 0x1F), IntStream.of(0x7F));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "sidebar_collapsed", "a:b", "a/b", "/", "//", "a%b", "%", "%2F", "a b", " ", "  ",
            "a..b", "...", "../x", "x/..", "./", ".a", "a.", "+", "?&=#", "\\", "ü", "日本語", EMOJI, "\u0080",
            "\u00A0", "\uFFFF", "\u200B", "\"'<>"})
    void validKeys(String key) {
        assertTrue(StorageKeys.isValid(key), key);
        assertNull(StorageKeys.problem(key));
        assertSame(key, StorageKeys.requireValid(key));
    }

    @Test
    void prefixProblemsAreNamedForAPrefix() {
        StorageException e = assertThrows(StorageException.class, () -> KeyPrefixes.parse("a\u0001"));
        assertEquals(ErrorCode.INVALID_QUERY, e.code());
        assertEquals("prefix: a prefix must not contain control characters", e.getMessage());
    }

    @ParameterizedTest
    @NullAndEmptySource
    void emptyOrNullRejected(String key) {
        assertFalse(StorageKeys.isValid(key));
        StorageException e = assertThrows(StorageException.class, () -> StorageKeys.requireValid(key));
        assertEquals(ErrorCode.INVALID_KEY, e.code());
        assertEquals(-1, e.limit());
        assertEquals(-1, e.actual());
    }

    @ParameterizedTest
    @ValueSource(strings = {".", ".."})
    void dotSegmentsAloneRejected(String key) {
        StorageException e = assertThrows(StorageException.class, () -> StorageKeys.requireValid(key));
        assertEquals(ErrorCode.INVALID_KEY, e.code());
        assertTrue(e.getMessage().contains("'.'"), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("controlChars")
    void everyControlCharacterRejectedAnywhere(int c) {
        String ch = String.valueOf((char) c);
        for (String key : new String[] {ch, "a" + ch, ch + "a", "a" + ch + "b"}) {
            StorageException e = assertThrows(StorageException.class, () -> StorageKeys.requireValid(key));
            assertEquals(ErrorCode.INVALID_KEY, e.code());
            assertTrue(e.getMessage().contains("control"), e.getMessage());
        }
    }

    @Test
    void characterJustOutsideControlRangesPass() {
        assertTrue(StorageKeys.isValid("\u0020"));
        assertTrue(StorageKeys.isValid("\u007E"));
        assertTrue(StorageKeys.isValid("\u0080"));
        assertTrue(StorageKeys.isValid("\u009F"));
        assertTrue(StorageKeys.isValid("\u00A0"));
    }

    @Test
    void asciiLengthLimitIs255CodePoints() {
        assertTrue(StorageKeys.isValid("k".repeat(255)));
        StorageException e = assertThrows(StorageException.class, () -> StorageKeys.requireValid("k".repeat(256)));
        assertEquals(ErrorCode.INVALID_KEY, e.code());
        assertEquals(255, e.limit());
        assertEquals(256, e.actual());
        assertTrue(e.getMessage().contains("255"), e.getMessage());
    }

    @Test
    void emojiCountOnce() {
        String emoji255 = EMOJI.repeat(255);
        assertEquals(510, emoji255.length());
        assertTrue(StorageKeys.isValid(emoji255));
        StorageException e = assertThrows(StorageException.class, () -> StorageKeys.requireValid(EMOJI.repeat(256)));
        assertEquals(255, e.limit());
        assertEquals(256, e.actual());
        assertTrue(StorageKeys.isValid("a".repeat(254) + EMOJI));
        assertFalse(StorageKeys.isValid("a".repeat(255) + EMOJI));
    }

    @Test
    void lengthDetailsOnlyForLengthProblems() {
        // a too-long key with a control character reports the control character, so no length figures
        StorageException e = assertThrows(StorageException.class,
                () -> StorageKeys.requireValid("k".repeat(300) + "\u0000"));
        assertEquals(ErrorCode.INVALID_KEY, e.code());
        assertTrue(e.getMessage().contains("control"), e.getMessage());
        assertEquals(-1, e.limit());
        assertEquals(-1, e.actual());
        assertEquals(e.getMessage(), StorageKeys.problem("k".repeat(300) + "\u0000"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\uD800", "\uDBFF", "\uDC00", "\uDFFF", "a\uD800", "\uD800a", "a\uDC00b",
            "\uDC00\uD800", "\uD83D\uD83D\uDE00", "\uD83D\uDE00\uDE00"})
    void loneSurrogatesRejected(String key) {
        StorageException e = assertThrows(StorageException.class, () -> StorageKeys.requireValid(key));
        assertEquals(ErrorCode.INVALID_KEY, e.code());
        assertTrue(e.getMessage().contains("surrogate"), e.getMessage());
    }

    @Test
    void validSurrogatePairsAccepted() {
        assertTrue(StorageKeys.isValid("\uD800\uDC00"));
        assertTrue(StorageKeys.isValid("\uDBFF\uDFFF"));
        assertTrue(StorageKeys.isValid("a" + EMOJI + "b" + EMOJI));
    }

    @Test
    void codePointCount() {
        assertEquals(0, StorageKeys.codePointCount(""));
        assertEquals(3, StorageKeys.codePointCount("abc"));
        assertEquals(1, StorageKeys.codePointCount(EMOJI));
        assertEquals(2, StorageKeys.codePointCount("a" + EMOJI));
        assertEquals(1, StorageKeys.codePointCount("\uD800"));
        assertEquals(2, StorageKeys.codePointCount("\uDC00\uD800"));
        assertEquals(2, StorageKeys.codePointCount("\uD800\uD800"));
    }

    @Test
    void problemNamesWhatIsWrong() {
        assertNotNull(StorageKeys.problem(null));
        assertTrue(StorageKeys.problem("").contains("empty"));
        assertTrue(StorageKeys.problem("a".repeat(256)).contains("256"));
    }
}
