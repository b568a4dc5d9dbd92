package dev.extstorage.api;

import dev.extstorage.model.Batches;
import dev.extstorage.model.Tier;
import dev.extstorage.store.Namespace;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the batch calls of every tier view share: the batch rules ({@link Batches}) and the answers by key. */
final class Batch {
    private Batch() {
    }

    /** The keys, checked by the batch rules. */
    static List<String> keys(Collection<String> keys) {
        return Batches.requireValidKeys(keys == null ? null : new ArrayList<>(keys));
    }

    /** The keys of the entries, checked by the batch rules, and the values' total against the value limit. */
    static List<String> keysOf(List<BatchEntry> entries, long maxValueBytes) {
        if (entries == null) {
            return keys(null);
        }
        Batches.requireCount(entries.size());
        List<String> keys = new ArrayList<>(entries.size());
        long total = 0;
        for (BatchEntry e : entries) {
            keys.add(e.key());
            total += size(e.value().toString());
        }
        keys(keys);
        Batches.requireTotal(total, maxValueBytes);
        return keys;
    }

    /** A value's size as the value limit counts it: a binary value's decoded bytes, else its UTF-8 bytes. */
    static long size(String json) {
        return Batches.valueSize(json);
    }

    /** The entries of a map of values, each encoded as a single write encodes it. */
    static List<BatchEntry> entries(TierAccess access, Map<String, ?> values, long ttlSeconds) {
        if (values == null) {
            return null;
        }
        List<BatchEntry> entries = new ArrayList<>(values.size());
        for (Map.Entry<String, ?> e : values.entrySet()) {
            entries.add(new BatchEntry(e.getKey(), access.encode(e.getValue()), ttlSeconds, null, false));
        }
        return entries;
    }

    /** Publishes each write of a batch ({@code values}: what its event carries, {@code null} for no value). */
    static void written(TierAccess access, Tier tier, Namespace ns,
                        List<String> keys, List<String> values, List<String> versions) {
        for (int i = 0; i < keys.size(); i++) {
            access.published(tier, ns, keys.get(i), values.get(i), versions.get(i));
        }
    }

    /** Publishes the removal of each entry that was there; whether each was, by key. */
    static Map<String, Boolean> removed(TierAccess access, Tier tier,
                                        Namespace ns, List<String> keys, List<Boolean> removed) {
        for (int i = 0; i < keys.size(); i++) {
            if (removed.get(i)) {
                access.publishedRemove(tier, ns, keys.get(i));
            }
        }
        return byKey(keys, removed);
    }

    /** {@code values} by {@code keys}, in their order. */
    static <T> Map<String, T> byKey(List<String> keys, List<T> values) {
        Map<String, T> out = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            out.put(keys.get(i), values.get(i));
        }
        return out;
    }
}
