package dev.extstorage.http;

import dev.extstorage.auth.Authenticator;
import dev.extstorage.auth.TokenService;
import dev.extstorage.limits.RequestRateLimiter;
import dev.extstorage.metrics.Refusals;
import dev.extstorage.model.ExtensionId;
import dev.extstorage.registry.ExtensionRegistry;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The guard enforces each route's {@link Access}: a route table of one route per access level, behind the real
 * guard and error mapping, called with no credentials, a user's and an administrator's.
 */
class RouteAccessTest {
    private static final String SECRET = "route-access-test-secret-of-enough-length";
    private static final TokenService TOKENS = new TokenService(SECRET);
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static Javalin app;

    @BeforeAll
    static void start() throws IOException {
        Path web = Files.createTempDirectory("route-access-web");
        Files.writeString(web.resolve("page.html"), "a static page");
        RequestGuard guard = new RequestGuard(new Authenticator(TOKENS), "ops", false, ExtensionRegistry.of(
                List.of(ExtensionId.of("acme", "notes"))), RequestRateLimiter.disabled(),
                new Admission(1 << 20, 1024, 4), Refusals.NONE);
        app = Javalin.create(c -> {
            c.staticFiles.add(sf -> {
                sf.hostedPath = "/";
                sf.directory = web.toString();
                sf.location = Location.EXTERNAL;
            });
            c.routes.beforeMatched(guard::before);
            c.routes.after(guard::after);
            c.routes.get("/api/v1/open", ctx -> ctx.result("open"), Access.ANYONE);
            c.routes.get("/api/v1/mine", ctx -> ctx.result(RequestGuard.principal(ctx).userId()), Access.USER);
            c.routes.get("/api/v1/undeclared", ctx -> ctx.result(RequestGuard.principal(ctx).userId()));
            c.routes.get("/api/v1/admin/probe", ctx -> ctx.result(RequestGuard.principal(ctx).userId()), Access.ADMIN);
            ErrorMapping.register(c.routes);
        }).start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        app.stop();
    }

    private static HttpResponse<String> get(String path, String user, String... roles) throws Exception {
        var b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path));
        if (user != null) {
            b.header("Authorization", "Bearer " + TOKENS.issue(user, List.of(roles), "csrf", 60));
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRefused(HttpResponse<String> r, int status, String code) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"code\":\"" + code + "\""), r.body());
    }

    @Test
    void anyoneNeedsNoCredentials() throws Exception {
        assertEquals("open", get("/api/v1/open", null).body());
    }

    @Test
    void userRoutesNeedCredentialsAndSeeTheCaller() throws Exception {
        assertRefused(get("/api/v1/mine", null), 401, "NOT_AUTHENTICATED");
        assertEquals("alice", get("/api/v1/mine", "alice").body());
    }

    @Test
    void aRouteWithoutDeclaredAccessIsClosedNotOpen() throws Exception {
        assertRefused(get("/api/v1/undeclared", null), 401, "NOT_AUTHENTICATED");
        assertEquals("bob", get("/api/v1/undeclared", "bob").body());
    }

    @Test
    void staticFilesNeedNoCredentials() throws Exception {
        // the host page, the /core/ module and extension bundles are loaded before anyone signs in
        HttpResponse<String> r = get("/page.html", null);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("a static page", r.body());
    }

    @Test
    void adminRoutesNeedTheConfiguredRole() throws Exception {
        assertRefused(get("/api/v1/admin/probe", null), 401, "NOT_AUTHENTICATED");
        assertRefused(get("/api/v1/admin/probe", "alice"), 403, "FORBIDDEN");
        assertRefused(get("/api/v1/admin/probe", "alice", "admin"), 403, "FORBIDDEN");
        assertEquals("carol", get("/api/v1/admin/probe", "carol", "ops").body());
    }

    @Test
    void theStrictestDeclaredAccessWins() {
        assertEquals(Access.ADMIN, Access.of(Set.of(Access.ANYONE, Access.ADMIN)));
        assertEquals(Access.USER, Access.of(Set.of(Access.ANYONE, Access.USER)));
        assertEquals(Access.USER, Access.of(Set.of()));
        assertEquals(Access.ANYONE, Access.of(Set.of(Access.ANYONE)));
    }
}
