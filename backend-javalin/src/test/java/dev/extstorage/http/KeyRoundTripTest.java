package dev.extstorage.http;

import dev.extstorage.model.PercentEncoding;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Odd keys travel percent-encoded in one path segment and come back unchanged, on both tiers. */
class KeyRoundTripTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "/leading", "trailing/", "a/../b", "../x", "100%", "%2F literally", "a+b", "with space",
            "emoji 😀 🎉", "ключ", "键/値", "a:b:c", "a?b#c&d=e", "..."," ", "\u00a0nbsp", "tab-less\u0080c1", "\\back\\slash", "x;y", "'quotes\"'"})
    void oddKeysRoundTrip(String key) {
        roundTrip(key);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 255})
    void longestKeysRoundTrip(int n) {
        roundTrip("k".repeat(n));
        roundTrip("😀".repeat(n));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ephemeral", "persistent"})
    void distinctKeysStayDistinct(String tier) {
        String[] keys = {"a/b", "a%2Fb", "a b", "a+b", "a%20b"};
        for (String k : keys) {
            server.put(TestServer.url("acme", "notes", tier, PercentEncoding.encode(k)), "distinct", body(tier, k));
        }
        for (String k : keys) {
            var r = server.get(TestServer.url("acme", "notes", tier, PercentEncoding.encode(k)), "distinct");
            assertEquals(k, r.json().get("result").asText(), k);
        }
    }

    private static void roundTrip(String key) {
        for (String tier : new String[]{"ephemeral", "persistent"}) {
            String path = TestServer.url("acme", "notes", tier, PercentEncoding.encode(key));
            assertEquals(200, server.put(path, "keys", body(tier, key)).status(), key);
            assertEquals(key, server.get(path, "keys").json().get("result").asText(), key);
        }
        var list = server.get(TestServer.url("acme", "notes", "persistent", "").replaceAll("/$", "") + "?page_size=1", "keys");
        assertEquals(key, list.json().get("result").get(0).get("key").asText());
    }

    private static String body(String tier, String value) {
        return "{\"value\": " + TestServer.JSON.valueToTree(value) + (tier.equals("ephemeral") ? ", \"ttl\": 60}" : "}");
    }
}
