package dev.extstorage.http;

import dev.extstorage.model.RestPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every API response, errors and streamed listings included, tells caches not to keep it (SPEC section 10). */
class CacheControlTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static void assertNoStore(TestServer.Response r) {
        assertEquals("no-store", r.raw().headers().firstValue("Cache-Control").orElse(null),
                r.status() + " " + r.body());
    }

    @Test
    void storageAnswersAreNotCached() {
        String p = TestServer.url("acme", "notes", "persistent", "cached");
        String e = TestServer.url("acme", "notes", "ephemeral", "cached");
        assertNoStore(server.put(p, "cc-alice", "{\"value\":1}"));
        assertNoStore(server.get(p, "cc-alice"));
        assertNoStore(server.put(e, "cc-alice", "{\"value\":1,\"ttl\":60}"));
        assertNoStore(server.get(e + "?shared=true", "cc-alice"));
        assertNoStore(server.get(TestServer.url("acme", "notes", "persistent", "").replaceAll("/$", ""), "cc-alice"));
        assertNoStore(server.delete(p, "cc-alice"));
    }

    @Test
    void errorsAndSessionAnswersAreNotCachedEither() {
        assertNoStore(server.get(TestServer.url("acme", "notes", "persistent", "k"), null));
        assertNoStore(server.get(TestServer.url("nobody", "there", "persistent", "k"), "cc-bob"));
        assertNoStore(server.get("/api/v1/me", "cc-bob"));
        assertNoStore(server.send("POST", RestPaths.tokenPath("acme", "notes"), null, TestServer.auth("cc-bob")));
        assertNoStore(server.send("PUT", TestServer.url("acme", "notes", "persistent", "k"), "{}",
                Map.of("Authorization", "Bearer " + TestServer.token("cc-bob"))));
    }
}
