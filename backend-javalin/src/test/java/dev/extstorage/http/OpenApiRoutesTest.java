package dev.extstorage.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.SchemaLocation;
import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.RestPaths;
import dev.extstorage.model.Tier;
import dev.extstorage.server.StorageServer;
import io.javalin.Javalin;
import io.javalin.router.ParsedEndpoint;
import io.javalin.security.Roles;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAPI description and the route table agree: every route a running server registered is documented,
 * every documented operation is a route of the server, and the document's error codes are {@link ErrorCode}'s,
 * each under its own status.
 */
class OpenApiRoutesTest {
    /** With the development login, so its routes are in the table too. */
    @RegisterExtension
    static final TestServer server = TestServer.perClass();
    static final OpenApiContract CONTRACT = new OpenApiContract();

    /**
     * The routes the running server's Javalin router holds, as {@code "get /path"} in OpenAPI's spelling:
     * {@code <key>} becomes {@code {key}}, and {@code {tier}} one path per server tier (the document names
     * each tier, since their bodies differ).
     */
    static Set<String> registeredRoutes(StorageServer s) throws ReflectiveOperationException {
        Set<String> routes = new TreeSet<>();
        for (ParsedEndpoint e : javalinOf(s).unsafe.internalRouter.allHttpHandlers()) {
            if (!e.endpoint.method.isHttpMethod()) {
                continue;   // before/after handlers
            }
            String method = e.endpoint.method.name().toLowerCase(Locale.ROOT);
            String path = e.endpoint.path.replaceAll("<([^>]+)>", "{$1}");
            if (path.contains("{tier}")) {
                for (Tier tier : Tier.values()) {
                    if (Tier.serverTierFromPath(tier.wireName()) == tier) {
                        routes.add(method + " " + path.replace("{tier}", tier.wireName()));
                    }
                }
            } else {
                routes.add(method + " " + path);
            }
        }
        return routes;
    }

    /** The server's Javalin instance: its one field of that type (found by type, whatever its name). */
    static Javalin javalinOf(StorageServer s) throws ReflectiveOperationException {
        List<Field> fields = Arrays.stream(StorageServer.class.getDeclaredFields())
                .filter(f -> Javalin.class.isAssignableFrom(f.getType())).collect(Collectors.toList());
        assertEquals(1, fields.size(), "StorageServer should hold one Javalin instance: " + fields);
        fields.get(0).setAccessible(true);
        return (Javalin) fields.get(0).get(s);
    }

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedOperationIsARoute() throws Exception {
        Set<String> routes = registeredRoutes(server.server);
        Set<String> documented = CONTRACT.operations();
        assertTrue(routes.size() > 10, "the route walk found too few routes: " + routes);
        Set<String> undocumented = new TreeSet<>(routes);
        undocumented.removeAll(documented);
        Set<String> missing = new TreeSet<>(documented);
        missing.removeAll(routes);
        assertEquals(Set.of(), undocumented, "routes of the server that openapi.json does not describe");
        assertEquals(Set.of(), missing, "operations of openapi.json the server does not have");
    }

    /** Every route says who may call it, and only the routes meant to be open are open. */
    @Test
    void everyRouteDeclaresItsAccess() throws Exception {
        Set<String> open = new TreeSet<>();
        for (ParsedEndpoint e : javalinOf(server.server).unsafe.internalRouter.allHttpHandlers()) {
            if (!e.endpoint.method.isHttpMethod()) {
                continue;
            }
            String route = e.endpoint.method.name() + " " + e.endpoint.path;
            Roles roles = e.endpoint.metadata(Roles.class);
            assertTrue(roles != null && roles.getRoles().size() == 1, route + " declares no single Access: " + roles);
            if (roles.getRoles().contains(Access.ANYONE)) {
                open.add(route);
            }
        }
        assertEquals(new TreeSet<>(Set.of("GET /health", "GET /api/v1/ping", "GET " + OpenApiHandler.PATH,
                "POST /api/v1/dev/login", "GET /metrics")), open);
    }

    @Test
    void routeWalkSeesTheStorageRoutesOnBothTiers() throws Exception {
        Set<String> routes = registeredRoutes(server.server);
        for (String tier : List.of("ephemeral", "persistent")) {
            for (String method : List.of("get", "head", "put", "delete")) {
                assertTrue(routes.contains(method + " /api/v1/extensions/{publisher}/{name}/storage/" + tier + "/{key}"),
                        method + " " + tier + " key route: " + routes);
            }
        }
        assertTrue(routes.contains("get " + OpenApiHandler.PATH), routes.toString());
    }

    @Test
    void errorCodesAreExactlyTheServersEachUnderItsStatus() {
        JsonNode schemas = CONTRACT.doc.at("/components/schemas");
        List<String> documented = new ArrayList<>();
        schemas.at("/ErrorCode/enum").forEach(c -> documented.add(c.asText()));
        List<String> server = Arrays.stream(ErrorCode.values()).map(Enum::name).collect(Collectors.toList());
        assertEquals(server, documented, "ErrorCode enum of openapi.json");

        // one response per status of the contract, whose body admits exactly the codes of that status
        Map<Integer, Set<String>> byStatus = new TreeMap<>();
        for (ErrorCode c : ErrorCode.values()) {
            byStatus.computeIfAbsent(c.httpStatus(), s -> new TreeSet<>()).add(c.name());
        }
        JsonNode responses = CONTRACT.doc.at("/components/responses");
        Set<Integer> covered = new TreeSet<>();
        responses.fields().forEachRemaining(r -> {
            JsonNode schema = CONTRACT.resolve(r.getValue().at("/content/application~1json/schema"));
            JsonNode codes = schema.at("/allOf/1/properties/code/enum");
            Set<String> names = new TreeSet<>();
            codes.forEach(c -> names.add(c.asText()));
            int status = byStatus.entrySet().stream().filter(e -> e.getValue().equals(names)).map(Map.Entry::getKey)
                    .findFirst().orElseThrow(() -> new AssertionError(r.getKey() + " admits " + names
                            + ", not the codes of one status: " + byStatus));
            covered.add(status);
        });
        assertEquals(byStatus.keySet(), covered, "an error response for every status of ErrorCode");
    }

