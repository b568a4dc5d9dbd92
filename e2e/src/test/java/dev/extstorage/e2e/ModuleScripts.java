package dev.extstorage.e2e;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

import java.util.concurrent.atomic.AtomicInteger;

/** Scripts run in a page against the module exactly as the server serves it to host pages ({@code /core/index.js}). */
final class ModuleScripts {
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private ModuleScripts() {
    }

    /**
     * Script lines that define {@code login(body)} (the development login, answering {@code {token, csrf}}),
     * sign {@code user} in as {@code a} and make {@code ctx}, acme.notes' context for that user sending the
     * CSRF header: the start of a {@link #run} body.
     */
    static String signedIn(String user) {
        return "const login = async (body) => (await fetch('/api/v1/dev/login', {method: 'POST', headers:"
                + " {'Content-Type': 'application/json'}, body: JSON.stringify(body)})).json();"
                + "const a = await login({user: '" + user + "'});"
                + "const ctx = m.createExtensionContext({publisher: 'acme', name: 'notes', user: {id: '" + user + "'},"
                + " headers: () => ({'X-CSRF-Token': a.csrf})});";
    }

    /**
     * Runs {@code body} as an async function with a fresh instance of the module as {@code m}; returns the JSON
     * text of {@code {ok: result}} or {@code {error: {code, status, message}}}.
     */
    static String run(WebDriver browser, String body) {
        String script = "const done = arguments[arguments.length - 1];"
                + "import('/core/index.js?instance=" + INSTANCES.incrementAndGet() + "').then(async (m) => {"
                + body + "\n})"
                + ".then(r => done(JSON.stringify({ok: r === undefined ? '<undefined>' : r})),"
                + " e => done(JSON.stringify({error: {code: e && e.code, status: e && e.status,"
                + " message: String(e && e.message)}})));";
        return String.valueOf(((JavascriptExecutor) browser).executeAsyncScript(script));
    }
}
