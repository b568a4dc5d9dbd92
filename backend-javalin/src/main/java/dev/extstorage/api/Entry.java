package dev.extstorage.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A stored value with its version (SPEC section 8), as {@code getEntry} reads it. Pass the version to a
 * conditional write ({@code set(key, value, Precondition.ifVersion(entry.version()))}) to write only while
 * nobody else has written since.
 */
public final class Entry {
    private final String json;
    private final String version;
    private final JsonCodec codec;

    Entry(String json, String version, JsonCodec codec) {
        this.json = json;
        this.version = version;
        this.codec = codec;
    }

    /** The stored JSON text, exactly as written. */
    public String json() {
        return json;
    }

    /** The entry's version: an opaque string that changes on every write. */
    public String version() {
        return version;
    }

    /** The value as a tree (a stored JSON null is a NullNode). */
    public JsonNode value() {
        return codec.decode(json);
    }

    /** The value read as {@code type}. */
    public <T> T value(Class<T> type) {
        return codec.decode(json, type);
    }

    @Override
    public String toString() {
        return "Entry[version=" + version + ", " + json.length() + " chars]";
    }
}
