package dev.extstorage.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.extstorage.model.ErrorCode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class HttpErrorsTest {
    @ParameterizedTest
    @CsvSource({
        "401, NOT_AUTHENTICATED", "403, FORBIDDEN", "404, EXTENSION_NOT_FOUND", "413, QUOTA_EXCEEDED",
        "415, UNSUPPORTED_MEDIA_TYPE", "503, STORE_UNAVAILABLE", "500, STORE_UNAVAILABLE", "502, STORE_UNAVAILABLE",
        "408, STORE_UNAVAILABLE", "429, STORE_UNAVAILABLE", "400, INVALID_BODY", "405, INVALID_BODY",
        "422, INVALID_BODY", "302, STORE_UNAVAILABLE"})
    void statusWithoutBodyCodeMapsToSpecCode(int status, ErrorCode expected) {
        assertEquals(expected, HttpErrors.codeFor(status));
        assertEquals(expected.name(), HttpErrors.code(status, null));
        assertEquals(expected.name(), HttpErrors.code(status, ""));
    }

    @Test
    void serverCodeWinsOverStatus() {
        assertEquals("VALUE_TOO_LARGE", HttpErrors.code(400, "VALUE_TOO_LARGE"));
        assertEquals("QUOTA_EXCEEDED", HttpErrors.code(413, "QUOTA_EXCEEDED"));
        assertEquals("SOMETHING_NEW", HttpErrors.code(418, "SOMETHING_NEW"));
    }

    @Test
    void messageFallsBackToStatus() {
        assertEquals("Extension not found", HttpErrors.message(404, "Extension not found"));
        assertEquals("The storage server answered HTTP 502", HttpErrors.message(502, null));
        assertEquals("The storage server answered HTTP 401", HttpErrors.message(401, ""));
    }
}
