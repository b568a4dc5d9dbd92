package dev.extstorage.model;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class Utf8Test {
    @Test
    void countsWhatTheJdkEncodes() {
        for (String s : new String[] {"", "a", "\u00e9", "\u07ff", "\u0800", "\u20ac", "\uffff", "\ud83d\ude00",
                "key/\u00e9\u20ac\ud83d\ude00x", "\u0000\u007f\u0080"}) {
            assertEquals(s.getBytes(StandardCharsets.UTF_8).length, Utf8.length(s), s);
        }
    }

    @Test
    void eachSurrogateHalfCountsTwo() {
        assertEquals(2, Utf8.unitLength('\ud83d'));
        assertEquals(2, Utf8.unitLength('\ude00'));
        assertEquals(2, Utf8.length("\ud800"));
    }
}
