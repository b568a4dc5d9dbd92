package dev.extstorage.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.StorageException;
import dev.extstorage.model.StoredValues;
import dev.extstorage.store.StoredEntry;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reads every tier view offers, all built on {@link #stored}: the entry with its version, the stored text,
 * a tree, or a typed object.
 */
abstract class JsonReads {
    final TierAccess access;

    JsonReads(TierAccess access) {
        this.access = access;
    }

    /** The entry of {@code key} as the tier's store holds it, or {@code null} when absent (or expired). */
    abstract StoredEntry stored(String key);

    /**
     * The entries of {@code keys} (checked by the batch rules) as the store holds them, in order: here one
     * {@link #stored} per key; the tiers read them in one round trip.
     */
    List<StoredEntry> storedMany(List<String> keys) {
        List<StoredEntry> out = new ArrayList<>(keys.size());
        for (String key : keys) {
            out.add(stored(key));
        }
        return out;
    }

    /**
     * The values of up to {@link dev.extstorage.model.Batches#MAX_KEYS} distinct keys with their versions, in one
     * round trip to the store: a map in the order of {@code keys}, a key without a value (or expired) mapped to
     * {@code null}.
     *
     * @throws dev.extstorage.model.StorageException INVALID_BODY (too many keys, a key twice), INVALID_KEY,
     *         NOT_AUTHENTICATED, STORE_UNAVAILABLE
     */
    public Map<String, Entry> getEntries(Collection<String> keys) {
        List<String> checked = Batch.keys(keys);
        List<StoredEntry> stored = storedMany(checked);
        List<Entry> entries = new ArrayList<>(stored.size());
        for (StoredEntry e : stored) {
            entries.add(e == null ? null : new Entry(e.json(), e.version(), access.service.codec()));
        }
        return Batch.byKey(checked, entries);
    }

    /** As {@link #getEntries}, the values as trees (Java {@code null} for a key without a value). */
    public Map<String, JsonNode> getMany(Collection<String> keys) {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        getEntries(keys).forEach((k, e) -> values.put(k, e == null ? null : e.value()));
        return values;
    }

    /** The value of {@code key} with its version, or {@code null} when absent (or expired). */
    public Entry getEntry(String key) {
        StoredEntry e = stored(key);
        return e == null ? null : new Entry(e.json(), e.version(), access.service.codec());
    }

    /** The stored JSON text of {@code key}, or {@code null} when absent (or expired). */
    public String getJson(String key) {
        StoredEntry e = stored(key);
        return e == null ? null : e.json();
    }

    /** The value of {@code key} as a tree, or Java {@code null} when absent (a stored JSON null is a NullNode). */
    public JsonNode get(String key) {
        String json = getJson(key);
        return json == null ? null : access.service.codec().decode(json);
    }

    /**
     * The bytes of the binary value of {@code key} (one written as {@code byte[]}, or with {@code isBinary} over
     * REST), or {@code null} when absent (or expired).
     *
     * @throws dev.extstorage.model.StorageException {@code INVALID_VALUE} if the entry holds a JSON value, not
     *         a binary one
     */
    public byte[] getBytes(String key) {
        String stored = getJson(key);
        if (stored == null) {
            return null;
        }
        if (!StoredValues.isBinary(stored)) {
            throw new StorageException(ErrorCode.INVALID_VALUE, "The value of this key is JSON, not binary");
        }
        return Base64.getDecoder().decode(StoredValues.base64Of(stored));
    }

    /** The value of {@code key} read as {@code type}, or {@code null} when absent. */
    public <T> T get(String key, Class<T> type) {
        String json = getJson(key);
        return json == null ? null : access.service.codec().decode(json, type);
    }
}
