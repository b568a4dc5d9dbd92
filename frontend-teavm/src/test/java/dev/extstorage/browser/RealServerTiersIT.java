package dev.extstorage.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server tiers against the real server jar (SPEC sections 2-5 end to end): the jar runs as a child process
 * with a temp SQLite file and serves the package itself, so the page and the API share an origin.
 *
 * <p>Not run by this module's build (surefire runs {@code *Test}; the jar is built after this module): it
 * belongs in the e2e module. Run it here with
 * {@code mvn -pl frontend-teavm test -Dtest=RealServerTiersIT -Dsurefire.failIfNoSpecifiedTests=false}.
 * Without the jar it fails when env {@code CI} is {@code true} and is skipped otherwise.
 */
class RealServerTiersIT {
    private static final String LOGIN = "const login = async (u) => (await fetch('/api/v1/dev/login', {method: 'POST',"
            + " headers: {'Content-Type': 'application/json'}, body: JSON.stringify({user: u})})).json();";
    private static final String ALICE = LOGIN + "const a = await login('alice');"
            + "const ctx = m.createExtensionContext({publisher: 'acme', name: 'notes', user: {id: 'alice'},"
            + " headers: () => ({'X-CSRF-Token': a.csrf})});";
    private static Process server;
    private static Path work;
    private static BrowserHarness browser;

