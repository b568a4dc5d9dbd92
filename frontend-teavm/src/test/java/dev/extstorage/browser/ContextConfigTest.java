package dev.extstorage.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.extstorage.model.Limits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContextConfigTest {
    private static final Limits DEFAULTS = Limits.defaults();

    @Test
    void defaultsApply() {
        ContextConfig c = ContextConfig.of("acme", "notes", null, null, null, null, DEFAULTS);
        assertEquals("acme.notes", c.extension.id());
        assertNull(c.userId);
        assertEquals("", c.apiBase);
        assertEquals("ext-storage", c.keyPrefix);
        assertEquals("same-origin", c.credentials);
    }

    @Test
    void givenValuesAreKept() {
        ContextConfig c = ContextConfig.of("acme", "notes", "a:b%c", "https://api.example.com/", "superset-ext",
                "include", DEFAULTS);
        assertEquals("a:b%c", c.userId);
        assertEquals("https://api.example.com/", c.apiBase);
        assertEquals("superset-ext", c.keyPrefix);
        assertEquals("include", c.credentials);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Acme", "-acme", "ac.me", "ac:me", "a b"})
    void badExtensionPartIsRefused(String part) {
        assertThrows(InvalidOptionsException.class,
                () -> ContextConfig.of(part, "notes", null, null, null, null, DEFAULTS));
        assertThrows(InvalidOptionsException.class,
                () -> ContextConfig.of("acme", part, null, null, null, null, DEFAULTS));
    }

    @Test
    void missingExtensionPartIsRefused() {
        assertThrows(InvalidOptionsException.class,
                () -> ContextConfig.of(null, "notes", null, null, null, null, DEFAULTS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a:b", "tab\there"})
    void badPrefixIsRefused(String prefix) {
        assertThrows(InvalidOptionsException.class,
                () -> ContextConfig.of("acme", "notes", null, null, prefix, null, DEFAULTS));
    }

    @Test
    void tooLongPrefixIsRefused() {
        assertThrows(InvalidOptionsException.class,
                () -> ContextConfig.of("acme", "notes", null, null, "p".repeat(65), null, DEFAULTS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "same_origin", "INCLUDE"})
    void badCredentialsModeIsRefused(String mode) {
        assertThrows(InvalidOptionsException.class,
                () -> ContextConfig.of("acme", "notes", null, null, null, mode, DEFAULTS));
    }

    @Test
    void emptyOrTooLongUserIdIsRefused() {
        assertThrows(InvalidOptionsException.class,
                () -> ContextConfig.of("acme", "notes", "", null, null, null, DEFAULTS));
        assertThrows(InvalidOptionsException.class,
                () -> ContextConfig.of("acme", "notes", "u".repeat(1025), null, null, null, DEFAULTS));
    }

    @Test
    void limitsAboveTheDefaultsAreKeptWithTheDefaultQuota() {
        Limits l = ContextConfig.limits(2_592_000, 10_485_760);
        assertEquals(2_592_000, l.maxTtlSeconds());
        assertEquals(10_485_760, l.maxValueBytes());
        assertEquals(Limits.DEFAULT_QUOTA_BYTES, l.quotaBytes());
        assertEquals(1, ContextConfig.limits(1, 1).maxTtlSeconds());
        assertEquals(9_007_199_254_740_991L, ContextConfig.limits(9_007_199_254_740_991.0, 1).maxTtlSeconds());
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, -1, -604_800, 0.5, 604_800.5, 9_007_199_254_740_992.0, Double.NaN,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void limitThatIsNoPositiveIntegerIsRefused(double bad) {
        assertThrows(InvalidOptionsException.class, () -> ContextConfig.limits(bad, 1_048_576));
        assertThrows(InvalidOptionsException.class, () -> ContextConfig.limits(604_800, bad));
    }
}
