package dev.extstorage.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebDriver;
import java.time.Duration;
import java.util.Map;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Resource-scoped persistent entries (SPEC section 10) through the browser module's
 * {@code persistent.forResource(type, uuid)} as the real server serves it, in Chromium: the same key on two
 * resources and unscoped, plain and per-resource listings, change events carrying the resource, and the
 * administrator's removal of one resource.
 */
class ResourceEntriesIT {
    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
    @RegisterExtension
    static final ServerProcessExtension server = new ServerProcessExtension(Map.of());
    @RegisterExtension
    final Browsers browsers = new Browsers();

    @Test
    void forResourceKeepsResourcesApartListsThemAndAnAdministratorRemovesOne() {
        WebDriver b = browsers.launch("main");
        b.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        b.get(server.baseUrl() + "/");
        String user = "alice-res-" + RUN;
        String uuid1 = "aaaaaaaa-0000-4000-8000-" + String.format("%012d", System.nanoTime() % 1_000_000_000_000L);
        String out = ModuleScripts.run(b, ModuleScripts.signedIn(user)
                + "const USER = '" + user + "', U1 = '" + uuid1 + "', U2 = '00000000-0000-4000-8000-000000000002';"
                + """
                const p = ctx.storage.persistent;
                const d1 = p.forResource('dashboard', U1.toUpperCase()), d2 = p.forResource('dashboard', U2);
                const seen = [];
                const stop = d1.onChange((c) => { if (!c.reset) seen.push(c.key + '@' + (c.resource && c.resource.uuid)); });
                const plainSeen = [];
                const stopPlain = p.onChange((c) => { if (!c.reset && c.key === 'layout') plainSeen.push(c.value); });
                await new Promise((r) => setTimeout(r, 500));   // the stream opens
                await p.set('layout', 0);
                await d1.set('layout', {columns: 1});
                await d2.set('layout', {columns: 2});
                await d1.shared.set('title', 'one');
                await d1.set('only-d1', true);
                const r = {};
                r.values = [await p.get('layout'), (await d1.get('layout')).columns, (await d2.get('layout')).columns,
                    await d1.shared.get('title'), await p.shared.get('title')];
                r.plainList = (await p.list({pageSize: 100})).result.map((e) => e.key).filter((k) => k === 'layout' || k === 'only-d1');
                r.d1List = (await d1.list()).result.map((e) => e.key);
                r.d1Count = (await d1.list()).count;
                for (let i = 0; i < 100 && seen.length < 2; i++) await new Promise((res) => setTimeout(res, 50));
                r.seen = seen.slice().sort();
                r.plainSeen = plainSeen;
                stop(); stopPlain();
                await d1.update('layout', (v) => ({columns: v.columns + 10}));
                r.updated = (await d1.getEntry('layout')).value.columns;
                const admin = await login({user: 'root-res', roles: ['admin']});
                const purged = await (await fetch('/api/v1/admin/resources/dashboard/' + U1 + '/storage',
                    {method: 'DELETE', headers: {'X-CSRF-Token': admin.csrf}})).json();
                r.purged = purged.result.entries;
                await login({user: USER});
                r.after = [await d1.get('layout'), await d1.shared.get('title'), await p.get('layout'),
                    (await d2.get('layout')).columns];
                try { p.forResource('dashboard', 'nope'); r.bad = 'made'; } catch (e) { r.bad = e.code; }
                return r;
                """);
        assertEquals("{\"ok\":{\"values\":[0,1,2,\"one\",null],\"plainList\":[\"layout\"],"
                + "\"d1List\":[\"only-d1\",\"layout\"],\"d1Count\":2,\"seen\":[\"layout@" + uuid1 + "\",\"only-d1@"
                + uuid1 + "\"],\"plainSeen\":[0],\"updated\":11,\"purged\":3,"
                + "\"after\":[null,null,0,2],\"bad\":\"INVALID_QUERY\"}}", out);
    }
}
