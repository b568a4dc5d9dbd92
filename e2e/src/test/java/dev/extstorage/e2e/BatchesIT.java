package dev.extstorage.e2e;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebDriver;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The browser module's batches (getMany / setMany / removeMany) against the real server (Redis ephemeral, as
 * {@link ServerProcessExtension} starts it), cookie-authenticated with the CSRF header: what the module sends is
 * what the server's batch route takes, on both server tiers and scopes, and the server's refusals reach the
 * caller with their codes.
 */
class BatchesIT {
    private static final String ALICE = "alice-batch-" + Long.toString(System.currentTimeMillis(), 36);

    @RegisterExtension
    static final ServerProcessExtension server = new ServerProcessExtension(Map.of("EXT_STORAGE_MAX_VALUE_BYTES",
            "100000"));
    @RegisterExtension
    final Browsers browsers = new Browsers();
    private WebDriver browser;

    @BeforeEach
    void openPage() {
        browser = browsers.launch("main");
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        browser.get(server.baseUrl() + "/");
    }

    @Test
    void batchesRoundTripOnBothServerTiersAndScopes() {
        String out = ModuleScripts.run(browser, ModuleScripts.signedIn(ALICE) + """
                const r = [];
                for (const area of [ctx.storage.ephemeral, ctx.storage.ephemeral.shared,
                                    ctx.storage.persistent, ctx.storage.persistent.shared]) {
                  const versions = await area.setMany({'a/b :%': {x: [1, null]}, bin: new Uint8Array([0, 255]),
                      n: 42}, {ttl: 60});
                  const got = await area.getMany(['n', 'missing', 'a/b :%', 'bin']);
                  const entry = await area.getEntry('n');
                  await area.removeMany(['n', 'never']);
                  r.push([versions.n === entry.version, got.n, got.missing, got['a/b :%'], Array.from(got.bin),
                          await area.get('n')]);
                }
                return r;
                """);
        String one = "[true,42,null,{\"x\":[1,null]},[0,255],null]";
        assertEquals("{\"ok\":[" + one + "," + one + "," + one + "," + one + "]}", out);
    }

    @Test
    void refusalsOfTheServerReachTheCaller() {
        String out = ModuleScripts.run(browser, ModuleScripts.signedIn(ALICE) + """
                const p = ctx.storage.persistent;
                await p.set('c', 1);
                const codes = [];
                for (const f of [() => p.setMany({d: 3, c: 2}, {encrypt: true})]) {
                  try { await f(); codes.push('resolved'); } catch (e) { codes.push(e.code + ':' + e.status); }
                }
                return [codes, await p.get('c'), await p.get('d')];
                """);
        // no key ring on this server: encrypt is refused (INVALID_BODY), and nothing of the batch is written
        assertEquals("{\"ok\":[[\"INVALID_BODY:400\"],1,null]}", out);
    }
}
