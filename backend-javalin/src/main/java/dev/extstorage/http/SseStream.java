package dev.extstorage.http;

import dev.extstorage.events.ChangeEvent;
import dev.extstorage.events.ChangeListener;
import dev.extstorage.events.Subscription;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * One open event stream: frames queue here and are written without blocking (servlet non-blocking output:
 * {@link ServletOutputStream#isReady()} before each write, the rest when Jetty calls
 * {@link #onWritePossible()}), so no thread waits on a slow client. A client that stops reading while
 * {@value #MAX_PENDING_BYTES} bytes or {@value #MAX_PENDING_FRAMES} frames wait for it is dropped: its queue
 * is let go and the response completed (Jetty's idle time-out then ends the write it has under way), so the
 * server never buffers for it without bound. Frames are shared between streams, so the queue holds references.
 *
 * <p>However it ends, the stream completes the servlet response itself ({@link AsyncContext#complete()}, a
 * second completion by the container is harmless) and never completes {@link #done()}: handing the request
 * back to Javalin after the connection failed would run its after-handlers on a request Jetty may already have
 * recycled. So a stream's end is not in the access log; the open-streams gauge counts it.
 */
final class SseStream implements ChangeListener, WriteListener, AsyncListener {
    static final long MAX_PENDING_BYTES = 1024 * 1024;
    static final int MAX_PENDING_FRAMES = 512;

    private final AsyncContext async;
    private final ServletOutputStream out;
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final boolean resumed;
    private final Runnable onClose;
    private long pendingBytes;
    private boolean dirty;
    private boolean startsWithReset;
    private boolean started;
    private boolean closed;
    private Subscription subscription;

    /**
     * @param resumed whether the client gave a {@code Last-Event-ID} (it knows its position already)
     * @param onClose run once when the stream ends, however it ends
     */
    SseStream(AsyncContext async, ServletOutputStream out, boolean resumed, Runnable onClose) {
        this.async = async;
        this.out = out;
        this.resumed = resumed;
        this.onClose = onClose;
    }

    /** What the route hands Javalin: never completed (see the class comment). */
    CompletableFuture<Void> done() {
        return done;
    }

    synchronized void attach(Subscription s) {
        if (closed) {
            s.close();
        } else {
            subscription = s;
        }
    }

    @Override
    public void onChange(ChangeEvent event) {
        offer(EventFrames.change(event));
    }

    @Override
    public synchronized void onReset() {
        if (!started) {
            startsWithReset = true;
        } else {
            offer(EventFrames.RESET);
        }
    }

    @Override
    public synchronized void onStart(String startId) {
        started = true;
        if (startsWithReset) {
            offer(EventFrames.resetAt(startId));
        } else if (!resumed) {
            // the client has no id yet: give it this one, so a reconnect resumes here and misses nothing
            offer(EventFrames.position(startId));
        }
    }

    void heartbeat() {
        offer(EventFrames.HEARTBEAT);
    }

    synchronized void offer(byte[] frame) {
        if (closed) {
            return;
        }
        if (pendingBytes + frame.length > MAX_PENDING_BYTES || pending.size() >= MAX_PENDING_FRAMES) {
            close(true);   // the client does not read: drop it rather than buffer for it
            return;
        }
        pending.addLast(frame);
        pendingBytes += frame.length;
        drain();
    }

    @Override
    public synchronized void onWritePossible() {
        drain();
    }

    @Override
    public void onError(Throwable t) {
        failed();
    }

    @Override
    public void onComplete(AsyncEvent event) {
        close(false);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        failed();
    }

    @Override
    public void onError(AsyncEvent event) {
        failed();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not restarted
    }

    /** The connection failed: end the stream. */
    private void failed() {
        close(true);
    }

    private void drain() {
        if (closed) {
            return;
        }
        try {
            while (out.isReady()) {
                byte[] next = pending.pollFirst();
                if (next != null) {
                    pendingBytes -= next.length;
                    out.write(next);
                    dirty = true;
                } else if (dirty) {
                    dirty = false;
                    out.flush();
                } else {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            failed();
        }
    }

    /** Ends the stream from this side (shutdown): the response is completed. */
    void close() {
        close(true);
    }

    /**
     * Ends the stream (idempotent): unsubscribes, lets the queue go, and completes the response if asked (not
     * when the container told us it completed it).
     */
    private void close(boolean completeResponse) {
        Subscription s;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            pending.clear();
            pendingBytes = 0;
            s = subscription;
        }
        if (s != null) {
            s.close();
        }
        onClose.run();
        if (completeResponse) {
            try {
                async.complete();
            } catch (RuntimeException alreadyEnded) {
                // the container completed it first
            }
        }
    }

    synchronized boolean isClosed() {
        return closed;
    }
}
