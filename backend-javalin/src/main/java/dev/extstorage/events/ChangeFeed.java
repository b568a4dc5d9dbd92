package dev.extstorage.events;

/**
 * The change events of the server tiers, shared by every server instance of one deployment: writes publish
 * here, event streams and server-side listeners subscribe here.
 *
 * <p><b>Order and ids.</b> Every published event gets an id ({@link EventId}), increasing in the order in which
 * the feed delivers events; every subscriber of every instance gets the events it lets through in that order.
 *
 * <p><b>Retention.</b> The feed keeps a bounded history of the most recent events (at most the configured
 * number, fewer when the engine trims sooner), so a subscriber can resume after the id it saw last. Nothing
 * beyond that bound is kept: memory and storage stay bounded whatever the write rate.
 *
 * <p><b>Failures.</b> {@link #publish} never throws: a change that cannot be recorded (the engine is down) is
 * logged and counted ({@link #publishFailures()}) and the write it describes stands. Writes do not wait on an
 * engine: the Redis and PostgreSQL feeds publish from a bounded queue on a thread of their own (a full queue
 * drops the event, counted the same way; see {@link AsyncPublisher}); the in-process one records in memory.
 * A subscriber that may have
 * missed events (its resumption id is too old, the feed lost its engine for longer than it retains, or events
 * of any instance were dropped or lost) gets {@link ChangeListener#onReset()} and then live events.
 *
 * <p>Implementations: {@link InProcessChangeFeed} (one process), {@link RedisChangeFeed} (instances sharing
 * Redis), {@link PostgresChangeFeed} (instances sharing only PostgreSQL). All are thread-safe.
 */
public interface ChangeFeed extends AutoCloseable {
    /**
     * Records {@code event} and delivers it to the subscribers of every instance whose filter lets it through.
     * Returns once the event is recorded, or on Redis and PostgreSQL once it is queued to be (before delivery,
     * which follows publish order per instance); never throws.
     *
     * @param event an event without an id ({@link ChangeEvent#id()} {@code null})
     */
    void publish(ChangeEvent event);

    /**
     * Registers {@code listener} for the events {@code filter} lets through.
     *
     * <p>Without {@code afterId} ({@code null}) delivery starts with the next event. With it, the listener first
     * gets every retained event after that id its filter lets through, then live events, none twice and none
     * missed; if events after that id may be gone (it is older than the retention, from another feed, or not
     * an id at all) the listener gets {@link ChangeListener#onReset()} first instead, then live events.
     * Replayed events are delivered on the calling thread before this method returns, live ones on the feed's
     * dispatch thread.
     *
     * @param afterId the id of the last event the subscriber saw, or {@code null}
     * @return the registration; close it to stop delivery
     */
    Subscription subscribe(ChangeFilter filter, String afterId, ChangeListener listener);

    /** Events that could not be recorded since the feed started. */
    long publishFailures();

    /** {@code memory}, {@code redis} or {@code postgresql}. */
    String engine();

    /** Stops delivery to every subscriber and releases the feed's threads and connections. */
    @Override
    void close();
}
