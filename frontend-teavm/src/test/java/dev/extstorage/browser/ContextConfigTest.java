package dev.extstorage.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContextConfigTest {
    @Test
    void defaultsApply() {
        ContextConfig c = ContextConfig.of("acme", "notes", null, null, null, null);
        assertEquals("acme.notes", c.extension.id());
        assertNull(c.userId);
        assertEquals("", c.apiBase);
        assertEquals("ext-storage", c.keyPrefix);
        assertEquals("same-origin", c.credentials);
    }

    @Test
    void givenValuesAreKept() {
        ContextConfig c = ContextConfig.of("acme", "notes", "a:b%c", "https://api.example.com/", "superset-ext",
                "include");
        assertEquals("a:b%c", c.userId);
        assertEquals("https://api.example.com/", c.apiBase);
        assertEquals("superset-ext", c.keyPrefix);
        assertEquals("include", c.credentials);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Acme", "-acme", "ac.me", "ac:me", "a b"})
    void badExtensionPartIsRefused(String part) {
        assertThrows(InvalidOptionsException.class, () -> ContextConfig.of(part, "notes", null, null, null, null));
        assertThrows(InvalidOptionsException.class, () -> ContextConfig.of("acme", part, null, null, null, null));
    }

    @Test
    void missingExtensionPartIsRefused() {
        assertThrows(InvalidOptionsException.class, () -> ContextConfig.of(null, "notes", null, null, null, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a:b", "tab\there"})
    void badPrefixIsRefused(String prefix) {
        assertThrows(InvalidOptionsException.class, () -> ContextConfig.of("acme", "notes", null, null, prefix, null));
    }

    @Test
    void tooLongPrefixIsRefused() {
        assertThrows(InvalidOptionsException.class,
                () -> ContextConfig.of("acme", "notes", null, null, "p".repeat(65), null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "same_origin", "INCLUDE"})
    void badCredentialsModeIsRefused(String mode) {
        assertThrows(InvalidOptionsException.class, () -> ContextConfig.of("acme", "notes", null, null, null, mode));
    }

    @Test
    void emptyOrTooLongUserIdIsRefused() {
        assertThrows(InvalidOptionsException.class, () -> ContextConfig.of("acme", "notes", "", null, null, null));
        assertThrows(InvalidOptionsException.class,
                () -> ContextConfig.of("acme", "notes", "u".repeat(1025), null, null, null));
    }
}
