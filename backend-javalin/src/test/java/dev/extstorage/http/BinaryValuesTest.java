package dev.extstorage.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Base64;
import java.util.Map;

import static dev.extstorage.http.RestApiTest.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Binary values over REST (SPEC section 10) on both server tiers, at the default 1 MiB value limit. */
class BinaryValuesTest {
    static final int MIB = 1 << 20;
    @RegisterExtension
    static final TestServer server = TestServer.perClass(Map.of("EXT_STORAGE_QUOTA_BYTES", String.valueOf(64L * MIB),
            "EXT_STORAGE_USER_QUOTA_BYTES", String.valueOf(32L * MIB)));

    static String url(String tier, String key) {
        return TestServer.url("acme", "notes", tier, key);
    }

    static String body(String tier, String value, String extra) {
        return "{\"value\":" + value + extra + (tier.equals("ephemeral") ? ",\"ttl\":300}" : "}");
    }

    static byte[] allBytes() {
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    @Test
    void everyByteValueRoundTripsOnBothTiers() {
        String base64 = Base64.getEncoder().encodeToString(allBytes());
        for (String tier : new String[] {"ephemeral", "persistent"}) {
            for (String marker : new String[] {",\"isBinary\":true", ",\"codec\":\"binary\"",
                    ",\"isBinary\":true,\"codec\":\"binary\""}) {
                var put = server.put(url(tier, "bytes"), "bin-alice", body(tier, "\"" + base64 + "\"", marker));
                assertEquals(200, put.status(), tier + marker + ": " + put.body());
                var get = server.get(url(tier, "bytes"), "bin-alice");
                assertEquals(200, get.status());
                assertEquals("{\"result\":\"" + base64 + "\",\"isBinary\":true}", get.body(), tier);
                assertArrayEquals(allBytes(), Base64.getDecoder().decode(get.json().get("result").asText()));
            }
        }
    }

    @Test
    void aPlainStringStaysPlain() {
        for (String tier : new String[] {"ephemeral", "persistent"}) {
            assertEquals(200, server.put(url(tier, "text"), "bin-alice", body(tier, "\"AAAA\"", ",\"codec\":\"json\"")).status());
            assertEquals("{\"result\":\"AAAA\"}", server.get(url(tier, "text"), "bin-alice").body());
            assertEquals(200, server.put(url(tier, "text"), "bin-alice", body(tier, "\"AAAA\"", ",\"isBinary\":false")).status());
            assertEquals("{\"result\":\"AAAA\"}", server.get(url(tier, "text"), "bin-alice").body());
        }
    }

    @Test
    void theLimitCountsDecodedBytes() {
        String oneMiB = Base64.getEncoder().encodeToString(new byte[MIB]);
        String oneMore = Base64.getEncoder().encodeToString(new byte[MIB + 1]);
        for (String tier : new String[] {"ephemeral", "persistent"}) {
            var ok = server.put(url(tier, "big"), "bin-bob", body(tier, "\"" + oneMiB + "\"", ",\"isBinary\":true"));
            assertEquals(200, ok.status(), tier + ": " + ok.body());
            assertEquals(oneMiB, server.get(url(tier, "big"), "bin-bob").json().get("result").asText());
            var refused = server.put(url(tier, "big"), "bin-bob", body(tier, "\"" + oneMore + "\"", ",\"isBinary\":true"));
            assertError(refused, 400, "VALUE_TOO_LARGE");
            assertEquals(MIB, refused.json().get("limit").asLong());
            assertEquals(MIB + 1, refused.json().get("actual").asLong());
            server.delete(url(tier, "big"), "bin-bob");
        }
    }

    @Test
    void badBinaryBodiesAreInvalid() {
        for (String tier : new String[] {"ephemeral", "persistent"}) {
            for (String bad : new String[] {body(tier, "\"AA=\"", ",\"isBinary\":true"),
                    body(tier, "\"AA-_\"", ",\"isBinary\":true"), body(tier, "\"AA\\nAA==\"", ",\"isBinary\":true"),
                    body(tier, "[1,2]", ",\"isBinary\":true"), body(tier, "\"AAAA\"", ",\"isBinary\":\"yes\""),
                    body(tier, "\"AAAA\"", ",\"codec\":\"msgpack\""), body(tier, "\"AAAA\"", ",\"codec\":1"),
                    body(tier, "\"AAAA\"", ",\"isBinary\":true,\"codec\":\"json\""),
                    body(tier, "\"AAAA\"", ",\"encrypt\":true"), body(tier, "\"AAAA\"", ",\"encrypt\":1")}) {
                assertError(server.put(url(tier, "bad"), "bin-carol", bad), 400, "INVALID_BODY");
            }
            assertEquals("null", server.get(url(tier, "bad"), "bin-carol").result());
        }
    }

    @Test
    void nobodyCanForgeTheBinaryMarkerWithAPlainValue() {
        for (String tier : new String[] {"ephemeral", "persistent"}) {
            assertError(server.put(url(tier, "forged"), "bin-dan", body(tier, "\"\\ud800b64:AAAA\"", "")),
                    400, "INVALID_VALUE");
        }
    }

    @Test
    void listingsMarkBinaryEntries() {
        String base64 = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3});
        server.put(url("persistent", "list-bin"), "bin-erin", body("persistent", "\"" + base64 + "\"", ",\"isBinary\":true"));
        server.put(url("persistent", "list-text"), "bin-erin", body("persistent", "\"" + base64 + "\"", ""));
        var page = server.get(TestServer.url("acme", "notes", "persistent", "").replaceAll("/$", ""), "bin-erin");
        String text = page.body();
        assertTrue(text.contains("{\"key\":\"list-bin\",\"value\":\"" + base64 + "\",\"isBinary\":true}"), text);
        assertTrue(text.contains("{\"key\":\"list-text\",\"value\":\"" + base64 + "\"}"), text);
        assertFalse(text.contains("ud800"), text);
    }
}
