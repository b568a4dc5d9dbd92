package dev.extstorage.events;

import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.Scope;
import dev.extstorage.model.Tier;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Publishing off the write path, for an engine where recording an event is a network round trip (Redis,
 * PostgreSQL):
 * {@link #offer} queues the event and returns at once; one thread takes whatever is queued (at most
 * {@value #MAX_BATCH} events) and hands it to the engine as one batch ({@link Sink#send}: one pipeline), in
 * queue order, so one instance's events get ids in the order of its publishes.
 *
 * <p><b>Bounded.</b> The queue holds at most {@value #MAX_EVENTS} events and {@value #MAX_BYTES} bytes of
 * them (values included). An event that finds it full is dropped; a batch the engine does not take (it is down,
 * slow past its time-out) is lost. Both are counted ({@link Losses#lost}) as a failed publish always was, and
 * both leave a {@link #GAP} mark where the events went missing: the next batch that reaches the engine carries
 * it, every instance's reader turns it into a reset of its subscribers (who re-read their state), and a
 * resumption across it resets too. So a subscriber never silently misses an event that was accepted here,
 * unless the process dies with events still queued (normally milliseconds' worth): those go without a mark.
 * After a failed batch the thread waits (100 ms, doubling up to 1 s) before it tries again; events queue
 * meanwhile, and are sent late rather than lost while the queue holds them.
 *
 * <p><b>Close.</b> {@link #close} stops accepting events, waits up to its bound for the queue to be sent, and
 * counts what is left as lost.
 */
final class AsyncPublisher {
    static final int MAX_EVENTS = 10_000;
    static final long MAX_BYTES = 8L * 1024 * 1024;
    static final int MAX_BATCH = 1000;
    /** How long {@link #close} waits for queued events to be recorded. */
    static final long DRAIN_MS = 2000;
    private static final long MAX_BACKOFF_MS = 1000;

    /** The mark of lost events, compared by identity; never handed to a subscriber. */
    static final ChangeEvent GAP = new ChangeEvent(ExtensionId.of("gap", "gap"),
            Tier.EPHEMERAL, Scope.SHARED, null, "(gap)", null, null, true, null);

    /** Records a batch, in order; throws if it cannot ({@link RuntimeException}: the whole batch counts as lost). */
    interface Sink {
        void send(List<ChangeEvent> batch);
    }

    /** Where losses are counted and logged. */
    interface Losses {
        void lost(long count, String cause);
    }

    private final Sink sink;
    private final Losses losses;
    private final Thread thread;
    /** Events and {@link #GAP} marks (never two marks in a row). Guarded by this. */
    private final ArrayDeque<ChangeEvent> queue = new ArrayDeque<>();
    private int events;
    private long bytes;
    private boolean closing;
    /** A batch was lost: the next one starts with a mark. Only the publishing thread touches it. */
    private boolean gapFirst;

    AsyncPublisher(String threadName, Sink sink, Losses losses) {
        this.sink = sink;
        this.losses = losses;
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues {@code event}, or drops and counts it if the queue is full or closed; never blocks. */
    void offer(ChangeEvent event) {
        long cost = cost(event);
        synchronized (this) {
            if (!closing && events < MAX_EVENTS && bytes + cost <= MAX_BYTES) {
                queue.addLast(event);
                events++;
                bytes += cost;
                notifyAll();
                return;
            }
            if (!closing && queue.peekLast() != GAP) {
                queue.addLast(GAP);   // the dropped event's place: what comes after it is live again
            }
        }
        losses.lost(1, closing ? "the feed is closed" : "the publish queue is full (" + MAX_EVENTS + " events or "
                + MAX_BYTES + " bytes): Redis is slow or down");
    }

    private void run() {
        long backoff = 100;
        while (true) {
            List<ChangeEvent> batch = next();
            if (batch == null) {
                return;
            }
            if (gapFirst) {
                batch.add(0, GAP);
            }
            try {
                sink.send(batch);
                gapFirst = false;
                backoff = 100;
            } catch (RuntimeException e) {
                gapFirst = true;
                long lost = batch.stream().filter(x -> x != GAP).count();
                if (lost > 0) {
                    losses.lost(lost, e.toString());
                }
                if (!waitBeforeRetry(backoff)) {
                    return;
                }
                backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
            }
        }
    }

    /** The next batch (may be a mark alone), waiting for one; {@code null} once closed and sent. */
    private synchronized List<ChangeEvent> next() {
        while (queue.isEmpty() && !closing) {
            try {
                wait();
            } catch (InterruptedException e) {
                return null;
            }
        }
        if (queue.isEmpty()) {
            return null;
        }
        List<ChangeEvent> batch = new ArrayList<>(Math.min(queue.size(), MAX_BATCH) + 1);
        while (!queue.isEmpty() && batch.size() < MAX_BATCH) {
            ChangeEvent e = queue.removeFirst();
            if (e != GAP) {
                events--;
                bytes -= cost(e);
            }
            batch.add(e);
        }
        return batch;
    }

    /** Waits {@code ms} after a failure; {@code false} if the feed closes meanwhile (what is left is lost). */
    private synchronized boolean waitBeforeRetry(long ms) {
        long until = System.nanoTime() + ms * 1_000_000;
        long left;
        while (!closing && (left = until - System.nanoTime()) > 0) {
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                return false;
            }
        }
        return !closing;
    }

    /** Events queued now (for tests). */
    synchronized int queued() {
        return events;
    }

    /**
     * Stops accepting events and waits up to {@link #DRAIN_MS} for the queue to be sent (unless the last batch
     * failed: the engine is down, so nothing more is tried); what is still queued then counts as lost.
     */
    void close() {
        synchronized (this) {
            closing = true;
            notifyAll();
        }
        try {
            thread.join(DRAIN_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long left;
        synchronized (this) {
            left = events;
            queue.clear();
            events = 0;
            bytes = 0;
        }
        thread.interrupt();
        if (left > 0) {
            losses.lost(left, "the feed closed before they were sent");
        }
    }

    private static long cost(ChangeEvent e) {
        return e.memoryCost();
    }
}
