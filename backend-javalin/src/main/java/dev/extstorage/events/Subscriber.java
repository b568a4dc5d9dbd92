package dev.extstorage.events;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * One registration: filters, skips what it already delivered, and while its replay is read buffers the live
 * events that arrive meanwhile (bounded: past {@value #MAX_BUFFERED} it resets instead). Every call into the
 * listener holds this subscriber's lock, so the listener sees one event at a time, in order.
 */
final class Subscriber implements Subscription {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);
    static final int MAX_BUFFERED = 10_000;

    private final Collection<Subscriber> registry;
    private final ChangeFilter filter;
    private final ChangeListener listener;
    private List<ChangeEvent> buffered;
    private boolean overflowed;
    private EventId position;
    private String startId;
    private volatile boolean closed;

    /** Registered before it starts: live events buffer until {@link #startLive} or {@link #startAfter}. */
    Subscriber(Collection<Subscriber> registry, ChangeFilter filter, ChangeListener listener) {
        this.registry = registry;
        this.filter = filter;
        this.listener = listener;
        this.buffered = new ArrayList<>();
    }

    /** Starts after {@code head}, the last event dispatched when this subscriber was registered. */
    synchronized void startLive(EventId head) {
        position = head;
        startId = head.toString();
        if (overflowed) {
            call(null);
        }
        started();
        drainBuffered();
    }

    /** Delivers the replay (or a reset when it is {@code null}), then what arrived meanwhile, then goes live. */
    synchronized void startAfter(EventId after, List<ChangeEvent> replay, EventId head) {
        if (replay == null || overflowed) {
            position = head;
            startId = head.toString();
            call(null);
            started();
        } else {
            position = after;
            startId = after.toString();
            started();
            for (ChangeEvent e : replay) {
                deliver(e, EventId.parse(e.id()));
            }
        }
        drainBuffered();
    }

    private void started() {
        try {
            listener.onStart(startId);
        } catch (RuntimeException e) {
            LOG.warn("A change listener failed", e);
        }
    }

    private void drainBuffered() {
        List<ChangeEvent> meanwhile = buffered;
        buffered = null;
        for (ChangeEvent e : meanwhile) {
            deliver(e, EventId.parse(e.id()));
        }
    }

    synchronized void live(ChangeEvent event, EventId id) {
        if (closed) {
            return;
        }
        if (buffered != null) {
            if (buffered.size() < MAX_BUFFERED) {
                buffered.add(event);
            } else {
                overflowed = true;
            }
            return;
        }
        deliver(event, id);
    }

    synchronized void reset() {
        if (closed) {
            return;
        }
        if (buffered != null) {
            overflowed = true;
            return;
        }
        call(null);
    }

    private void deliver(ChangeEvent event, EventId id) {
        if (closed || (position != null && !id.isAfter(position))) {
            return;
        }
        position = id;
        if (filter.test(event)) {
            call(event);
        }
    }

    private void call(ChangeEvent eventOrNullForReset) {
        try {
            if (eventOrNullForReset == null) {
                listener.onReset();
            } else {
                listener.onChange(eventOrNullForReset);
            }
        } catch (RuntimeException e) {
            LOG.warn("A change listener failed; it stays subscribed", e);
        }
    }

    @Override
    public synchronized String startId() {
        return startId;
    }

    @Override
    public void close() {
        closed = true;
        registry.remove(this);
    }
}
