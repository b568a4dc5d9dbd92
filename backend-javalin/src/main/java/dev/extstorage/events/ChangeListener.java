package dev.extstorage.events;

/**
 * Receives the changes a subscription lets through, in feed order, one call at a time. Called on the feed's
 * dispatch thread: it must return quickly and must not block (hand slow work to an executor of your own); an
 * exception it throws is logged and the subscription goes on.
 */
@FunctionalInterface
public interface ChangeListener {
    void onChange(ChangeEvent event);

    /**
     * Called once, before any event of the subscription (after {@link #onReset()} when it starts with one):
     * every event after {@code startId} follows.
     */
    default void onStart(String startId) {
    }

    /**
     * Events may have been missed (the id to resume after is no longer retained or unknown, or the feed lost
     * its connection to the shared engine for longer than it retains): re-read the state you care about. Live
     * events follow.
     */
    default void onReset() {
    }
}
