package dev.extstorage.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;

import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;

/** The streaming JSON the body readers ({@link PutBody}, {@link BatchBody}) share: a bounded parser, an exact copy. */
final class JsonTokens {
    /**
     * The factories made so far, by limits (a server has one value limit, so one or two of them): a factory is
     * thread-safe and costly to make. Member names are not canonicalized: a shared factory would otherwise keep
     * the names of every body in one table across requests (thousands of names of up to a value's length).
     */
    private static final ConcurrentHashMap<Limits, JsonFactory> FACTORIES = new ConcurrentHashMap<>();

    private JsonTokens() {
    }

    private record Limits(long maxTextBytes, int maxDepth) {
    }

    /** A parser factory bounding nesting to {@code maxDepth} and every token to what a value may take. */
    static JsonFactory factory(long maxTextBytes, int maxDepth) {
        return FACTORIES.computeIfAbsent(new Limits(maxTextBytes, maxDepth), JsonTokens::newFactory);
    }

    private static JsonFactory newFactory(Limits limits) {
        int maxLength = (int) Math.min(Integer.MAX_VALUE - 16, limits.maxTextBytes() + 1);
        return JsonFactory.builder()
                .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxDepth())
                        .maxNumberLength(maxLength)
                        .maxStringLength(maxLength)
                        .maxNameLength(maxLength)
                        .build())
                .build();
    }

    /**
     * Copies the value the parser stands on into the generator, exactly: numbers as their text, strings as
     * their characters (a generator writing into a {@link BoundedText} only counts once past its limit);
     * {@code INVALID_BODY} if the input ends inside the value or holds a token no JSON value has.
     */
    static void copy(JsonParser p, JsonGenerator g) throws IOException {
        int depth = 0;
        for (JsonToken t = p.currentToken(); t != null; t = p.nextToken()) {
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                depth++;
            } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                depth--;
            }
            write(p, g, t);
            if (depth == 0) {
                return;
            }
        }
        throw PutBody.invalidBody();
    }

    private static void write(JsonParser p, JsonGenerator g, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT -> g.writeStartObject();
            case START_ARRAY -> g.writeStartArray();
            case END_OBJECT -> g.writeEndObject();
            case END_ARRAY -> g.writeEndArray();
            case FIELD_NAME -> g.writeFieldName(p.currentName());
            case VALUE_STRING -> g.writeString(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> g.writeNumber(p.getText());
            case VALUE_TRUE -> g.writeBoolean(true);
            case VALUE_FALSE -> g.writeBoolean(false);
            case VALUE_NULL -> g.writeNull();
            default -> throw PutBody.invalidBody();
        }
    }
}
