package dev.extstorage.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.DisallowUnknownKeywordFactory;
import com.networknt.schema.keyword.NonValidationKeyword;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The server's {@code openapi.json}, read from the class path, and a check of real responses against it: the
 * operation the request names must be documented, the status must be one of its responses, the documented
 * headers must be there (and match their schemas), and the body must match the documented media type and
 * schema, validated by networknt's json-schema-validator with the OpenAPI 3.1 dialect (JSON Schema 2020-12).
 */
final class OpenApiContract {
    /** The IRI the document is registered under, so {@code $ref}s inside it resolve against it. */
    static final String IRI = "https://extstorage.dev/api/v1/openapi.json";
    /** The members of an OpenAPI document, which the validator sees as keywords of the root. */
    private static final Set<String> DOCUMENT_MEMBERS = Set.of("openapi", "info", "jsonSchemaDialect", "servers",
            "paths", "webhooks", "components", "security", "tags", "externalDocs");
    static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    final String text;
    final JsonNode doc;
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();
    private final List<Template> templates = new ArrayList<>();
    /** {@code "get /path"} of every operation a checked response belonged to. */
    final Set<String> exercised = ConcurrentHashMap.newKeySet();

    OpenApiContract() {
        try (InputStream in = OpenApiContract.class.getResourceAsStream(OpenApiHandler.RESOURCE)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            doc = TestServer.JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        registry = registryFor(text);
        doc.get("paths").fieldNames().forEachRemaining(p -> templates.add(new Template(p)));
    }

    /**
     * A schema registry holding an OpenAPI document under {@link #IRI}, with the OpenAPI 3.1 dialect. The document's
     * root is not a schema, but the validator loads it as the resource the references point into: its OpenAPI
     * members are let through, while an unknown keyword inside a schema (a typo) is an error.
     */
    static SchemaRegistry registryFor(String documentText) {
        Dialect dialect = Dialect.builder(Dialects.getOpenApi31()).unknownKeywordFactory((keyword, context) ->
                DOCUMENT_MEMBERS.contains(keyword) ? new NonValidationKeyword(keyword)
                        : DisallowUnknownKeywordFactory.getInstance().getKeyword(keyword, context)).build();
        return SchemaRegistry.withDefaultDialect(dialect, b -> b.schemas(Map.of(IRI, documentText)));
    }

    /** Every documented operation, as {@code "get /path"}. */
    Set<String> operations() {
        Set<String> ops = new TreeSet<>();
        doc.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(m -> {
            if (METHODS.contains(m)) {
                ops.add(m + " " + path.getKey());
            }
        }));
        return ops;
    }

    /** The compiled schema a local reference ({@code #/components/schemas/X}) names. */
    Schema schema(String localRef) {
        return schemas.computeIfAbsent(localRef, r -> {
            Schema s = registry.getSchema(SchemaLocation.of(IRI + r));
            s.initializeValidators();
            return s;
        });
    }

    /** The node a local reference names; a node that is itself a reference is followed. */
    JsonNode resolve(JsonNode node) {
        int hops = 0;
        while (node != null && node.has("$ref")) {
            String ref = node.get("$ref").asText();
            assertTrue(ref.startsWith("#/"), "only local references: " + ref);
            node = doc.at(ref.substring(1));
            assertTrue(!node.isMissingNode(), "dangling reference " + ref);
            assertTrue(++hops < 10, "reference loop at " + ref);
        }
        return node;
    }

    /** The path template of the document a raw request path falls under, or {@code null}. */
    String templateOf(String rawPath) {
        String found = null;
        for (Template t : templates) {
            if (t.pattern.matcher(rawPath).matches()) {
                if (found != null) {
                    fail("request path " + rawPath + " matches two documented paths: " + found + " and " + t.path);
                }
                found = t.path;
            }
        }
        return found;
    }

    /** Checks one real response (sent through {@link TestServer#send}) against the document; returns it. */
    TestServer.Response check(TestServer.Response r) {
        HttpResponse<String> raw = r.raw();
        check(raw.request().method(), raw.uri().getRawPath(), raw.uri().getRawQuery(), r.status(),
                name -> raw.headers().firstValue(name), r.body());
        return r;
    }

