package dev.extstorage.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.JsonValues;
import dev.extstorage.model.StorageException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Turns values into the compact JSON text stores keep, and back. Numbers keep their exact decimal form
 * ({@code 1.50} stays {@code 1.50}, {@code 1e400} does not become infinity); duplicate object members and
 * trailing content make a text invalid rather than being silently dropped.
 */
public final class JsonCodec {
    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    public ObjectMapper mapper() {
        return mapper;
    }

    /**
     * The compact JSON text of {@code value} (a {@link JsonNode} or any object Jackson can write), checked
     * against the value rule.
     *
     * @throws StorageException {@code INVALID_VALUE} if it cannot be written or breaks the rule,
     *                          {@code VALUE_TOO_LARGE} above {@code maxBytes}
     */
    public String encode(Object value, long maxBytes) {
        String text;
        try {
            text = mapper.writeValueAsString(value);
        } catch (StreamConstraintsException e) {
            throw tooDeep(e);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new StorageException(ErrorCode.INVALID_VALUE, "Value cannot be written as JSON: " + messageOf(e));
        }
        JsonValues.requireValid(text, maxBytes);
        return text;
    }

    /**
     * Parses a request body.
     *
     * @throws StorageException {@code INVALID_BODY} if it is not JSON, {@code INVALID_VALUE} if it passes the
     *                          parser's nesting or number limits (a value that deep breaks the value rule anyway)
     */
    public JsonNode parseBody(byte[] body) {
        try {
            JsonNode node = mapper.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new StorageException(ErrorCode.INVALID_BODY, "Body must be a JSON object holding 'value'");
            }
            return node;
        } catch (StreamConstraintsException e) {
            throw tooDeep(e);
        } catch (IOException e) {
            // the parser refuses some texts for what the value rule names more precisely (a lone surrogate in a
            // member name): report that rule's error when it applies
            JsonValues.requireValid(new String(body, StandardCharsets.UTF_8), Long.MAX_VALUE);
            throw new StorageException(ErrorCode.INVALID_BODY, "Body is not valid JSON");
        }
    }

    /** Reads stored text back as a tree. */
    public JsonNode decode(String json) {
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("Stored value is not JSON", e);
        }
    }

    /** Reads stored text as {@code type}. */
    public <T> T decode(String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (IOException e) {
            throw new IllegalArgumentException("Stored value cannot be read as " + type.getName(), e);
        }
    }

    private static StorageException tooDeep(StreamConstraintsException e) {
        return new StorageException(ErrorCode.INVALID_VALUE,
                "Value must not be nested deeper than " + JsonValues.MAX_DEPTH + " levels or hold numbers that long");
    }

    private static String messageOf(Exception e) {
        return e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    }
}
