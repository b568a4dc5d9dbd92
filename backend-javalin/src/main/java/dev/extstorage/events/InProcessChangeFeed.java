package dev.extstorage.events;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The feed of the embedded configuration (one process): a ring of the most recent events (at most
 * {@code retention} events and {@value #RETENTION_BYTES} bytes of values) and one dispatch thread, so a write
 * never waits for a listener. Ids are {@code <start time ms>-<n>}: an id from an earlier run of the process is
 * unknown here and resets the subscriber rather than being mistaken for one of this run.
 *
 * <p>If listeners fall more than {@value #MAX_QUEUED_BYTES} bytes of values behind (a slow server-side
 * listener), events are dropped and every subscriber gets a reset, instead of the queue growing.
 */
public final class InProcessChangeFeed extends DispatchingFeed {
    static final long RETENTION_BYTES = 8L * 1024 * 1024;
    static final long MAX_QUEUED_BYTES = 8L * 1024 * 1024;

    private final long epoch;
    private final int retention;
    private final ArrayDeque<ChangeEvent> ring = new ArrayDeque<>();
    private long ringBytes;
    private long seq;
    /** Events at or before this are no longer retained. */
    private EventId floor;
    private final LinkedBlockingQueue<ChangeEvent> queue = new LinkedBlockingQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean lost = new AtomicBoolean();
    private final Thread dispatcher;

    /** @param retention the most events kept for resumption, at least 1 */
    public InProcessChangeFeed(int retention) {
        this(retention, System.currentTimeMillis());
    }

    private InProcessChangeFeed(int retention, long epoch) {
        super(new EventId(epoch, 0));
        if (retention < 1) {
            throw new IllegalArgumentException("retention must be at least 1");
        }
        this.retention = retention;
        this.epoch = epoch;
        this.floor = new EventId(epoch, 0);
        this.dispatcher = new Thread(this::dispatchLoop, "ext-storage-events");
        dispatcher.setDaemon(true);
        dispatcher.start();
    }

    @Override
    public String engine() {
        return "memory";
    }

    @Override
    synchronized void append(ChangeEvent event) {
        if (isClosed()) {
            throw new IllegalStateException("feed closed");
        }
        ChangeEvent e = event.withId(new EventId(epoch, ++seq).toString());
        long cost = cost(e);
        ring.addLast(e);
        ringBytes += cost;
        while (ring.size() > retention || (ringBytes > RETENTION_BYTES && ring.size() > 1)) {
            ChangeEvent gone = ring.removeFirst();
            ringBytes -= cost(gone);
            floor = EventId.parse(gone.id());
        }
        // offered under the lock, so the dispatch order is the id order
        if (queuedBytes.addAndGet(cost) > MAX_QUEUED_BYTES) {
            queuedBytes.addAndGet(-cost);
            lost.set(true);
            return;
        }
        queue.add(e);
    }

    @Override
    synchronized List<ChangeEvent> history(EventId after) {
        if (after.major() != epoch || after.minor() > seq || after.compareTo(floor) < 0) {
            return null;
        }
        List<ChangeEvent> events = new ArrayList<>();
        for (ChangeEvent e : ring) {
            if (EventId.parse(e.id()).isAfter(after)) {
                events.add(e);
            }
        }
        return events;
    }

    private void dispatchLoop() {
        while (!isClosed()) {
            try {
                ChangeEvent e = queue.poll(250, TimeUnit.MILLISECONDS);
                if (lost.getAndSet(false)) {
                    dispatchReset();
                }
                if (e != null) {
                    queuedBytes.addAndGet(-cost(e));
                    dispatch(e);
                }
            } catch (InterruptedException ie) {
                return;
            }
        }
    }

    private static long cost(ChangeEvent e) {
        return e.memoryCost();
    }

    @Override
    public void close() {
        super.close();
        dispatcher.interrupt();
    }
}
