package dev.extstorage.store.memory;

import dev.extstorage.model.Limits;

/** One entry of the in-process cache: its JSON text, version, deadline, cache weight and quota cost. */
final class Cached {
    final String json;
    final String version;
    final long expiresAtNanos;
    final int weight;
    /** What the entry costs its bounds ({@link Limits#entryCost}), not what it weighs in the cache. */
    final long cost;

    Cached(String json, String version, long expiresAtNanos, int weight, long cost) {
        this.json = json;
        this.version = version;
        this.expiresAtNanos = expiresAtNanos;
        this.weight = weight;
        this.cost = cost;
    }
}
