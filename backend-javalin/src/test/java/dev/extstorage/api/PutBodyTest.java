package dev.extstorage.api;

import com.fasterxml.jackson.core.JsonFactory;
import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.JsonNumbers;
import dev.extstorage.model.StorageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PutBodyTest {
    private static PutBody read(String body, long maxValueBytes) {
        return PutBody.read(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), maxValueBytes);
    }

    private static ErrorCode valueCode(String body, long maxValueBytes) {
        PutBody b = read(body, maxValueBytes);
        return assertThrows(StorageException.class, b::value).code();
    }

    private static ErrorCode bodyCode(String body) {
        return assertThrows(StorageException.class, () -> read(body, 1000)).code();
    }

    /**
     * Every body of one limit is read by one factory (costly to make), which keeps no member names of a body for
     * the next: many long member names in many bodies would otherwise stay in its table.
     */
    @Test
    void bodiesOfOneLimitShareAFactoryThatKeepsNoMemberNames() {
        JsonFactory f = JsonTokens.factory(PutBody.maxText(1000), 64);
        assertTrue(f == JsonTokens.factory(PutBody.maxText(1000), 64), "one factory per limit");
        assertFalse(f == JsonTokens.factory(PutBody.maxText(2000), 64), "another limit, another factory");
        assertFalse(f.isEnabled(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES));
        assertEquals("{\"x\":1}", read("{\"value\":{\"x\":1}}", 1000).value().toString());
    }

    @Test
    void valuesKeepTheirExactTextInCompactForm() {
        assertEquals("{\"a\":2.50,\"b\":[1,-0,1E+2,1e2147483648,null,true,\"x\\ny\"]}",
                read("{ \"value\" : { \"a\" : 2.50, \"b\" : [1, -0, 1E+2, 1e2147483648, null, true, \"x\\ny\"] } }",
                        1000).value().toString());
        assertEquals("\"\u00e9\ud83d\ude00\"", read("{\"value\":\"\\u00e9\\ud83d\\ude00\"}", 1000).value().toString());
    }

    @Test
    void theValueLimitIsExactInUtf8Bytes() {
        // "é" takes 2 bytes: the quoted string of 4 é is 10 bytes
        String ten = "{\"value\":\"\u00e9\u00e9\u00e9\u00e9\"}";
        assertEquals(10, read(ten, 10).value().toString().getBytes(StandardCharsets.UTF_8).length);
        StorageException e = assertThrows(StorageException.class, () -> read(ten, 9).value());
        assertEquals(ErrorCode.VALUE_TOO_LARGE, e.code());
        assertEquals(9, e.limit());
        assertEquals(10, e.actual());
    }

    @Test
    void aValueJustAboveTheLimitIsMeasuredWithoutBeingKept() {
        String above = "{\"value\":[" + "{},".repeat(20_000) + "{}]}";
        StorageException e = assertThrows(StorageException.class, () -> read(above, 1000).value());
        assertEquals(ErrorCode.VALUE_TOO_LARGE, e.code());
        assertEquals(20_001 * 3 + 1, e.actual());
        // far above: the rest of the body is only read, not parsed, so the size is not known
        String far = "{\"value\":[" + "{},".repeat(100_000) + "{}], \"trailing\": garbage";
        StorageException f = assertThrows(StorageException.class, () -> read(far, 1000).value());
        assertEquals(ErrorCode.VALUE_TOO_LARGE, f.code());
        assertEquals(1000, f.limit());
        assertEquals(-1, f.actual());
    }

    @Test
    void nestingExactlyAtTheLimitIsAValueOnePastItIsNot() {
        String at = "{\"value\":" + "[".repeat(64) + "]".repeat(64) + "}";
        assertEquals("[".repeat(64) + "]".repeat(64), read(at, 1000).value().toString());
        String past = "{\"value\":" + "[".repeat(65) + "]".repeat(65) + "}";
        assertEquals(ErrorCode.INVALID_VALUE, assertThrows(StorageException.class, () -> read(past, 1000).value()).code());
        String deep = "{\"value\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        assertEquals(ErrorCode.INVALID_VALUE, assertThrows(StorageException.class, () -> read(deep, 1000).value()).code());
    }

    @Test
    void loneSurrogatesBreakTheValueRule() {
        assertEquals(ErrorCode.INVALID_VALUE, valueCode("{\"value\":\"\\ud800\"}", 1000));
        assertEquals(ErrorCode.INVALID_VALUE, valueCode("{\"value\":[\"a\\udc00b\"]}", 1000));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "[]", "1", "\"value\"", "{}", "{\"ttl\":5}", "{\"value\":1", "{\"value\":1,}",
            "{\"value\":1} {}", "{\"value\":1}x", "{\"value\":tru}", "{\"value\":1,\"value\":2}", "{value:1}",
            "{\"value\":01}", "{\"value\":1e}", "{\"value\":NaN}", "{\"value\":[1,]}"})
    void malformedBodies(String body) {
        assertEquals(ErrorCode.INVALID_BODY, bodyCode(body));
    }

    @Test
    void ttlIsReadWithoutExpandingIt() {
        PutBody huge = read("{\"value\":1,\"ttl\":1e60000000}", 1000);
        assertTrue(huge.ttlPresent());
        assertTrue(huge.ttlNumber());
        assertEquals(JsonNumbers.TOO_LARGE, huge.ttlSeconds());
        assertEquals(300, read("{\"ttl\":3e2,\"value\":1}", 1000).ttlSeconds());
        assertEquals(JsonNumbers.NOT_WHOLE, read("{\"value\":1,\"ttl\":1.5}", 1000).ttlSeconds());
        PutBody text = read("{\"value\":1,\"ttl\":\"300\"}", 1000);
        assertTrue(text.ttlPresent());
        assertFalse(text.ttlNumber());
        assertFalse(read("{\"value\":1,\"ttl\":null}", 1000).ttlPresent());
        assertFalse(read("{\"value\":1}", 1000).ttlPresent());
    }

    @Test
    void otherMembersAreSkipped() {
        assertEquals("2", read("{\"codec\":\"json\",\"extra\":{\"deep\":[[1]]},\"value\":2}", 1000).value().toString());
    }

    @Test
    void aStreamThatRefusesToGiveMoreIsAnsweredWithItsReason() {
        StorageException refusal = new StorageException(ErrorCode.QUOTA_EXCEEDED, "too large", 10, 11);
        InputStream refusing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("refused", refusal);
            }
        };
        assertEquals(refusal, assertThrows(StorageException.class, () -> PutBody.read(refusing, 1000)));
    }
}