    /**
     * Checks one real response against the document: the operation {@code method} on {@code rawPath} must be
     * documented, with {@code status} among its responses; the documented headers must be there and match their
     * schemas; the body must have the documented media type and match its schema (HEAD: no body).
     */
    void check(String method, String rawPath, String rawQuery, int status, Function<String, Optional<String>> header,
               String body) {
        method = method.toLowerCase(Locale.ROOT);
        String where = method.toUpperCase(Locale.ROOT) + " " + rawPath + (rawQuery == null ? "" : "?" + rawQuery)
                + " -> " + status;
        String template = templateOf(rawPath);
        if (template == null) {
            fail(where + ": no documented path matches " + rawPath);
        }
        JsonNode operation = doc.get("paths").get(template).get(method);
        if (operation == null) {
            fail(where + ": " + method + " is not documented on " + template);
        }
        JsonNode response = resolve(operation.get("responses").get(Integer.toString(status)));
        if (response == null) {
            fail(where + ": status " + status + " is not documented for " + method + " " + template
                    + " (documented: " + fieldNames(operation.get("responses")) + "); body " + body);
        }
        exercised.add(method + " " + template);

        JsonNode headers = response.path("headers");
        for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> h = it.next();
            JsonNode documented = resolve(h.getValue());
            Optional<String> value = header.apply(h.getKey());
            if (documented.path("required").asBoolean(false)) {
                assertTrue(value.isPresent(), where + ": documented header " + h.getKey() + " is missing");
            }
            if (value.isPresent() && documented.has("schema")) {
                validate(where + ", header " + h.getKey(), documented.get("schema"), headerValue(value.get()));
            }
        }

        JsonNode content = response.get("content");
        if (method.equals("head") || content == null) {
            assertTrue(content == null, where + ": a HEAD response must not document a body");
            assertEquals("", body, where + ": the response has no documented body, yet it has one");
            return;
        }
        String type = header.apply("Content-Type").orElse("");
        String mime = type.split(";")[0].trim().toLowerCase(Locale.ROOT);
        JsonNode media = content.get(mime);
        if (media == null) {
            fail(where + ": Content-Type " + type + " is not documented (documented: " + fieldNames(content) + ")");
        }
        if (mime.equals("text/plain")) {   // GET /metrics: text, its schema a plain string
            validate(where, media.get("schema"), TextNode.valueOf(body));
            return;
        }
        JsonNode json;
        try {
            json = TestServer.JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError(where + ": body is not JSON: " + body, e);
        }
        assertTrue(media.path("schema").has("$ref"), where + ": body schemas are references to components");
        validate(where, media.get("schema"), json);
    }

    /** Validates a value against a schema of the document: a reference, or an inline schema without references. */
    private void validate(String where, JsonNode schemaNode, JsonNode value) {
        Schema schema = schemaNode.has("$ref") ? schema(schemaNode.get("$ref").asText())
                : registry.getSchema(schemaNode);
        List<Error> errors = schema.validate(value);
        if (!errors.isEmpty()) {
            String shown = value.toString();
            fail(where + ": does not match " + schemaNode + ": " + errors + " in "
                    + (shown.length() > 500 ? shown.substring(0, 500) + "..." : shown));
        }
    }

    /** A header's text as the JSON value its schema speaks of: a number when it is one, else a string. */
    private static JsonNode headerValue(String value) {
        if (value.matches("-?[0-9]+")) {
            try {
                return TestServer.JSON.readTree(value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return TextNode.valueOf(value);
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static final class Template {
        final String path;
        final Pattern pattern;

        Template(String path) {
            this.path = path;
            // a path parameter is one raw (percent-encoded) segment
            this.pattern = Pattern.compile(Pattern.quote(path).replaceAll("\\{[^}/]+}", "\\\\E[^/]+\\\\Q"));
        }
    }
}
