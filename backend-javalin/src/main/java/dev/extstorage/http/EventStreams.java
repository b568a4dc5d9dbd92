package dev.extstorage.http;

import dev.extstorage.metrics.Refusals;
import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.StorageException;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The open event streams of this instance and their bounds: at most {@code maxStreams} in all
 * ({@code 503 SERVER_BUSY} beyond) and {@code maxPerUser} per user ({@code 429 RATE_LIMITED} beyond). A stream
 * holds no request thread and no part of the request admission ({@link Admission}), only one of these places.
 * One thread sends every stream a heartbeat comment each {@code heartbeatMs}, below the idle time-out, so an
 * idle stream stays open and a vanished client is noticed.
 */
final class EventStreams implements AutoCloseable {
    static final long RETRY_AFTER_SECONDS = 5;

    private final int maxStreams;
    private final int maxPerUser;
    private final AtomicInteger open;
    private final Refusals refusals;
    private final ConcurrentHashMap<String, Integer> perUser = new ConcurrentHashMap<>();
    private final Set<SseStream> streams = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService heartbeats;

    /** @param open the gauge of open streams (metrics), counted up and down here */
    EventStreams(int maxStreams, int maxPerUser, long heartbeatMs, AtomicInteger open, Refusals refusals) {
        this.maxStreams = maxStreams;
        this.maxPerUser = maxPerUser;
        this.open = open;
        this.refusals = refusals;
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ext-storage-sse-heartbeat");
            t.setDaemon(true);
            return t;
        });
        heartbeats.scheduleAtFixedRate(() -> streams.forEach(SseStream::heartbeat), heartbeatMs, heartbeatMs,
                TimeUnit.MILLISECONDS);
    }

    /**
     * Takes a place for a stream of {@code userId}; give it back with {@link #release}.
     *
     * @throws StorageException {@code RATE_LIMITED} past the user's bound, {@code SERVER_BUSY} past the global one
     */
    void admit(String userId) {
        if (open.incrementAndGet() > maxStreams) {
            open.decrementAndGet();
            refusals.serverBusy();
            throw StorageException.retryLater(ErrorCode.SERVER_BUSY,
                    "Too many event streams are open on this server; retry later", RETRY_AFTER_SECONDS);
        }
        try {
            // one atomic step per user: a count can never be lost between a release and an admit
            perUser.compute(userId, (u, n) -> {
                int now = n == null ? 0 : n;
                if (now >= maxPerUser) {
                    throw StorageException.retryLater(ErrorCode.RATE_LIMITED,
                            "Too many event streams open for this user (at most " + maxPerUser + ")",
                            RETRY_AFTER_SECONDS);
                }
                return now + 1;
            });
        } catch (StorageException e) {
            open.decrementAndGet();
            refusals.rateLimited();
            throw e;
        }
    }

    void release(String userId) {
        perUser.computeIfPresent(userId, (u, n) -> n <= 1 ? null : n - 1);
        open.decrementAndGet();
    }

    void add(SseStream s) {
        streams.add(s);
    }

    void remove(SseStream s) {
        streams.remove(s);
    }

    @Override
    public void close() {
        heartbeats.shutdownNow();
        streams.forEach(SseStream::close);
    }
}
