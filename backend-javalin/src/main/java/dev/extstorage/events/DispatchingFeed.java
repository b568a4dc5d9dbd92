package dev.extstorage.events;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every feed shares: the subscribers of this instance, delivery in feed order, and resumption (replay of
 * the engine's history, then live events, none twice: a subscriber skips every event at or before the last one
 * it got). An engine records events ({@link #append}), hands them back in id order from one thread of its own
 * ({@link #dispatch}) and reads its history ({@link #history}).
 */
abstract class DispatchingFeed implements ChangeFeed {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);
    private static final long FAILURE_LOG_INTERVAL_NANOS = 10_000_000_000L;
    /** After a failure, publishes are skipped (and counted) this long: a write must not wait on a dead engine. */
    static final long PAUSE_AFTER_FAILURE_NANOS = 1_000_000_000L;

    private final CopyOnWriteArrayList<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final Object dispatchLock = new Object();
    private final AtomicLong failures = new AtomicLong();
    private volatile long lastFailureLog = System.nanoTime() - FAILURE_LOG_INTERVAL_NANOS;
    private volatile long pausedUntil = System.nanoTime();
    /** The last event dispatched here; a new subscriber starts after it. Guarded by dispatchLock. */
    private EventId lastDispatched;

    DispatchingFeed(EventId start) {
        this.lastDispatched = start;
    }

    @Override
    public final void publish(ChangeEvent event) {
        if (System.nanoTime() - pausedUntil < 0) {
            failures.incrementAndGet();
            return;
        }
        try {
            append(event);
        } catch (RuntimeException e) {
            pausedUntil = System.nanoTime() + PAUSE_AFTER_FAILURE_NANOS;
            lost(1, e);
        }
    }

    /**
     * Counts {@code count} events that were not recorded (the writes they describe stand) and logs it, one line
     * per 10 s at most: an engine that is down must not flood the log at the write rate.
     */
    final void lost(long count, String cause) {
        long total = failures.addAndGet(count);
        long now = System.nanoTime();
        if (now - lastFailureLog >= FAILURE_LOG_INTERVAL_NANOS) {
            lastFailureLog = now;
            LOG.warn("Change events could not be recorded ({} feed); the writes stand, listeners miss them: {}"
                    + " ({} failures so far)", engine(), cause, total);
        }
    }

    private void lost(long count, RuntimeException e) {
        lost(count, e.toString());
    }

    @Override
    public final long publishFailures() {
        return failures.get();
    }

    @Override
    public final Subscription subscribe(ChangeFilter filter, String afterId, ChangeListener listener) {
        Subscriber s = new Subscriber(subscribers, filter, listener);
        EventId head;
        synchronized (dispatchLock) {
            subscribers.add(s);
            head = lastDispatched;
        }
        if (afterId == null) {
            s.startLive(head);
            return s;
        }
        EventId after = EventId.parse(afterId);
        List<ChangeEvent> replay = null;
        if (after != null) {
            try {
                replay = history(after);
            } catch (RuntimeException e) {
                LOG.warn("Reading the {} feed's history failed; the subscriber re-reads its state: {}", engine(),
                        e.toString());
            }
        }
        s.startAfter(after, replay, head);
        return s;
    }

    /** Records {@code event} (id still {@code null}) so that it is dispatched on every instance. */
    abstract void append(ChangeEvent event);

    /**
     * The retained events after {@code after}, in id order, or {@code null} if some of them may be gone (it
     * is older than what is retained, or newer than the newest event, or from another feed).
     */
    abstract List<ChangeEvent> history(EventId after);

    /** Hands an event to this instance's subscribers; called from one thread, in id order. */
    final void dispatch(ChangeEvent event) {
        EventId id = EventId.parse(event.id());
        Object[] snapshot;
        synchronized (dispatchLock) {
            lastDispatched = id;
            snapshot = subscribers.toArray();
        }
        for (Object s : snapshot) {
            ((Subscriber) s).live(event, id);
        }
    }

    /** Tells every subscriber that events may have been missed (the engine lost events or its connection). */
    final void dispatchReset() {
        for (Subscriber s : subscribers) {
            s.reset();
        }
    }

    /** Subscribers registered now (for tests and metrics). */
    final int subscriberCount() {
        return subscribers.size();
    }

    private volatile boolean closed;

    /** Whether {@link #close} has begun: an engine's background loop ends once it holds. */
    final boolean isClosed() {
        return closed;
    }

    /** Ends every subscription; an engine then stops its thread ({@link #stop}) and closes its connections. */
    @Override
    public void close() {
        closed = true;
        for (Subscriber s : subscribers) {
            s.close();
        }
    }

    /** Interrupts an engine's background thread and waits up to {@code waitMs} for it to end. */
    static void stop(Thread thread, long waitMs) {
        thread.interrupt();
        try {
            thread.join(waitMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits {@code ms} before an engine's loop tries again (an interrupt ends the wait and is kept). */
    static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
