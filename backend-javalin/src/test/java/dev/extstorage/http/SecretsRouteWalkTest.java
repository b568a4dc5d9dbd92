package dev.extstorage.http;

import dev.extstorage.api.SecretStorage;
import dev.extstorage.config.ServerConfig;
import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.RestPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No HTTP route reads, lists or changes a server-only secret (SPEC section 10). Secrets with a recognizable key
 * and value are stored through the Java API of a real server; then every route of its route table (as the
 * OpenAPI route walk finds it, {@link OpenApiRoutesTest#registeredRoutes}) is called with every method, without
 * credentials, as the secrets' user and as an administrator, with the secret's key (and a prefix of it) as key
 * and prefix, with and without {@code shared}, a resource, a prefix: no answer (body, event stream) holds the
 * secret's value (nor its base64), or its key, and afterwards every secret has its value and its version.
 *
 * <p>Reads come first, writes after, so a storage entry a PUT makes under the secret's key (a storage entry,
 * not the secret) cannot be mistaken for a leak by a later listing. The administrator's removal routes are
 * called for another extension and another user: purging an extension, or erasing a user, removes their
 * secrets by design (SPEC section 9; {@link SecretsContract}), and is no way to read or change one.
 */
class SecretsRouteWalkTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass(Map.of(ServerConfig.ENCRYPTION_KEYS, EncryptionAtRestTest.OLD,
            ServerConfig.RATE_PER_SECOND, "0"));
    static final ExtensionId NOTES = ExtensionId.of("acme", "notes");
    static final String KEY = "rw-secret-key-4d2c";
    static final String PREFIX = "rw-secret";
    static final String VALUE = "rw-secret-value-9b7e1f";
    static final String UUID = "cccccccc-3333-4333-8333-333333333333";
    static final List<String> METHODS = List.of("GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE");
    static final List<String> QUERIES = List.of("", "?shared=true", "?prefix=" + PREFIX + "&page_size=100",
            "?prefix=" + KEY + "&shared=true", "?resource_type=dashboard&resource_uuid=" + UUID,
            "?page=0&page_size=100&shared=TRUE");

    SecretStorage own() {
        return server.server.storage().forExtension(NOTES).secrets();
    }

    /** What no answer may hold. */
    static List<String> needles() {
        return List.of(VALUE, KEY, Base64.getEncoder().encodeToString(VALUE.getBytes(StandardCharsets.UTF_8)));
    }

    static void assertNoSecret(String what, String body) {
        for (String needle : needles()) {
            assertFalse(body != null && body.contains(needle), what + " shows '" + needle + "': " + body);
        }
    }

    /** The route's path with the walk's values for its parameters: one path per key to try. */
    static List<String> paths(String template) {
        boolean adminRemoval = template.startsWith(RestPaths.ADMIN_EXTENSIONS_PATH + "/")
                || template.startsWith(RestPaths.ADMIN_USERS_PATH + "/");
        String p = template.replace("{publisher}", adminRemoval ? "globex" : "acme")
                .replace("{name}", adminRemoval ? "todo" : "notes")
                .replace("{userId}", adminRemoval ? "mallory" : "alice")
                .replace("{type}", "dashboard").replace("{uuid}", UUID);
        return p.contains("{key}") ? List.of(p.replace("{key}", KEY), p.replace("{key}", PREFIX)) : List.of(p);
    }

    @Test
    void noRouteReadsListsOrChangesASecret() throws Exception {
        byte[] bytes = VALUE.getBytes(StandardCharsets.UTF_8);
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("own", own().set(KEY, VALUE));
        versions.put("alice", own().forUser("alice").set(KEY, VALUE));
        versions.put("alice-bin", own().forUser("alice").set(KEY + "-bin", bytes));
        versions.put("todo", server.server.storage().forExtension(ExtensionId.of("globex", "todo")).secrets()
                .set(KEY, VALUE));

        Set<String> templates = new TreeSet<>();
        Set<String> walked = new TreeSet<>();
        for (String route : OpenApiRoutesTest.registeredRoutes(server.server)) {
            templates.add(route.substring(route.indexOf(' ') + 1));
        }
        Map<String, Map<String, String>> credentials = new LinkedHashMap<>();
        credentials.put("nobody", Map.of());
        credentials.put("alice", TestServer.auth("alice"));
        credentials.put("admin", LifecycleConformance.admin("alice"));
        int requests = 0;
        int streams = 0;
        for (boolean writes : new boolean[] {false, true}) {
            for (String template : templates) {
                for (String path : paths(template)) {
                    for (String method : METHODS) {
                        boolean writing = !Set.of("GET", "HEAD", "OPTIONS").contains(method);
                        if (writing != writes) {
                            continue;
                        }
                        for (String query : QUERIES) {
                            for (var cred : credentials.entrySet()) {
                                String what = method + " " + path + query + " as " + cred.getKey();
                                if (method.equals("GET") && template.endsWith("/storage/events")) {
                                    streams += stream(path + query, cred.getValue(), what) ? 1 : 0;
                                } else {
                                    Map<String, String> headers = new LinkedHashMap<>(cred.getValue());
                                    String body = null;
                                    if (writing) {
                                        headers.put("Content-Type", "application/json");
                                        body = "{\"value\":\"innocent\",\"ttl\":60,\"user\":\"alice\"}";
                                    }
                                    var r = server.send(method, path + query, body, headers);
                                    // no walk request may fail inside (an unexpected failure answers 503)
                                    assertTrue(r.status() < 500, what + ": " + r.status() + " " + r.body());
                                    assertNoSecret(what, r.body());
                                    r.raw().headers().map().forEach((h, v) -> assertNoSecret(what + " header " + h,
                                            String.join(",", v)));
                                }
                                requests++;
                                walked.add(method.toLowerCase(Locale.ROOT) + " " + template);
                            }
                        }
                    }
                }
            }
        }
        assertTrue(templates.size() > 15, templates.toString());
        assertEquals(templates.size() * METHODS.size(), walked.size(), "every route with every method");
        assertTrue(streams >= 2, "the event stream was read as a user and as an administrator: " + streams);
        assertTrue(requests > 1000, "requests: " + requests);

        // every secret as it was: value and version
        assertEquals(VALUE, own().getString(KEY));
        assertEquals(versions.get("own"), own().getEntry(KEY).version());
        assertEquals(VALUE, own().forUser("alice").getString(KEY));
        assertEquals(versions.get("alice"), own().forUser("alice").getEntry(KEY).version());
        assertArrayEquals(bytes, own().forUser("alice").getBytes(KEY + "-bin"));
        assertEquals(versions.get("alice-bin"), own().forUser("alice").getEntry(KEY + "-bin").version());
        assertEquals(List.of(KEY, KEY + "-bin", KEY + "-ev"), own().forUser("alice").keys(null, 10));
    }

    /**
     * Reads the event stream at {@code path} while the secrets are written again and a storage entry is written
     * after them; up to that entry's event no frame shows a secret.
     *
     * @return whether a stream was opened and read (else the refusal was checked)
     */
    private boolean stream(String path, Map<String, String> headers, String what) throws Exception {
        try (SseClient sse = SseClient.open(server, path, null, headers)) {
            if (sse.status() != 200) {
                assertNoSecret(what, sse.refusal().body());
                return false;
            }
            if (path.contains("resource_type") || path.contains("prefix")) {
                return false;   // a stream filtered away from the marker below: nothing to wait for
            }
            // secrets written while the stream is open (keys of their own: the walk's secrets keep their versions)
            own().set(KEY + "-ev", VALUE);
            own().forUser("alice").set(KEY + "-ev", VALUE);
            String marker = "rw-marker-" + System.nanoTime();
            server.server.storage().forExtension(NOTES).persistent().shared().set(marker, 1);
            List<SseClient.Frame> frames = sse.until(marker);
            for (SseClient.Frame f : frames) {
                assertNoSecret(what, f.data());
            }
            assertEquals(List.of(marker), SseClient.keys(frames), what);
            return true;
        }
    }
}
