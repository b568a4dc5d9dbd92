package dev.extstorage.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.extstorage.model.ErrorCode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HttpErrorsTest {
    /** 1994-11-06T08:49:37Z, the example date of RFC 9110. */
    private static final double RFC_DATE = Instant.parse("1994-11-06T08:49:37Z").toEpochMilli();

    @ParameterizedTest
    @CsvSource({
        "401, NOT_AUTHENTICATED", "403, FORBIDDEN", "404, EXTENSION_NOT_FOUND", "412, PRECONDITION_FAILED",
        "413, QUOTA_EXCEEDED", "415, UNSUPPORTED_MEDIA_TYPE", "429, RATE_LIMITED", "503, STORE_UNAVAILABLE",
        "500, STORE_UNAVAILABLE", "502, STORE_UNAVAILABLE", "504, STORE_UNAVAILABLE", "408, STORE_UNAVAILABLE",
        "400, INVALID_BODY", "405, INVALID_BODY", "409, INVALID_BODY", "422, INVALID_BODY", "302, STORE_UNAVAILABLE",
        "200, STORE_UNAVAILABLE", "0, STORE_UNAVAILABLE"})
    void statusWithoutBodyCodeMapsToSpecCode(int status, ErrorCode expected) {
        assertEquals(expected, ErrorCode.forStatus(status));
        assertEquals(expected.name(), HttpErrors.code(status, null));
        assertEquals(expected.name(), HttpErrors.code(status, ""));
    }

    @Test
    void serverCodeWinsOverStatus() {
        assertEquals("VALUE_TOO_LARGE", HttpErrors.code(400, "VALUE_TOO_LARGE"));
        assertEquals("QUOTA_EXCEEDED", HttpErrors.code(413, "QUOTA_EXCEEDED"));
        assertEquals("SERVER_BUSY", HttpErrors.code(503, "SERVER_BUSY"));
        assertEquals("PAGE_TOO_LARGE", HttpErrors.code(400, "PAGE_TOO_LARGE"));
        assertEquals("SOMETHING_NEW", HttpErrors.code(418, "SOMETHING_NEW"));
    }

    @Test
    void messageFallsBackToStatus() {
        assertEquals("Extension not found", HttpErrors.message(404, "Extension not found"));
        assertEquals("The storage server answered HTTP 502", HttpErrors.message(502, null));
        assertEquals("The storage server answered HTTP 401", HttpErrors.message(401, ""));
    }

    @ParameterizedTest
    @CsvSource({"7, 7", "0, 0", "120, 120", "007, 7", "2147483647, 2147483647", "2147483648, 2147483647",
        "99999999999999999999999999, 2147483647"})
    void retryAfterDeltaSeconds(String header, int expected) {
        assertEquals(expected, HttpErrors.retryAfter(header, RFC_DATE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "-5", "-0", "+7", "7.5", "1e3", "0x10", "7 ", " 7", "7s", "soon", "Infinity",
        "NaN", "٣", "７",
        // dates with a wrong zone, field, separator or length
        "Sun, 06 Nov 1994 08:49:37 PST", "Sun, 06 Nov 1994 08:49:37 gmt", "Sun, 06 Foo 1994 08:49:37 GMT",
        "Sun, 06 nov 1994 08:49:37 GMT", "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 00 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06 Nov 1994 08:60:37 GMT", "Sun, 06 Nov 1994 08:49:61 GMT",
        "Sun, 06 Nov 1994 08:49:37", "Sun, 06 Nov 94 08:49:37 GMT", "Sun, 6 Nov 1994 08:49:37 GMT",
        "Sun 06 Nov 1994 08:49:37 GMT", "Sun, 06-Nov-1994 08:49:37 GMT", "S1n, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08.49.37 GMT", "Sun, 0x Nov 1994 08:49:37 GMT", "Sunday, 06 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 UTC", ", 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 94  ",
        "Sun Nov 6 08:49:37 1994", "Sun Nov  6 08:49:37 1994 GMT", "1994-11-06T08:49:37Z", "06 Nov 1994"})
    void retryAfterGarbageIsIgnored(String header) {
        assertEquals(-1, HttpErrors.retryAfter(header, RFC_DATE), header);
    }

    @Test
    void retryAfterNullIsAbsent() {
        assertEquals(-1, HttpErrors.retryAfter(null, RFC_DATE));
    }

    @Test
    void retryAfterHttpDateInTheThreeFormsIsSecondsFromNow() {
        double now = RFC_DATE - 90_000;
        assertEquals(90, HttpErrors.retryAfter("Sun, 06 Nov 1994 08:49:37 GMT", now));
        assertEquals(90, HttpErrors.retryAfter("Sunday, 06-Nov-94 08:49:37 GMT", now));
        assertEquals(90, HttpErrors.retryAfter("Sun Nov  6 08:49:37 1994", now));
        assertEquals(90, HttpErrors.retryAfter("Sun Nov 06 08:49:37 1994", now));
        // the weekday is not checked against the date
        assertEquals(90, HttpErrors.retryAfter("Mon, 06 Nov 1994 08:49:37 GMT", now));
    }

    @Test
    void retryAfterRoundsUpAndIsNeverNegative() {
        assertEquals(1, HttpErrors.retryAfter("Sun, 06 Nov 1994 08:49:37 GMT", RFC_DATE - 1));
        assertEquals(0, HttpErrors.retryAfter("Sun, 06 Nov 1994 08:49:37 GMT", RFC_DATE));
        assertEquals(0, HttpErrors.retryAfter("Sun, 06 Nov 1994 08:49:37 GMT", RFC_DATE + 1));
        assertEquals(0, HttpErrors.retryAfter("Thu, 01 Jan 1970 00:00:00 GMT", RFC_DATE));
        assertEquals(0, HttpErrors.retryAfter("Sat, 01 Jan 0000 00:00:00 GMT", RFC_DATE));
        assertEquals(Integer.MAX_VALUE, HttpErrors.retryAfter("Fri, 31 Dec 9999 23:59:59 GMT", RFC_DATE));
    }

    @Test
    void retryAfterDatesMatchJavaTimeAcrossMonthsAndLeapYears() {
        DateTimeFormatter imf = DateTimeFormatter.RFC_1123_DATE_TIME;
        DateTimeFormatter asctime = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US);
        double now = Instant.parse("1990-01-01T00:00:00Z").toEpochMilli();
        for (Instant t = Instant.parse("1990-01-01T00:00:00Z"); t.isBefore(Instant.parse("2110-01-01T00:00:00Z"));
                t = t.plusSeconds(86_400L * 17 + 3_671)) {
            int expected = (int) Math.min(Integer.MAX_VALUE, (t.toEpochMilli() - (long) now) / 1000);
            String a = imf.format(t.atZone(ZoneOffset.UTC));
            if (a.charAt(6) == ' ') {
                a = a.substring(0, 5) + "0" + a.substring(5); // RFC_1123 writes day 1-9 with one digit
            }
            assertEquals(expected, HttpErrors.retryAfter(a, now), a);
            String b = asctime.format(t.atZone(ZoneOffset.UTC));
            assertEquals(expected, HttpErrors.retryAfter(b, now), b);
        }
    }

    @Test
    void retryAfterTwoDigitYearMoreThanFiftyYearsAheadIsOfTheCenturyBefore() {
        double now = Instant.parse("2026-06-01T00:00:00Z").toEpochMilli();
        // 2076 is 50 years ahead: kept; 2077 is more: 1977, in the past
        assertEquals((int) ((Instant.parse("2076-11-06T08:49:37Z").toEpochMilli() - now) / 1000),
                HttpErrors.retryAfter("Friday, 06-Nov-76 08:49:37 GMT", now));
        assertEquals(0, HttpErrors.retryAfter("Saturday, 06-Nov-77 08:49:37 GMT", now));
        assertEquals(0, HttpErrors.retryAfter("Sunday, 06-Nov-94 08:49:37 GMT", now));
        assertEquals(60, HttpErrors.retryAfter("Monday, 01-Jun-26 00:01:00 GMT", now));
    }
}
