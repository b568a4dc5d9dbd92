package dev.extstorage.http;

import io.javalin.http.HandlerType;
import io.javalin.router.ParsedEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Routes} registers the ping and a key's routes first, so the router's look-ups find them with the fewest
 * regular expressions tried. That changes no answer only while no other route of the same method matches a URI
 * one of them matches: then whichever comes first, each URI reaches the same route. Checked on the running
 * server's route table, against URIs made from every route's template with segment values that are other routes'
 * literal segments (so a key route that also matched {@code .../storage/usage/x}-like paths of a new route, or a
 * new route under a key's path, is found), with and without a trailing slash.
 */
class RouteOrderTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static final Set<String> FIRST = Set.of(Routes.PING, Routes.STORAGE_KEY);

    @Test
    void theRoutesRegisteredFirstShareNoUriWithAnyOtherRouteOfTheirMethod() throws Exception {
        List<ParsedEndpoint> routes = new ArrayList<>();
        for (ParsedEndpoint e : OpenApiRoutesTest.javalinOf(server.server).unsafe.internalRouter.allHttpHandlers()) {
            if (e.endpoint.method.isHttpMethod()) {
                routes.add(e);
            }
        }
        Set<String> values = segmentValues(routes);
        List<String> overlaps = new ArrayList<>();
        int checked = 0;
        for (ParsedEndpoint first : routes) {
            if (!FIRST.contains(first.endpoint.path)) {
                continue;
            }
            for (ParsedEndpoint other : routes) {
                if (other == first || other.endpoint.method != first.endpoint.method) {
                    continue;
                }
                for (String uri : uris(other.endpoint.path, values)) {
                    checked++;
                    if (first.matches(uri) && other.matches(uri)) {
                        overlaps.add(first.endpoint.method + " " + uri + ": " + first.endpoint.path + " and "
                                + other.endpoint.path);
                    }
                }
                for (String uri : uris(first.endpoint.path, values)) {
                    checked++;
                    if (first.matches(uri) && other.matches(uri)) {
                        overlaps.add(first.endpoint.method + " " + uri + ": " + first.endpoint.path + " and "
                                + other.endpoint.path);
                    }
                }
            }
        }
        assertTrue(checked > 1000, "too few URIs checked: " + checked);
        assertEquals(List.of(), overlaps);
    }

    /** The router keeps each method's routes in registration order: the ping and a key's routes lead theirs. */
    @Test
    void thePingAndTheKeyRoutesComeFirst() throws Exception {
        Map<HandlerType, List<String>> byMethod = new HashMap<>();
        for (ParsedEndpoint e : OpenApiRoutesTest.javalinOf(server.server).unsafe.internalRouter.allHttpHandlers()) {
            if (e.endpoint.method.isHttpMethod()) {
                byMethod.computeIfAbsent(e.endpoint.method, m -> new ArrayList<>()).add(e.endpoint.path);
            }
        }
        assertEquals(List.of(Routes.PING, Routes.STORAGE_KEY), byMethod.get(HandlerType.GET).subList(0, 2));
        for (HandlerType m : List.of(HandlerType.HEAD, HandlerType.PUT, HandlerType.DELETE)) {
            assertEquals(Routes.STORAGE_KEY, byMethod.get(m).get(0), m.toString());
        }
    }

    /** Every literal segment of every route, and a few plain values. */
    private static Set<String> segmentValues(List<ParsedEndpoint> routes) {
        Set<String> values = new LinkedHashSet<>(List.of("x", "acme", "notes", "ephemeral", "persistent"));
        for (ParsedEndpoint e : routes) {
            for (String segment : e.endpoint.path.split("/")) {
                if (!segment.isEmpty() && !segment.startsWith("{") && !segment.startsWith("<")) {
                    values.add(segment);
                }
            }
        }
        return values;
    }

    /**
     * URIs of a template: each parameter replaced by each value in turn (the others by {@code x}), a
     * {@code <slash-accepting>} one also by two and three segments ending in each value; each with and without a
     * trailing slash.
     */
    private static List<String> uris(String template, Set<String> values) {
        String[] segments = template.split("/");
        List<String> uris = new ArrayList<>();
        uris.add(template.replaceAll("\\{[^}]+}|<[^>]+>", "x"));
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            boolean slashes = s.startsWith("<");
            if (!slashes && !s.startsWith("{")) {
                continue;
            }
            for (String v : values) {
                List<String> fills = slashes ? List.of(v, "x/" + v, "x/x/" + v, v + "/x") : List.of(v);
                for (String fill : fills) {
                    String[] copy = segments.clone();
                    copy[i] = fill;
                    uris.add(String.join("/", copy).replaceAll("\\{[^}]+}|<[^>]+>", "x"));
                }
            }
        }
        List<String> all = new ArrayList<>();
        for (String u : uris) {
            all.add(u);
            all.add(u + "/");
        }
        return all;
    }
}
