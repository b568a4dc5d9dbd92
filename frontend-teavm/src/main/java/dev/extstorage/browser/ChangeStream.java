package dev.extstorage.browser;

import dev.extstorage.model.RestPaths;
import org.teavm.jso.JSObject;

/**
 * The server tiers' change events of one context: one {@code GET .../storage/events} stream (SPEC section 8),
 * read with {@code fetch} and the context's credentials. When it ends or fails it is opened again after an
 * exponential back-off with jitter ({@link #delayMillis}), resuming with {@code Last-Event-ID}; a stream that
 * stays silent for {@value #SILENCE_MILLIS} ms (the server sends a heartbeat every ~5 s) counts as broken.
 * Every callback (stream text, stream end, timers) comes through {@link #signal}, tagged with the connection
 * it belongs to, so that those of a connection given up do nothing.
 */
final class ChangeStream implements JsEvents.Signal {
    static final double FIRST_DELAY_MILLIS = 500;
    static final double MAX_DELAY_MILLIS = 30000;
    static final double SILENCE_MILLIS = 20000;

    private final ExtensionContext context;
    private final SseParser.Sink sink;
    private SseParser parser;
    /** Counts connections: a positive tag is connection {@code generation}, a negative one its retry timer. */
    private int generation;
    private int failures;
    private JSObject controller;
    private int retryTimer;
    private int watchdog;
    private boolean open;

    ChangeStream(ExtensionContext context, SseParser.Sink sink) {
        this.context = context;
        this.sink = sink;
    }

    /**
     * The wait before reconnection attempt {@code failures + 1}: {@value #FIRST_DELAY_MILLIS} ms doubled per
     * failure, at most {@value #MAX_DELAY_MILLIS} ms, times 0.5-1 ({@code random} in [0, 1)) so that clients
     * cut off together do not come back together.
     */
    static double delayMillis(int failures, double random) {
        double d = FIRST_DELAY_MILLIS;
        for (int i = 0; i < failures && d < MAX_DELAY_MILLIS; i++) {
            d *= 2;
        }
        return Math.min(d, MAX_DELAY_MILLIS) * (0.5 + random / 2);
    }

    void start() {
        if (!open) {
            open = true;
            connect();
        }
    }

    void stop() {
        if (open) {
            open = false;
            generation++;
            JsEvents.abort(controller);
            controller = null;
            JsEvents.clearTimeout(retryTimer);
            JsEvents.clearTimeout(watchdog);
        }
    }

    private void connect() {
        int g = ++generation;
        ContextConfig c = context.config;
        String lastId = parser == null ? null : parser.lastId();
        parser = new SseParser(sink, lastId);
        controller = JsEvents.stream(RestPaths.eventsUrl(c.apiBase, c.extension), c.credentials, context.headers,
                lastId == null || lastId.isEmpty() ? null : lastId, this, g);
        watch(g);
    }

    private void watch(int g) {
        JsEvents.clearTimeout(watchdog);
        watchdog = JsEvents.setTimeout(this, g, SILENCE_MILLIS);
    }

    /** {@code text} of connection {@code tag}; {@code null}: it ended or fell silent. Negative: retry now. */
    @Override
    public void signal(int tag, String text) {
        if (!open || (tag < 0 ? -tag : tag) != generation) {
            return;
        }
        if (tag < 0) {
            connect();
        } else if (text != null) {
            failures = 0;
            watch(tag);
            parser.feed(text);
        } else {
            JsEvents.abort(controller);
            controller = null;
            JsEvents.clearTimeout(watchdog);
            retryTimer = JsEvents.setTimeout(this, -generation, delayMillis(failures++, JsEvents.random()));
        }
    }
}
