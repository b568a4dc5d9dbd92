package dev.extstorage.model;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PreconditionTest {
    @Test
    void eachKindHoldsForExactlyItsStates() {
        assertTrue(Precondition.NONE.holds(null));
        assertTrue(Precondition.NONE.holds("a1"));
        assertTrue(Precondition.ifAbsent().holds(null));
        assertFalse(Precondition.ifAbsent().holds("a1"));
        assertFalse(Precondition.ifPresent().holds(null));
        assertTrue(Precondition.ifPresent().holds("a1"));
        assertTrue(Precondition.ifVersion("a1").holds("a1"));
        assertFalse(Precondition.ifVersion("a1").holds("A1"), "versions compare exactly");
        assertFalse(Precondition.ifVersion("a1").holds(null));
        assertTrue(Precondition.ifVersionIn(List.of("b2", "a1")).holds("a1"));
    }

    @Test
    void ifVersionNullMeansOnlyIfAbsent() {
        assertSame(Precondition.ifAbsent(), Precondition.ifVersion(null));
    }

    @Test
    void versionsThatCannotBeOneAreDroppedSoTheyMatchNothing() {
        for (String bad : Arrays.asList("", " ", "a b", "a,b", "\"a\"", "é", "x".repeat(65), null)) {
            assertFalse(Precondition.isWellFormed(bad), String.valueOf(bad));
        }
        assertTrue(Precondition.isWellFormed("x".repeat(64)));
        Precondition p = Precondition.ifVersionIn(Arrays.asList("a b", "", "c3", "c3"));
        assertEquals(List.of("c3"), p.versions());
        Precondition none = Precondition.ifVersionIn(List.of("a b"));
        assertEquals(Precondition.Kind.VERSION, none.kind());
        assertFalse(none.holds("a"), "an empty list matches nothing, not everything");
        assertFalse(none.holds(null));
    }

    @Test
    void aFailureCarriesTheCurrentVersion() {
        StorageException e = Precondition.ifVersion("a1").failure("b2");
        assertEquals(ErrorCode.PRECONDITION_FAILED, e.code());
        assertEquals(412, e.code().httpStatus());
        assertEquals("b2", e.version());
        assertNull(Precondition.ifPresent().failure(null).version());
        assertNull(new StorageException(ErrorCode.INVALID_KEY, "x").version());
    }
}
