package dev.extstorage.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class UserIdsTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "alice", "42", "user@example.com", "a:b", "%", " ", "\u0000", "\uD800",
            "\uD83D\uDE00"})
    void anyNonEmptyIdIsAcceptable(String id) {
        assertNull(UserIds.problem(id));
    }

    @ParameterizedTest
    @NullAndEmptySource
    void emptyOrNullIsAProblem(String id) {
        assertNotNull(UserIds.problem(id));
    }

    @Test
    void lengthLimit() {
        assertEquals(1024, UserIds.MAX_LENGTH);
        assertNull(UserIds.problem("u".repeat(1024)));
        assertNotNull(UserIds.problem("u".repeat(1025)));
    }

    @Test
    void plainIdsAreTheirOwnStorageForm() {
        String id = "alice@example.com/\u00E9\uD83D\uDE00";
        assertSame(id, UserIds.storageForm(id));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "%|%25", ":|%3A", "a:b%c|a%3Ab%25c", "%3A|%253A", "'\u0000'|%00", "'\u0009'|%09", "'\u001F'|%1F", "\u007F|%7F",
        "\uD800|%uD800", "\uDBFF|%uDBFF", "\uDC00x|%uDC00x", "x\uDFFF|x%uDFFF", "\uDC00\uD800|%uDC00%uD800",
        "\uD83D\uDE00:|\uD83D\uDE00%3A", "%\uD83D\uDE00|%25\uD83D\uDE00", "\uD83D\uD83D\uDE00|%uD83D\uD83D\uDE00",
        "a\u0080\u00A0|a\u0080\u00A0"})
    void escapes(String id, String form) {
        assertEquals(form, UserIds.storageForm(id));
    }

    @Test
    void storageFormIsInjectiveAndClean() {
        Map<String, String> seen = new HashMap<>();
        for (String id : BrowserKeysTest.words("a%:253AuD\u0000\u007F\uD800\uDC00", 3)) {
            String form = UserIds.storageForm(id);
            String before = seen.put(form, id);
            assertNull(before, () -> "'" + id + "' and '" + before + "' both become " + form);
            assertFalse(form.indexOf(':') >= 0, form);
            for (int i = 0; i < form.length(); i++) {
                char c = form.charAt(i);
                assertFalse(c < 0x20 || c == 0x7F, form);
            }
            // well-formed UTF-16: no lone surrogate survives
            assertNull(StorageKeys.problem(form.length() > 255 ? form.substring(0, 1) : form));
        }
    }
}
