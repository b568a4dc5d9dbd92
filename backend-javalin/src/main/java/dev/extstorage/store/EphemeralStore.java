package dev.extstorage.store;

/**
 * The ephemeral tier's engine: JSON texts under keys with a time to live. Entries expire after their TTL and
 * may be evicted earlier. Callers pass keys and values that are already valid (the API layer checks them);
 * stores keep namespaces apart and report an unreachable engine as
 * {@link dev.extstorage.model.ErrorCode#STORE_UNAVAILABLE}.
 */
public interface EphemeralStore extends AutoCloseable {
    /** The JSON text stored under {@code key}, or {@code null} if there is none or it expired. */
    String get(Namespace namespace, String key);

    /** Stores {@code json} under {@code key} for {@code ttlSeconds}, replacing any earlier value atomically. */
    void set(Namespace namespace, String key, String json, long ttlSeconds);

    /** Removes {@code key}; nothing happens if it is absent. */
    void remove(Namespace namespace, String key);

    /** Whether the engine answers now (for {@code /health}); never throws. */
    boolean isAvailable();

    /** A short name for logs and {@code /health}: {@code memory}, {@code redis}. */
    String engine();

    @Override
    void close();
}
