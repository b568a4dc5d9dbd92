package dev.extstorage.store;

/**
 * An entry as a store holds it: its JSON text exactly as written, and its version ({@link Versions}).
 *
 * @param json    the stored JSON text
 * @param version the entry's current version, never {@code null}
 */
public record StoredEntry(String json, String version) {
}
