package dev.extstorage.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.extstorage.model.Batches;
import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.JsonValues;
import dev.extstorage.model.Precondition;
import dev.extstorage.model.StorageException;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A batch body (REST {@code POST .../storage/{tier}}): {@code {"op": "get" | "remove", "keys": [..]}} or
 * {@code {"op": "set", "entries": [{"key": .., "value": .., "ttl"?, "isBinary"?, "codec"?, "encrypt"?,
 * "ifVersion"?}, ..]}}, read as a stream like a PUT body ({@link PutBody}, whose reading each entry shares): no
 * document tree, each value copied into its compact text, at most {@value Batches#MAX_KEYS} keys or entries
 * (the 101st is refused before it is read), the values together at most the value limit (refused as soon as
 * they pass it, so a batch holds no more text than one PUT may). {@code "ifVersion": "<version>"} writes only
 * while the entry has that version, {@code null} only while it is absent. Members it does not know are skipped.
 * The rules the entries' contents must meet (keys, TTLs, values, no key twice) are checked later, in order, by
 * the handler and the Java API.
 */
public final class BatchBody {
    /** The body's object, the list, an entry: three levels on top of a value's. */
    private static final int MAX_BATCH_DEPTH = JsonValues.MAX_DEPTH + 3;

    /** What the batch asks for. */
    public enum Op { GET, SET, REMOVE }

    /**
     * One entry of a {@code set} batch: its key as sent ({@code null} if missing), its condition and the rest as
     * a single PUT body has it.
     */
    public record Item(String key, Precondition condition, PutBody body) {
    }

    private final Op op;
    private final List<String> keys;
    private final List<Item> entries;

    private BatchBody(Op op, List<String> keys, List<Item> entries) {
        this.op = op;
        this.keys = keys;
        this.entries = entries;
    }

    public Op op() {
        return op;
    }

    /** The keys of a {@code get} or {@code remove} batch, as sent. */
    public List<String> keys() {
        return keys;
    }

    /** The entries of a {@code set} batch, in order. */
    public List<Item> entries() {
        return entries;
    }

    /**
     * Reads one batch body.
     *
     * @param in the body, bounded in bytes by the caller (as for {@link PutBody#read})
     * @throws StorageException {@code INVALID_BODY} (not JSON, not an object, no or an unknown {@code op}, the
     *         list its op needs missing or not a list of strings or objects, more than {@value Batches#MAX_KEYS}
     *         of them, an entry without {@code value}, an {@code ifVersion} neither a string nor null),
     *         {@code VALUE_TOO_LARGE} (the values together), {@code INVALID_VALUE} (nested too deep)
     */
    public static BatchBody read(InputStream in, long maxValueBytes) {
        JsonFactory factory = JsonTokens.factory(PutBody.maxText(maxValueBytes), MAX_BATCH_DEPTH);
        String op = null;
        List<String> keys = null;
        List<Item> entries = null;
        try (JsonParser p = factory.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw invalid("Body must be a JSON object holding 'op'");
            }
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String member = p.currentName();
                JsonToken first = p.nextToken();
                switch (member) {
                    case "op" -> op = first == JsonToken.VALUE_STRING ? p.getText() : "";
                    case "keys" -> keys = readKeys(p, first);
                    case "entries" -> entries = readEntries(p, first, factory, in, maxValueBytes);
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw invalid("Body must be one JSON object");
            }
        } catch (IOException e) {
            throw PutBody.readFailure(e, in, maxValueBytes);
        }
        return of(op, keys, entries);
    }

    private static BatchBody of(String op, List<String> keys, List<Item> entries) {
        if (op == null) {
            throw invalid("A batch needs 'op': \"get\", \"set\" or \"remove\"");
        }
        switch (op) {
            case "get", "remove" -> {
                if (keys == null) {
                    throw invalid("A \"" + op + "\" batch needs 'keys', a list of keys");
                }
                return new BatchBody(op.equals("get") ? Op.GET : Op.REMOVE, keys, List.of());
            }
            case "set" -> {
                if (entries == null) {
                    throw invalid("A \"set\" batch needs 'entries', a list of {\"key\", \"value\"} objects");
                }
                return new BatchBody(Op.SET, List.of(), entries);
            }
            default -> throw invalid("'op' must be \"get\", \"set\" or \"remove\"");
        }
    }

    private static List<String> readKeys(JsonParser p, JsonToken first) throws IOException {
        requireList(first, "keys");
        List<String> keys = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.VALUE_STRING) {
                throw invalid("'keys' must be a list of strings");
            }
            Batches.requireCount(keys.size() + 1);
            keys.add(p.getText());
        }
        return keys;
    }

    private static List<Item> readEntries(JsonParser p, JsonToken first, JsonFactory factory, InputStream in,
                                          long maxValueBytes) throws IOException {
        requireList(first, "entries");
        List<Item> entries = new ArrayList<>();
        long total = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.START_OBJECT) {
                throw invalid("'entries' must be a list of {\"key\", \"value\"} objects");
            }
            Batches.requireCount(entries.size() + 1);
            EntryMembers extra = new EntryMembers();
            PutBody body = PutBody.readObject(p, factory, in, maxValueBytes, extra);
            // the values held so far: refused once past the limit, so the batch's text stays bounded
            total += body.heldBytes();
            if (total > maxValueBytes) {
                throw PutBody.drainedRefusal(in, new StorageException(ErrorCode.VALUE_TOO_LARGE, "The values of one"
                        + " batch take more than the limit of " + maxValueBytes + " bytes together", maxValueBytes,
                        total));
            }
            entries.add(new Item(extra.key, extra.condition, body));
        }
        return entries;
    }

    private static void requireList(JsonToken first, String member) {
        if (first != JsonToken.START_ARRAY) {
            throw invalid("'" + member + "' must be a list");
        }
    }

    /** The members of an entry beside those of a PUT body: {@code key} and {@code ifVersion}. */
    private static final class EntryMembers implements PutBody.MemberReader {
        String key;
        Precondition condition = Precondition.NONE;

        @Override
        public boolean read(String member, JsonToken first, JsonParser p) throws IOException {
            switch (member) {
                case "key" -> {
                    if (first != JsonToken.VALUE_STRING) {
                        throw invalid("An entry's 'key' must be a string");
                    }
                    key = p.getText();
                }
                case "ifVersion" -> {
                    if (first != JsonToken.VALUE_STRING && first != JsonToken.VALUE_NULL) {
                        throw invalid("'ifVersion' must be a version string, or null for \"only while absent\"");
                    }
                    condition = Precondition.ifVersion(first == JsonToken.VALUE_NULL ? null : p.getText());
                }
                default -> {
                    return false;
                }
            }
            return true;
        }
    }

    private static StorageException invalid(String message) {
        return new StorageException(ErrorCode.INVALID_BODY, message);
    }
}
