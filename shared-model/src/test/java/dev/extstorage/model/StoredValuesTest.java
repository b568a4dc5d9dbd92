package dev.extstorage.model;

import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StoredValuesTest {
    @Test
    void binaryTextRoundTripsEveryByteValue() {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        String base64 = Base64.getEncoder().encodeToString(all);
        String stored = StoredValues.binary(StoredValues.requireBinary(base64, 256));
        assertTrue(StoredValues.isBinary(stored));
        assertFalse(StoredValues.isEncrypted(stored));
        assertEquals(base64, StoredValues.base64Of(stored));
        assertEquals("\"\\ud800b64:" + base64 + "\"", stored);
        assertEquals(256, StoredValues.decodedLength(base64));
    }

    @Test
    void thePrefixIsWhatJsonStringifyMakesOfTheLoneSurrogate() {
        // JSON.stringify("\uD800b64:AA==") === "\"\\ud800b64:AA==\"" (well-formed JSON.stringify, ES2019)
        assertEquals("\"\\ud800b64:AA==\"", StoredValues.binary("AA=="));
        assertEquals("\"\\ud800enc:v1.k.xyz\"", StoredValues.encrypted("v1.k.xyz"));
    }

    @Test
    void noValidPlainValueLooksBinaryOrEncrypted() {
        // a value starting with a surrogate pair (U+10000), escaped or raw, passes the value rule but is no marker
        for (String plain : new String[] {"\"\\ud800\\udc00b64:AA==\"", "\"\uD800\uDC00b64:AA==\"", "\"b64:AA==\"",
                "\"\\\\ud800b64:AA==\"", "[\"\\ud800\\udc00\"]", "{}", "1", "null"}) {
            JsonValues.requireValid(plain, 1 << 20);
            assertFalse(StoredValues.isBinary(plain), plain);
            assertFalse(StoredValues.isEncrypted(plain), plain);
        }
        // and the marker text itself is refused as a plain value: a lone surrogate
        StorageException e = assertThrows(StorageException.class,
                () -> JsonValues.requireValid(StoredValues.binary("AA=="), 1 << 20));
        assertEquals(ErrorCode.INVALID_VALUE, e.code());
    }

    @Test
    void base64IsCheckedWithoutDecoding() {
        assertEquals(0, StoredValues.decodedLength(""));
        assertEquals(1, StoredValues.decodedLength("AA=="));
        assertEquals(2, StoredValues.decodedLength("AAA="));
        assertEquals(3, StoredValues.decodedLength("AAAA"));
        for (String bad : new String[] {"A", "AA=", "AA==AA==", "A===", "AA-_", "AA AA", "AAA\u00e9", "===="}) {
            StorageException e = assertThrows(StorageException.class, () -> StoredValues.decodedLength(bad), bad);
            assertEquals(ErrorCode.INVALID_BODY, e.code(), bad);
        }
    }

    @Test
    void theLimitCountsDecodedBytes() {
        String oneMiB = Base64.getEncoder().encodeToString(new byte[1 << 20]);
        assertEquals(oneMiB, StoredValues.requireBinary(oneMiB, 1 << 20));
        String oneMore = Base64.getEncoder().encodeToString(new byte[(1 << 20) + 1]);
        StorageException e = assertThrows(StorageException.class, () -> StoredValues.requireBinary(oneMore, 1 << 20));
        assertEquals(ErrorCode.VALUE_TOO_LARGE, e.code());
        assertEquals((1 << 20) + 1, e.actual());
        assertEquals(1 << 20, e.limit());
    }

    @org.junit.jupiter.api.Test
    void wireValueAndMarkAgreeWithTheStoredText() {
        String stored = StoredValues.binary("AP8=");
        org.junit.jupiter.api.Assertions.assertEquals("\"AP8=\"", StoredValues.wireValue(stored));
        org.junit.jupiter.api.Assertions.assertEquals("{\"a\":1}", StoredValues.wireValue("{\"a\":1}"));
        org.junit.jupiter.api.Assertions.assertEquals("\"\\ud800b64:AP8=\"", stored);
        // what JSON.parse makes of the stored text: the escape decoded to the one character U+D800
        org.junit.jupiter.api.Assertions.assertEquals("\"" + StoredValues.BINARY_MARK.replace("\ud800", "\\ud800"),
                StoredValues.BINARY_PREFIX);
    }
}
