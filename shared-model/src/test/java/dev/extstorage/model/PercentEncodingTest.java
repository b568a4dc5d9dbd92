package dev.extstorage.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PercentEncodingTest {
    private static final String UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "a%b", "%2F", "%25", "a+b", "a b", "  ", "\uD83D\uDE00", "\u65E5\u672C\u8A9E",
            "\uD55C\uAD6D\uC5B4", "caf\u00E9", "../..", ".", "a:b?c#d&e=f", "100%", "%", "%%%", "+%2B+", "\u0080\u00A0",
            "\uFFFF", "\uDBFF\uDFFF", "\\", "\"'<>{}|^`[]@!$()*,;"})
    void roundTrip(String key) {
        String encoded = PercentEncoding.encode(key);
        assertEquals(key, PercentEncoding.decode(encoded));
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            assertTrue(c == '%' || UNRESERVED.indexOf(c) >= 0, "unexpected " + c + " in " + encoded);
        }
        // java.net's decoder agrees (encode never leaves a '+', the one character it reads differently)
        assertEquals(key, URLDecoder.decode(encoded, StandardCharsets.UTF_8));
    }

    @Test
    void roundTripOfEveryBmpCharacterAndSomeSupplementary() {
        StringBuilder all = new StringBuilder();
        for (int c = 0; c <= 0xFFFF; c++) {
            if (!Character.isSurrogate((char) c)) {
                all.append((char) c);
            }
        }
        for (int cp = 0x10000; cp <= 0x10FFFF; cp += 0x3FF) {
            all.appendCodePoint(cp);
        }
        all.appendCodePoint(0x10FFFF);
        String s = all.toString();
        assertEquals(s, PercentEncoding.decode(PercentEncoding.encode(s)));
        assertEquals(s, URLDecoder.decode(PercentEncoding.encode(s), StandardCharsets.UTF_8));
    }

    @Test
    void encodeLeavesOnlyUnreserved() {
        assertEquals(UNRESERVED, PercentEncoding.encode(UNRESERVED));
        for (char c = 0; c < 0x80; c++) {
            if (UNRESERVED.indexOf(c) < 0) {
                String hex = Integer.toHexString(c).toUpperCase();
                assertEquals("%" + (hex.length() == 1 ? "0" : "") + hex, PercentEncoding.encode(String.valueOf(c)));
            }
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/|%2F", "%|%25", "+|%2B", "' '|%20", ":|%3A", "?|%3F", "#|%23", "&|%26",
        "%2F|%252F", "a/b c|a%2Fb%20c",
        "\u00E9|%C3%A9", "\u20AC|%E2%82%AC", "\uD83D\uDE00|%F0%9F%98%80", "\u65E5\u672C|%E6%97%A5%E6%9C%AC"})
    void encodeExact(String in, String out) {
        assertEquals(out, PercentEncoding.encode(in));
    }

    @Test
    void encodeTurnsLoneSurrogatesIntoReplacementCharacter() {
        assertEquals("a%EF%BF%BDb", PercentEncoding.encode("a\uD800b"));
        assertEquals("%EF%BF%BD", PercentEncoding.encode("\uDC00"));
        assertEquals("%EF%BF%BD%EF%BF%BD", PercentEncoding.encode("\uDC00\uD800"));
        assertEquals("%EF%BF%BD", PercentEncoding.encode("\uD800"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a+b|a+b", "+|+", "%2B|+", "%2b|+", "%2F|/", "%2f|/", "%252F|%2F", "%20|' '", "abc|abc",
        "%c3%a9|\u00E9", "%C3%A9|\u00E9", "\u00E9%C3%A9|\u00E9\u00E9",
        "%C2%80|\u0080", "%DF%BF|\u07FF", "%E0%A0%80|\u0800", "%ED%9F%BF|\uD7FF", "%EE%80%80|\uE000",
        "%EF%BF%BF|\uFFFF", "%F0%90%80%80|\uD800\uDC00", "%F4%8F%BF%BF|\uDBFF\uDFFF"})
    void decodeExact(String in, String out) {
        assertEquals(out, PercentEncoding.decode(in));
    }

    @Test
    void decodeIsNotKeyValidation() {
        assertEquals("\u0000", PercentEncoding.decode("%00"));
        assertEquals(".", PercentEncoding.decode("%2E"));
    }

    @Test
    void decodeWithoutPercentReturnsTheInput() {
        String s = "plain+text";
        assertSame(s, PercentEncoding.decode(s));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "%", "%2", "a%", "a%2", "%%", "%%20", "%G0", "%0G", "%2 ", "% 2", "%-1", "%+1", "%x1",
        // hex digits are ASCII only
        "%\uFF14\uFF11", "%\u0664\u0661", "%4\uFF11",
        // overlong forms
        "%C0%AF", "%C1%BF", "%C0%80", "%E0%80%AF", "%E0%9F%BF", "%F0%80%80%AF", "%F0%8F%BF%BF",
        // encoded surrogates
        "%ED%A0%80", "%ED%BF%BF", "%ED%B0%80",
        // above U+10FFFF and bytes never used by UTF-8
        "%F4%90%80%80", "%F5%80%80%80", "%F7%BF%BF%BF", "%F8", "%FE", "%FF",
        // stray continuation bytes
        "%80", "%BF", "a%80b", "%C3%A9%A9",
        // truncated or interrupted sequences
        "%C3", "%C3a", "%C3%", "%C3%4", "%C3%41", "%C3%C3%A9", "%E2%82", "%E2%82a", "%F0%9F%98", "%F0%9F%98%41"})
    void decodeRejects(String in) {
        assertNull(PercentEncoding.decode(in), in);
    }
}
