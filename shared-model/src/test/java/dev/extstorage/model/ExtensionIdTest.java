package dev.extstorage.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ExtensionIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "0", "acme", "my-ext", "my_ext", "a-", "a_", "9lives", "a--b__c", "x1-2_3"})
    void validParts(String part) {
        assertTrue(ExtensionId.isValidPart(part));
        ExtensionId id = ExtensionId.of(part, part);
        assertEquals(part + "." + part, id.id());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"-a", "_a", "-", "_", "Acme", "acmE", "a.b", ".", "a b", " a", "a ", "a:b", "a/b",
            "é", "a%", "a\u0000", "\uD83D\uDE00", "ａ"})
    void invalidParts(String part) {
        assertFalse(ExtensionId.isValidPart(part));
        StorageException asPublisher = assertThrows(StorageException.class, () -> ExtensionId.of(part, "ok"));
        assertEquals(ErrorCode.EXTENSION_NOT_FOUND, asPublisher.code());
        assertEquals("Extension not found", asPublisher.getMessage());
        StorageException asName = assertThrows(StorageException.class, () -> ExtensionId.of("ok", part));
        assertEquals(ErrorCode.EXTENSION_NOT_FOUND, asName.code());
    }

    @Test
    void partLengthLimitIs64() {
        assertTrue(ExtensionId.isValidPart("a".repeat(1)));
        assertTrue(ExtensionId.isValidPart("a".repeat(64)));
        assertFalse(ExtensionId.isValidPart("a".repeat(65)));
        assertEquals(64, ExtensionId.MAX_PART_LENGTH);
        assertThrows(StorageException.class, () -> ExtensionId.of("a".repeat(65), "b"));
        assertThrows(StorageException.class, () -> ExtensionId.of("b", "a".repeat(65)));
    }

    @Test
    void parseSplitsAtTheDot() {
        ExtensionId id = ExtensionId.parse("acme.sidebar-tools");
        assertEquals("acme", id.publisher());
        assertEquals("sidebar-tools", id.name());
        assertEquals("acme.sidebar-tools", id.id());
        assertEquals("acme.sidebar-tools", id.toString());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"acme", ".", "acme.", ".name", "a.b.c", "Acme.x", "acme..x", "acme:x", " acme.x"})
    void parseRejects(String raw) {
        StorageException e = assertThrows(StorageException.class, () -> ExtensionId.parse(raw));
        assertEquals(ErrorCode.EXTENSION_NOT_FOUND, e.code());
        assertEquals(404, e.code().httpStatus());
    }

    @Test
    void equalityIsByBothParts() {
        assertEquals(ExtensionId.of("a", "b"), ExtensionId.parse("a.b"));
        assertEquals(ExtensionId.of("a", "b").hashCode(), ExtensionId.parse("a.b").hashCode());
        assertNotEquals(ExtensionId.of("a", "b"), ExtensionId.of("b", "a"));
        assertNotEquals(ExtensionId.of("a", "bc"), ExtensionId.of("ab", "c"));
        assertNotEquals(ExtensionId.of("a", "b"), "a.b");
    }
}
