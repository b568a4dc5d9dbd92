package dev.extstorage.e2e;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * What the hostile tests check about answers, without the limits of a default Jackson parser (which refuses
 * numbers above 1,000 digits and nesting above 1,000 levels, both of which a correct server may store and
 * answer): whether a body is one JSON object, the SPEC section 4 error codes and their statuses, and a
 * canonical form of a JSON value so that what was written can be compared with what is read back whatever
 * the server did to white space, member order, escapes or the spelling of numbers ({@code 1E+2} is
 * {@code 100}).
 */
final class JsonChecks {
    /** SPEC section 4: every error code and the status it comes with. */
    static final Map<String, Integer> SPEC_CODES = Map.ofEntries(
            Map.entry("INVALID_KEY", 400), Map.entry("INVALID_BODY", 400), Map.entry("INVALID_TTL", 400),
            Map.entry("INVALID_VALUE", 400), Map.entry("INVALID_QUERY", 400), Map.entry("VALUE_TOO_LARGE", 400),
            Map.entry("PAGE_TOO_LARGE", 400), Map.entry("NOT_AUTHENTICATED", 401), Map.entry("FORBIDDEN", 403),
            Map.entry("EXTENSION_NOT_FOUND", 404), Map.entry("PRECONDITION_FAILED", 412),
            Map.entry("QUOTA_EXCEEDED", 413), Map.entry("UNSUPPORTED_MEDIA_TYPE", 415),
            Map.entry("RATE_LIMITED", 429), Map.entry("STORE_UNAVAILABLE", 503), Map.entry("SERVER_BUSY", 503));

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNumberLength(Integer.MAX_VALUE)
                    .maxNestingDepth(Integer.MAX_VALUE)
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxDocumentLength(-1)
                    .build())
            .build();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    private JsonChecks() {
    }

    /** Whether {@code body} is exactly one JSON object (white space around it allowed), checked by streaming. */
    static boolean isJsonObject(byte[] body) {
        if (body == null || body.length == 0) {
            return false;
        }
        try (JsonParser p = FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            p.skipChildren();
            return p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    /** A small body as a tree, or {@code null} if it is not JSON. */
    static JsonNode tree(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The problem with an error answer ({@code status >= 400}) under SPEC section 4, or {@code null}: the body
     * must be a JSON object with a string {@code message} and a string {@code code} from the list, and the
     * status must be the one the list gives that code, also for refusals Jetty makes before any route (a URI
     * too long, headers too large).
     */
    static String errorProblem(int status, byte[] body) {
        if (!isJsonObject(body)) {
            return "error body is not a JSON object";
        }
        JsonNode tree = tree(body);
        JsonNode code = tree == null ? null : tree.get("code");
        JsonNode message = tree == null ? null : tree.get("message");
        if (code == null || !code.isTextual()) {
            return "error without a string 'code'";
        }
        if (message == null || !message.isTextual()) {
            return "error without a string 'message'";
        }
        String c = code.asText();
        Integer expected = SPEC_CODES.get(c);
        if (expected == null) {
            return "code " + c + " is not in SPEC section 4's list";
        }
        if (expected != status) {
            return "code " + c + " comes with " + expected + ", answered with " + status;
        }
        return null;
    }

    /** The {@code code} member of a JSON body, or {@code null}. */
    static String codeOf(byte[] body) {
        if (body == null || body.length == 0 || body.length > 1_000_000 || body[0] != '{') {
            return null;
        }
        JsonNode tree = tree(body);
        JsonNode code = tree == null ? null : tree.get("code");
        return code != null && code.isTextual() ? code.asText() : null;
    }

    /**
     * The {@code result} member of a GET answer in canonical form (see {@link #canonical(String)}), or
     * {@code null} when the body has none.
     */
    static String canonicalResult(byte[] body) throws IOException {
        try (JsonParser p = FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String result = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals("result")) {
                    result = canonical(p);
                } else {
                    p.skipChildren();
                }
            }
            return result;
        }
    }

    /**
     * One spelling for every JSON text that means the same value: no white space, object members sorted by
     * name, strings written with the same escapes, numbers as {@code [-]digits e exponent} with no leading or
     * trailing zeros in the digits (so {@code 1e2}, {@code 100} and {@code 1.00E+2} agree; exponents of any
     * size are compared as big integers, never expanded).
     */
    static String canonical(String json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            p.nextToken();
            String c = canonical(p);
            if (p.nextToken() != null) {
                throw new IOException("trailing content after the JSON value");
            }
            return c;
        }
    }

    private static String canonical(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == null) {
            throw new IOException("no JSON value");
        }
        switch (t) {
            case START_OBJECT: {
                List<String> members = new ArrayList<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = quote(p.currentName());
                    p.nextToken();
                    members.add(name + ":" + canonical(p));
                }
                members.sort(null);
                return "{" + String.join(",", members) + "}";
            }
            case START_ARRAY: {
                StringBuilder b = new StringBuilder("[");
                boolean first = true;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    b.append(first ? "" : ",").append(canonical(p));
                    first = false;
                }
                return b.append(']').toString();
            }
            case VALUE_STRING:
                return quote(p.getText());
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return canonicalNumber(p.getText());
            case VALUE_TRUE:
                return "true";
            case VALUE_FALSE:
                return "false";
            case VALUE_NULL:
                return "null";
            default:
                throw new IOException("unexpected token " + t);
        }
    }

    /** A JSON number's text as {@code [-]D e E}: D without leading or trailing zeros, E a (big) integer. */
    static String canonicalNumber(String text) {
        String s = text.trim();
        boolean negative = s.startsWith("-");
        if (negative || s.startsWith("+")) {
            s = s.substring(1);
        }
        int e = Math.max(s.indexOf('e'), s.indexOf('E'));
        BigInteger exponent = BigInteger.ZERO;
        if (e >= 0) {
            exponent = new BigInteger(s.substring(e + 1).replace("+", ""));
            s = s.substring(0, e);
        }
        int dot = s.indexOf('.');
        String digits = s;
        if (dot >= 0) {
            String fraction = s.substring(dot + 1);
            digits = s.substring(0, dot) + fraction;
            exponent = exponent.subtract(BigInteger.valueOf(fraction.length()));
        }
        int start = 0;
        while (start < digits.length() - 1 && digits.charAt(start) == '0') {
            start++;
        }
        int end = digits.length();
        while (end > start + 1 && digits.charAt(end - 1) == '0') {
            end--;
        }
        exponent = exponent.add(BigInteger.valueOf(digits.length() - end));
        digits = digits.substring(start, end);
        if (digits.equals("0")) {
            return "0";
        }
        return (negative ? "-" : "") + digits + "e" + exponent;
    }

    static String quote(String s) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
