package dev.extstorage.server;

import dev.extstorage.config.Protection;
import io.javalin.config.JettyConfig;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty's own defences, set through Javalin's configuration, so slow or idle clients cannot hold what others
 * need: a bounded pool of request threads, one connector whose idle connections close after the idle time-out
 * (a client trickling its headers gets no thread at all: Jetty parses headers without one), and a bound on
 * open connections, at which Jetty stops accepting until some close, so memory per connection (its header
 * bytes so far, at most 16 KiB) stays bounded too (Jetty's option to shorten the idle time-out of open
 * connections at the limit closed none in a test here, so it is not used); a client that trickles its
 * headers without ever completing a request is cut after two idle-time-out halves ({@link SlowHeaderCutoff}). The minimum rate
 * at which a body must arrive is ours ({@code RequestBodies}): Jetty 12's {@code MinimumDataRateHandler}, in
 * front of Javalin's servlet, did not cut a body trickling one byte a second (measured: 26 s, until the idle
 * time-out after the trickle stopped). Response writes are bounded by the idle time-out only: a rate check on
 * writes would also fail small answers that wait a moment for a busy core.
 */
final class JettyProtection {
    private static final int MIN_THREADS = 8;
    private static final int THREAD_IDLE_MS = 60_000;
    private static final int MAX_HEADER_BYTES = 16 * 1024;
    /** Headers that trickle for two of these windows (at least, or half the idle time-out) are cut. */
    private static final long HEADER_WINDOW_MIN_MS = 1000;

    private JettyProtection() {
    }

    static void apply(JettyConfig jetty, String host, int port, Protection protection) {
        QueuedThreadPool threads = new QueuedThreadPool(protection.maxThreads(),
                Math.min(MIN_THREADS, protection.maxThreads()), THREAD_IDLE_MS);
        threads.setName("http");
        jetty.threadPool = threads;
        jetty.modifyHttpConfiguration(http -> {
            http.setIdleTimeout(protection.idleTimeoutMs());
            http.setRequestHeaderSize(MAX_HEADER_BYTES);
        });
        jetty.addConnector((server, http) -> {
            ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
            connector.setHost(host);
            connector.setPort(port);
            connector.setIdleTimeout(protection.idleTimeoutMs());
            connector.addBean(new SlowHeaderCutoff(connector.getScheduler(),
                    Math.max(HEADER_WINDOW_MIN_MS, protection.idleTimeoutMs() / 2)));
            // built on the connector itself (built on the server, it would only see the connectors there now: none)
            // and a bean of the server, which starts it
            server.addBean(new NetworkConnectionLimit(protection.maxConnections(), connector));
            return connector;
        });
    }
}