    @BeforeAll
    static void startServer() throws Exception {
        Path jar = Paths.get(System.getProperty("server.jar", "../backend-javalin/target/extension-storage-server.jar"));
        if (!Files.isRegularFile(jar)) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("server jar missing: " + jar.toAbsolutePath());
            }
            assumeTrue(false, "server jar not built: " + jar);
        }
        BrowserHarness.assumeChromium();
        work = Files.createTempDirectory("ext-storage-it");
        Path web = Files.createDirectories(work.resolve("web"));
        Path pkg = Files.createDirectories(web.resolve("pkg"));
        try (Stream<Path> files = Files.list(BrowserHarness.packageDir())) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, pkg.resolve(f.getFileName()));
            }
        }
        Files.writeString(web.resolve("index.html"), "<!doctype html><title>it</title>");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toAbsolutePath().toString());
        Map<String, String> env = pb.environment();
        env.put("EXT_STORAGE_PORT", String.valueOf(port));
        env.put("EXT_STORAGE_HOST", "127.0.0.1");
        env.put("EXT_STORAGE_JWT_SECRET", "it-secret-it-secret-it-secret-it-secret-0123456789");
        env.put("EXT_STORAGE_EXTENSIONS", "acme.notes,globex.todo");
        env.put("EXT_STORAGE_DEV_LOGIN", "true");
        env.put("EXT_STORAGE_DB_URL", "jdbc:sqlite:" + work.resolve("it.db"));
        env.put("EXT_STORAGE_WEB_DIR", web.toString());
        env.put("EXT_STORAGE_MAX_VALUE_BYTES", "100000");
        pb.redirectErrorStream(true).redirectOutput(work.resolve("server.log").toFile());
        server = pb.start();
        String origin = "http://127.0.0.1:" + port;
        waitUntilUp(origin + "/pkg/package.json");
        browser = BrowserHarness.attach(origin);
    }

    private static void waitUntilUp(String url) throws Exception {
        for (int i = 0; i < 300; i++) {
            if (!server.isAlive()) {
                throw new IllegalStateException("server exited: " + Files.readString(work.resolve("server.log")));
            }
            try {
                HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
                if (c.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("server did not start: " + Files.readString(work.resolve("server.log")));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (server != null) {
                server.destroy();
                server.waitFor();
            }
            if (work != null) {
                BrowserHarness.deleteTree(work);
            }
        }
    }

    @BeforeEach
    void freshPage() {
        browser.open(browser.origin() + "/");
    }

    @Test
    void serverTiersRoundTripEveryJsonKindInBothScopes() {
        String out = browser.run(ALICE + """
                const values = [{a: 1, b: [true, null, 'x']}, [1, 'two', false], 'text \\u00e9 \\ud83d\\ude00', '',
                                42, -0.5, true, false, null, {}, []];
                const bad = [];
                for (const area of [ctx.storage.ephemeral, ctx.storage.ephemeral.shared,
                                    ctx.storage.persistent, ctx.storage.persistent.shared]) {
                  for (let i = 0; i < values.length; i++) {
                    const key = 'k/' + i + ' :%';
                    await area.set(key, values[i], {ttl: 60});
                    const got = await area.get(key);
                    if (JSON.stringify(got) !== JSON.stringify(values[i])) bad.push(key + '=' + JSON.stringify(got));
                  }
                  await area.remove('k/0 :%');
                  if (await area.get('k/0 :%') !== null) bad.push('not removed');
                }
                const page = await ctx.storage.persistent.list({page: 0, pageSize: 100});
                return [bad, page.count, page.result.length, await ctx.storage.persistent.get('never')];
                """);
        assertEquals("{\"ok\":[[],10,10,null]}", out);
    }

    @Test
    void usersAndExtensionsAreIsolatedSharedIsShared() {
        String out = browser.run(LOGIN + """
                const a = await login('alice');
                const alice = m.createExtensionContext({publisher: 'acme', name: 'notes', user: {id: 'alice'},
                    headers: {'X-CSRF-Token': a.csrf}});
                const aliceTodo = m.createExtensionContext({publisher: 'globex', name: 'todo', user: {id: 'alice'},
                    headers: {'X-CSRF-Token': a.csrf}});
                const b = await login('bob');   // the cookie now belongs to bob: alice continues by bearer token
                const bob = m.createExtensionContext({publisher: 'acme', name: 'notes', user: {id: 'bob'},
                    credentials: 'omit', headers: {Authorization: 'Bearer ' + b.token}});
                const aliceBearer = m.createExtensionContext({publisher: 'acme', name: 'notes', user: {id: 'alice'},
                    credentials: 'omit', headers: {Authorization: 'Bearer ' + a.token}});
                await aliceBearer.storage.persistent.set('iso', 'alice-notes');
                await aliceBearer.storage.persistent.shared.set('iso', 'notes-shared');
                return [await bob.storage.persistent.get('iso'), await bob.storage.persistent.shared.get('iso'),
                        await aliceBearer.storage.persistent.get('iso'),
                        await m.createExtensionContext({publisher: 'globex', name: 'todo', user: {id: 'alice'},
                            credentials: 'omit', headers: {Authorization: 'Bearer ' + a.token}})
                            .storage.persistent.shared.get('iso')];
                """);
        assertEquals("{\"ok\":[null,\"notes-shared\",\"alice-notes\",null]}", out);
    }

    @Test
    void serverErrorsMapToCodeAndStatus() {
        String out = browser.run(ALICE + """
                const other = m.createExtensionContext({publisher: 'nobody', name: 'here', user: {id: 'alice'},
                    headers: {'X-CSRF-Token': a.csrf}});
                const anon = m.createExtensionContext({publisher: 'acme', name: 'notes', user: {id: 'alice'},
                    credentials: 'omit'});
                const noCsrf = m.createExtensionContext({publisher: 'acme', name: 'notes', user: {id: 'alice'}});
                const r = [];
                for (const f of [() => other.storage.persistent.get('k'), () => anon.storage.persistent.get('k'),
                                 () => noCsrf.storage.persistent.set('k', 1),
                                 () => ctx.storage.persistent.set('big', 'x'.repeat(200000))]) {
                  try { await f(); r.push('resolved'); } catch (e) { r.push(e.code + ':' + e.status); }
                }
                return r;
                """);
        assertEquals("{\"ok\":[\"EXTENSION_NOT_FOUND:404\",\"NOT_AUTHENTICATED:401\",\"FORBIDDEN:403\","
                + "\"VALUE_TOO_LARGE:400\"]}", out);
    }

    @Test
    void ephemeralValuesExpire() {
        String out = browser.run(ALICE + """
                await ctx.storage.ephemeral.set('short', 'v', {ttl: 1});
                const before = await ctx.storage.ephemeral.get('short');
                await new Promise(ok => setTimeout(ok, 2100));
                return [before, await ctx.storage.ephemeral.get('short')];
                """);
        assertEquals("{\"ok\":[\"v\",null]}", out);
    }

    @Test
    void packageIsServedWithItsVersion() throws Exception {
        String pkg = Files.readString(BrowserHarness.packageDir().resolve("package.json"), StandardCharsets.UTF_8);
        String out = browser.run("return m.version;");
        assertTrue(pkg.contains("\"version\": " + out.substring("{\"ok\":".length(), out.length() - 1)), out);
    }
}
