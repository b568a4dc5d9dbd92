package dev.extstorage.http;

import dev.extstorage.config.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a sandboxed extension's frame (SPEC section 12, opaque origin) needs from the server: the module and the
 * extension bundles readable from any origin, and nothing else so (not the host page, never the API); and the
 * manifest's {@code sandbox} flag in the list of installed extensions, where the host page reads it.
 */
class SandboxStaticFilesTest {
    private static TestServer server;

    @BeforeAll
    static void start() throws IOException {
        Path web = Files.createTempDirectory("ext-storage-web");
        Files.writeString(web.resolve("index.html"), "<!doctype html><title>host</title>");
        Files.writeString(web.resolve("sandbox.html"), "<!doctype html><title>sandbox</title>");
        Files.createDirectories(web.resolve("core"));
        Files.writeString(web.resolve("core/index.js"), "export const x = 1;");
        for (String id : new String[] {"acme.notes", "globex.todo"}) {
            Path folder = Files.createDirectories(web.resolve("extensions").resolve(id));
            String[] parts = id.split("\\.");
            Files.writeString(folder.resolve("extension.json"), "{\"publisher\": \"" + parts[0] + "\", \"name\": \""
                    + parts[1] + "\"" + (id.startsWith("globex") ? ", \"sandbox\": true" : "") + "}");
            Files.writeString(folder.resolve("remoteEntry.js"), "export const get = 1;");
        }
        server = new TestServer(Map.of(ServerConfig.WEB_DIR, web.toString()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Optional<String> allowOrigin(String path) {
        TestServer.Response r = server.send("GET", path, null, Map.of("Origin", "null",
                "Authorization", "Bearer " + TestServer.token("alice")));
        assertEquals(200, r.status(), path + ": " + r.body());
        return r.raw().headers().firstValue("Access-Control-Allow-Origin");
    }

    @Test
    void theModuleAndTheBundlesAreReadableFromAnOpaqueOrigin() {
        assertEquals(Optional.of("*"), allowOrigin("/core/index.js"));
        assertEquals(Optional.of("*"), allowOrigin("/extensions/globex.todo/remoteEntry.js"));
    }

    @Test
    void theHostPagesAndTheApiAreNot() {
        assertEquals(Optional.empty(), allowOrigin("/index.html"));
        assertEquals(Optional.empty(), allowOrigin("/sandbox.html"));
        assertEquals(Optional.empty(), allowOrigin("/api/v1/extensions/"));
    }

    @Test
    void theListOfInstalledExtensionsSaysWhichRunSandboxed() {
        TestServer.Response r = server.send("GET", "/api/v1/extensions/", null,
                Map.of("Authorization", "Bearer " + TestServer.token("alice")));
        var result = r.json().get("result");
        assertEquals("acme.notes", result.get(0).get("id").asText());
        assertEquals(false, result.get(0).get("sandbox").asBoolean());
        assertEquals("/extensions/globex.todo/remoteEntry.js", result.get(1).get("remoteEntry").asText());
        assertEquals(true, result.get(1).get("sandbox").asBoolean());
    }
}
