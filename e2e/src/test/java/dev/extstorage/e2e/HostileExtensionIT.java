package dev.extstorage.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.extstorage.e2e.HostPage.ACME;
import static dev.extstorage.e2e.HostPage.GLOBEX;
import static dev.extstorage.e2e.HostPage.SCOPES;
import static dev.extstorage.e2e.HostPage.TIERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A hostile extension run sandboxed (SPEC section 12): {@code mallory.probe} (web/test-extensions, built into
 * web/test-dist and installed only here, in a web folder of this test's own) tries every way a script in its
 * frame has to reach the other extensions' data or the host's credentials: other module instances, a context of
 * its own naming a victim, {@code document.cookie}, the parent's DOM and Web Storage, sibling frames, the API
 * with and without credentials, forged bridge messages on its own port (another extension, tier, scope, user,
 * token; unknown methods; object arguments; oversized payloads; too many calls at once), ports offered to the
 * host and the other frames, and navigating the host page. Each attempt must fail; afterwards the other
 * extensions' data on every tier and scope is unchanged, read through the REST API and through their own
 * panels (acme.notes in the page, globex.todo in its own sandboxed frame).
 */
class HostileExtensionIT {
    static final String MALLORY = "mallory.probe";
    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);

    @RegisterExtension
    static final ServerProcessExtension server = new ServerProcessExtension(Map.of(
            "EXT_STORAGE_WEB_DIR", webWithMallory().toString(),
            "EXT_STORAGE_EXTENSIONS", "acme.notes,globex.todo," + MALLORY));
    @RegisterExtension
    final Browsers browsers = new Browsers();

    /** web/dist plus mallory.probe's bundle and manifest: the demo's web folder with a third extension installed. */
    private static Path webWithMallory() {
        Path target = TestEnvironment.targetDir().resolve("web-with-mallory");
        Path dist = TestEnvironment.webDist();
        Path mallory = dist.resolveSibling("test-dist").resolve("extensions").resolve(MALLORY);
        try {
            copyTree(dist, target);
            copyTree(mallory, target.resolve("extensions").resolve(MALLORY));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            return; // the server then lacks the part; ServerProcessExtension reports a missing build its own way
        }
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path copy = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(p, copy, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static String value(String extension, String tier, String scope) {
        return "\"" + extension + " " + tier + " " + scope + " " + RUN + "\"";
    }

    @Test
    void everyAttemptFailsAndTheOtherExtensionsDataIsUnchanged() throws Exception {
        WebDriver browser = browsers.launch("main");
        String alice = "alice-" + RUN;
        HostPage page = new HostPage(browser, server.baseUrl()).open().signInAs(alice);
        assertEquals("ready", page.section(MALLORY).getDomAttribute("data-state"), "mallory.probe loaded");
        assertTrue(page.sandboxed(MALLORY), "mallory.probe runs sandboxed");
        String key = "target-" + RUN;
        for (String extension : List.of(ACME, GLOBEX)) {
            for (String tier : TIERS) {
                for (String scope : SCOPES) {
                    page.set(extension, tier, scope, key, value(extension, tier, scope), 600);
                }
            }
        }
        Map<String, String> hostStorageBefore = hostStorage(browser);

        String json = runProbes(page, key);
        // kept for a reader: each attempt with how it failed
        Files.writeString(TestEnvironment.targetDir().resolve("mallory-report.json"), json);
        JsonNode report = RestClient.parse(json);
        List<String> succeeded = new ArrayList<>();
        int attempts = 0;
        for (JsonNode probe : report) {
            if (probe.path("control").asBoolean()) {
                assertEquals("mallory's own", probe.get("detail").asText(), "the bridge serves mallory itself");
                continue;
            }
            attempts++;
            if (!probe.get("blocked").asBoolean()) {
                succeeded.add(probe.get("name").asText() + ": " + probe.get("detail").asText());
            }
        }
        assertTrue(attempts > 100, "the probe made " + attempts + " attempts");
        assertEquals(List.of(), succeeded, "attempts of a sandboxed extension that did not fail");
        assertEquals(server.baseUrl() + "/", browser.getCurrentUrl(), "the host page was not navigated away");

        // the other extensions' data: through the REST API, their own panels and the host's Web Storage
        RestClient rest = RestClient.bearerOf(browser, server.baseUrl());
        for (String extension : List.of(ACME, GLOBEX)) {
            for (String scope : SCOPES) {
                for (String tier : List.of("ephemeral", "persistent")) {
                    assertEquals(RestClient.parse(value(extension, tier, scope)), rest.get(extension, tier, scope, key),
                            extension + " " + tier + "/" + scope + " through REST");
                }
            }
        }
        page.reload().signInAs(alice);
        for (String extension : List.of(ACME, GLOBEX)) {
            for (String tier : TIERS) {
                for (String scope : SCOPES) {
                    assertEquals(value(extension, tier, scope), page.get(extension, tier, scope, key),
                            extension + " " + tier + "/" + scope + " through its panel");
                }
            }
        }
        Map<String, String> hostStorageAfter = hostStorage(browser);
        Map<String, String> others = new LinkedHashMap<>(hostStorageAfter);
        others.keySet().removeIf(k -> k.contains("ext-storage:" + MALLORY + ":"));
        assertEquals(hostStorageBefore, others, "the host's Web Storage outside mallory.probe's own slots");
        // what mallory wrote with keys spelling other extensions' slots stayed in its own namespace
        assertTrue(hostStorageAfter.containsKey("local ext-storage:" + MALLORY + ":shared:x:ext-storage:" + GLOBEX
                + ":shared:" + key), () -> "mallory's own slots: " + hostStorageAfter.keySet());
    }

    /**
     * The other side of the trust model (README, "Sandboxed extensions"): code in the page, as an in-page
     * extension runs, is not held back. It gets another extension's bound module instance by its URL and reads
     * that extension's data, and reads a sandboxed extension's browser tiers in the host's Web Storage. This
     * test pins that down so the documentation stays honest.
     */
    @Test
    void codeInThePageIsNotSandboxed() throws Exception {
        WebDriver browser = browsers.launch("main");
        HostPage page = new HostPage(browser, server.baseUrl()).open().signInAs("carol-" + RUN);
        String key = "exposed-" + RUN;
        page.set(ACME, "persistent", "user", key, "\"acme's secret\"");
        page.set(GLOBEX, "local", "user", key, "\"globex's local secret\"");
        Object out = ((JavascriptExecutor) browser).executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "import('/core/index.js?ext=" + ACME + "').then(async (m) => ["
                + " await m.getContext().storage.persistent.get('" + key + "'),"
                + " JSON.parse(localStorage.getItem('ext-storage:" + GLOBEX + ":user:carol-" + RUN + ":" + key + "'))"
                + "]).then((r) => done(JSON.stringify(r)), (e) => done(String(e)));");
        assertEquals("[\"acme's secret\",\"globex's local secret\"]", out);
    }

    /** Types the target key into mallory's panel, runs its probes and returns its JSON report. */
    private static String runProbes(HostPage page, String key) {
        page.inPanel(MALLORY, panel -> {
            WebElement input = panel.findElement(By.className("target-key"));
            input.clear();
            input.sendKeys(key);
            panel.findElement(By.className("run-probes")).click();
            return null;
        });
        page.awaitInPanel(MALLORY, panel -> {
            String state = panel.findElement(By.className("report")).getDomAttribute("data-state");
            return "done".equals(state) || "error".equals(state);
        }, Duration.ofSeconds(120));
        return page.inPanel(MALLORY, panel -> {
            WebElement report = panel.findElement(By.className("report"));
            assertEquals("done", report.getDomAttribute("data-state"), report.getText());
            return report.getText();
        });
    }

    /** Every slot of the host page's localStorage and sessionStorage, as {@code "local <key>" -> text}. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> hostStorage(WebDriver browser) {
        Object slots = ((JavascriptExecutor) browser).executeScript("const o = {};"
                + "for (const [name, s] of [['local', localStorage], ['session', sessionStorage]])"
                + " for (let i = 0; i < s.length; i++) o[name + ' ' + s.key(i)] = s.getItem(s.key(i));"
                + "return o;");
        return new java.util.TreeMap<>((Map<String, String>) slots);
    }
}
