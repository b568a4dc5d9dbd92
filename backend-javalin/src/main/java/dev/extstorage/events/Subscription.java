package dev.extstorage.events;

/** A listener's registration with a {@link ChangeFeed}; closing it stops delivery (idempotent). */
public interface Subscription extends AutoCloseable {
    /**
     * Where this subscription started: every event after this id is delivered (or a reset signalled), none at
     * or before it. A client that saw no event yet resumes after this id.
     */
    String startId();

    @Override
    void close();
}
