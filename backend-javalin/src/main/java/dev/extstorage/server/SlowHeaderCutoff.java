package dev.extstorage.server;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.thread.Scheduler;

import java.util.concurrent.TimeUnit;

/**
 * Closes connections whose client sends request headers so slowly that no request ever starts: bytes keep
 * arriving (so the idle time-out never fires) but not one request line and header block is complete. Jetty
 * parses headers without a thread, so such a client costs no thread, but it would hold its connection (and its
 * place under the connection limit) for as long as it likes.
 *
 * <p>Every {@code windowMs} each connection is looked at: if it had no request under way and bytes arrived but
 * no request began, in two windows in a row, it is closed. Two windows, so a request whose first bytes arrive
 * just before a look is never taken for a slow one; a request body being read is a request under way, and is
 * bounded by the minimum body rate instead.
 */
final class SlowHeaderCutoff implements Connection.Listener {
    private final Scheduler scheduler;
    private final long windowMs;

    SlowHeaderCutoff(Scheduler scheduler, long windowMs) {
        this.scheduler = scheduler;
        this.windowMs = windowMs;
    }

    @Override
    public void onOpened(Connection connection) {
        schedule(new Watch(connection));
    }

    @Override
    public void onClosed(Connection connection) {
    }

    private void schedule(Watch watch) {
        scheduler.schedule(watch, windowMs, TimeUnit.MILLISECONDS);
    }

    /** What one connection did since the last look. */
    private final class Watch implements Runnable {
        private final Connection connection;
        private long bytesIn;
        private long messagesIn;
        private int slowWindows;

        Watch(Connection connection) {
            this.connection = connection;
            this.bytesIn = connection.getBytesIn();
            this.messagesIn = connection.getMessagesIn();
        }

        @Override
        public void run() {
            if (!connection.getEndPoint().isOpen()) {
                return;
            }
            long bytes = connection.getBytesIn();
            long messages = connection.getMessagesIn();
            boolean requestUnderWay = messages > connection.getMessagesOut();
            boolean headersTrickling = !requestUnderWay && bytes > bytesIn && messages == messagesIn;
            slowWindows = headersTrickling ? slowWindows + 1 : 0;
            bytesIn = bytes;
            messagesIn = messages;
            if (slowWindows >= 2) {
                connection.getEndPoint().close();
                return;
            }
            schedule(this);
        }
    }
}
