package dev.extstorage.store;

/**
 * Receives one listing page from {@link PersistentStore#list} while the store reads it, so a page is never held
 * in memory as a whole: {@link #begin} once, then {@link #entry} for each entry of the page in listing order,
 * then {@link #end}. An exception a method throws ends the listing (no further call) and reaches the caller of
 * {@code list} unchanged; a sink writing to a network connection wraps its {@link java.io.IOException} in an
 * {@link java.io.UncheckedIOException}.
 */
public interface PageSink {
    /**
     * The page has passed its checks and its entries follow.
     *
     * @param total     entries of the namespace in all
     * @param pageBytes what the page's entries cost, as quotas count them (at most the listing limit)
     */
    void begin(long total, long pageBytes);

    /** The next entry of the page: its key and its stored JSON text, exactly as written. */
    void entry(String key, String json);

    /** Every entry of the page was given. */
    void end();
}