    @Test
    void everyErrorStatusOfAnOperationUsesTheResponseOfThatStatus() {
        JsonNode responses = CONTRACT.doc.at("/components/responses");
        Map<String, String> nameByStatus = new TreeMap<>();
        responses.fields().forEachRemaining(r -> {
            String code = CONTRACT.resolve(r.getValue().at("/content/application~1json/schema"))
                    .at("/allOf/1/properties/code/enum/0").asText();
            nameByStatus.put(Integer.toString(ErrorCode.valueOf(code).httpStatus()), r.getKey());
        });
        CONTRACT.doc.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (!OpenApiContract.METHODS.contains(op.getKey())) {
                return;
            }
            op.getValue().get("responses").fields().forEachRemaining(r -> {
                int status = Integer.parseInt(r.getKey());
                String where = op.getKey() + " " + path.getKey() + " " + status;
                if (status >= 400 && !(path.getKey().equals("/health") && status == 503)) {
                    if (op.getKey().equals("head")) {
                        assertTrue(!r.getValue().has("content"), where + ": HEAD has no body");
                    } else {
                        assertEquals("#/components/responses/" + nameByStatus.get(r.getKey()),
                                r.getValue().path("$ref").asText(), where);
                    }
                }
            });
            assertTrue(op.getValue().has("security"), op.getKey() + " " + path.getKey() + " says who may call it");
        }));
    }

    @Test
    void everyReferenceResolvesAndEverySchemaCompiles() {
        List<String> refs = new ArrayList<>();
        collectRefs(CONTRACT.doc, refs);
        assertTrue(refs.size() > 50, "refs: " + refs.size());
        for (String ref : refs) {
            CONTRACT.resolve(TestServer.JSON.createObjectNode().put("$ref", ref));
        }
        CONTRACT.doc.at("/components/schemas").fieldNames()
                .forEachRemaining(name -> CONTRACT.schema("#/components/schemas/" + name));
        assertEquals("3.1.0", CONTRACT.doc.get("openapi").asText());
    }

    @Test
    void theServerServesTheDocumentWithoutCredentials() {
        var r = CONTRACT.check(server.send("GET", OpenApiHandler.PATH, null, Map.of()));
        assertEquals(200, r.status());
        assertEquals(CONTRACT.text, r.body());
        assertTrue(r.raw().headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    }

    @Test
    void theValidatorRefusesWhatTheDocumentForbids() {
        var json = TestServer.JSON;
        assertInvalid("Error", json.createObjectNode().put("message", "m").put("code", "BOGUS"));
        assertInvalid("Error", json.createObjectNode().put("code", "INVALID_KEY"));
        assertInvalid("BadRequestError", json.createObjectNode().put("message", "m").put("code", "NOT_AUTHENTICATED"));
        assertInvalid("Page", json.createObjectNode().put("count", 1).set("result",
                json.createArrayNode().add(json.createObjectNode().put("key", 1).put("value", 2))));
        assertInvalid("Ping", json.createObjectNode().put("status", "bad"));
        assertInvalid("EphemeralPut", json.createObjectNode().put("value", 1));
        assertEquals(List.of(), CONTRACT.schema("#/components/schemas/BadRequestError")
                .validate(json.createObjectNode().put("message", "m").put("code", "INVALID_KEY")));
    }

    @Test
    void aTypoInASchemaIsAnErrorNotAnIgnoredKeyword() {
        String doc = "{\"openapi\":\"3.1.0\",\"info\":{},\"paths\":{},\"components\":{\"schemas\":"
                + "{\"X\":{\"type\":\"object\",\"requried\":[\"a\"]}}}}";
        var registry = OpenApiContract.registryFor(doc);
        Assertions.assertThrows(RuntimeException.class, () -> registry.getSchema(
                SchemaLocation.of(OpenApiContract.IRI + "#/components/schemas/X"))
                .initializeValidators());
    }

    @Test
    void aResponseOutsideTheDocumentFailsTheCheck() {
        String key = RestPaths.tierPath("acme", "notes", "persistent") + "/k";
        // POST on a key: the server answers (400 INVALID_BODY), but the document has no such operation
        Assertions.assertThrows(AssertionError.class,
                () -> CONTRACT.check(server.send("POST", key, "{}", TestServer.auth("alice"))));
        // a path that names no route: 404, under no documented path
        Assertions.assertThrows(AssertionError.class,
                () -> CONTRACT.check(server.send("GET", "/api/v1/nothing", null, Map.of())));
    }

    private static void assertInvalid(String schema, JsonNode value) {
        assertTrue(!CONTRACT.schema("#/components/schemas/" + schema).validate(value).isEmpty(),
                schema + " should refuse " + value);
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            if (node.has("$ref")) {
                refs.add(node.get("$ref").asText());
            }
            node.elements().forEachRemaining(n -> collectRefs(n, refs));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(n -> collectRefs(n, refs));
        }
    }
}
