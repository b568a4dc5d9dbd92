package dev.extstorage.metrics;

import dev.extstorage.events.ChangeFeed;
import dev.extstorage.model.RestPaths;
import dev.extstorage.model.Tier;
import dev.extstorage.store.EphemeralStore;
import dev.extstorage.store.PersistentStore;
import dev.extstorage.store.memory.MemoryEphemeralStore;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The server's metrics, served at {@value #PATH} in Prometheus' text format through Micrometer (README,
 * "Metrics"). Off ({@link #disabled()}) nothing is measured and the path is not served.
 *
 * <p>Labels come from bounded sets only: a request is labelled by the route template it matched (never its
 * path, which holds publisher, name and key), its method (the usual ones, else {@code other}), its status and
 * its tier ({@code ephemeral}, {@code persistent}, {@code unknown} for another tier segment, {@code none} off
 * the storage routes). A request that matched no route is labelled {@value #UNMATCHED}, except a storage path
 * refused before its route ran (by the request guard), which keeps its storage template.
 *
 * <p>On the hot path a request costs two array reads and one map read by the template (its own string, so
 * the hash is cached) to find its timer, and the timer's record; timers are made once per label set.
 */
public final class Metrics {
    public static final String PATH = "/metrics";
    /** The route label of a request that matched no route: a static file, a 404, a 405. */
    public static final String UNMATCHED = "unmatched";
    /** What {@link PrometheusMeterRegistry#scrape()} writes: Prometheus' text format 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    static final String REQUESTS = "http.server.requests";
    /** Histogram buckets of request and store latencies: 0.25 ms to 10 s. */
    static final Duration[] BUCKETS = {
            Duration.ofNanos(250_000), Duration.ofNanos(500_000),
            Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(10)};

    private static final String[] METHODS = {"GET", "HEAD", "PUT", "DELETE", "POST", "OPTIONS", "PATCH", "other"};
    private static final String[] TIERS = {"ephemeral", "persistent", "unknown", "none"};
    private static final int TIER_UNKNOWN = 2;
    private static final int TIER_NONE = 3;
    private static final int MIN_STATUS = 100;
    private static final int STATUSES = 500;   // 100..599 (a status outside, which Jetty never sends, is clamped)

    private final PrometheusMeterRegistry registry;
    private final Refusals refusals;
    private final AtomicInteger eventStreams = new AtomicInteger();
    private final ConcurrentHashMap<String, RouteTimers> requestTimers = new ConcurrentHashMap<>();
    private final String storageRoute;
    private final String storageKeyRoute;

    private Metrics(PrometheusMeterRegistry registry, String storageRoute, String storageKeyRoute) {
        this.registry = registry;
        this.storageRoute = storageRoute;
        this.storageKeyRoute = storageKeyRoute;
        this.refusals = registry == null ? Refusals.NONE : new CountedRefusals(registry);
        if (registry != null) {
            new JvmMemoryMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
            Gauge.builder("extstorage.event.streams", eventStreams, AtomicInteger::get)
                    .description("Change event streams (Server-Sent Events) open now").strongReference(true)
                    .register(registry);
        }
    }

    /**
     * Metrics measured and served.
     *
     * @param storageRoute    the route template of a tier's listing, for requests the guard refused
     * @param storageKeyRoute the route template of one key
     */
    public static Metrics enabled(String storageRoute, String storageKeyRoute) {
        return new Metrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), storageRoute, storageKeyRoute);
    }

    /** Nothing measured, nothing served. */
    public static Metrics disabled() {
        return new Metrics(null, null, null);
    }

    public boolean isEnabled() {
        return registry != null;
    }

    /** The registry (for tests); {@code null} when disabled. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Where the request guard and the admission report their refusals. */
    public Refusals refusals() {
        return refusals;
    }

    /** Open event streams: the event route counts them up and down here. */
    public AtomicInteger eventStreams() {
        return eventStreams;
    }

    /** Counts the change events the feed could not record (the write stood; listeners missed them). */
    public void changes(ChangeFeed feed) {
        if (registry != null) {
            FunctionCounter.builder("extstorage.event.publish.failures", feed, f -> (double) f.publishFailures())
                    .description("Change events that could not be recorded (the write stood)")
                    .tag("engine", feed.engine()).register(registry);
        }
    }

    /** The store, measured; itself when disabled. Also shows the in-process cache's size. */
    public EphemeralStore meter(EphemeralStore store) {
        if (registry == null) {
            return store;
        }
        if (store instanceof MemoryEphemeralStore memory) {
            Gauge.builder("extstorage.cache.size", memory, MemoryEphemeralStore::weightedSize).baseUnit("bytes")
                    .description("Approximate heap bytes of the in-process ephemeral cache's entries")
                    .tag("engine", memory.engine()).strongReference(true).register(registry);
            Gauge.builder("extstorage.cache.entries", memory, MemoryEphemeralStore::entryCount)
                    .description("Entries in the in-process ephemeral cache")
                    .tag("engine", memory.engine()).strongReference(true).register(registry);
        }
        return new MeteredEphemeralStore(store, new StoreMeters(registry, "ephemeral", store.engine(),
                StoreMeters.Op.GET, StoreMeters.Op.SET, StoreMeters.Op.REMOVE, StoreMeters.Op.GET_MANY,
                StoreMeters.Op.SET_MANY, StoreMeters.Op.REMOVE_MANY));
    }

    /** The store, measured; itself when disabled. */
    public PersistentStore meter(PersistentStore store) {
        if (registry == null) {
            return store;
        }
        return new MeteredPersistentStore(store, new StoreMeters(registry, "persistent", store.engine(),
                StoreMeters.Op.values()));
    }

    /** Shows the admission's figures: storage requests under way and bytes of its budget held now. */
    public void admission(IntSupplier requestsInFlight, LongSupplier budgetBytesInUse, long budgetBytes) {
        if (registry == null) {
            return;
        }
        Gauge.builder("extstorage.requests.in.flight", requestsInFlight, IntSupplier::getAsInt)
                .description("Storage requests admitted and not yet answered").strongReference(true)
                .register(registry);
        Gauge.builder("extstorage.admission.budget.in.use", budgetBytesInUse, LongSupplier::getAsLong)
                .baseUnit("bytes").description("Bytes of the in-flight budget held by heavy requests now")
                .strongReference(true).register(registry);
        Gauge.builder("extstorage.admission.budget", () -> budgetBytes).baseUnit("bytes")
                .description("Bytes all heavy requests together may hold").strongReference(true).register(registry);
    }

    /** Shows the open connections (the connection limit's count). */
    public void connections(IntSupplier open) {
        if (registry == null) {
            return;
        }
        Gauge.builder("extstorage.connections.open", open, IntSupplier::getAsInt)
                .description("Network connections open now").strongReference(true).register(registry);
    }

    /** Counts one answered request (the request logger calls this with its duration). */
    public void request(Context ctx, float ms) {
        if (registry == null) {
            return;
        }
        Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
        RouteTimers route;
        int tier;
        if (endpoint != null) {
            route = route(endpoint.path);
            // from the raw path, as the guard reads it: the router's parameters may be unset (a refused path)
            RestPaths.StoragePath path = route.storage ? RestPaths.parseStoragePath(ctx.req().getRequestURI()) : null;
            tier = path != null ? tier(path.tier()) : TIER_NONE;
        } else {
            route = route(UNMATCHED);
            tier = TIER_NONE;
            String raw = ctx.req().getRequestURI();
            if (raw.startsWith(RestPaths.EXTENSIONS_PATH)) {
                // refused by the guard before any route ran (401, 404 extension, 429, 503): keep its template
                RestPaths.StoragePath path = RestPaths.parseStoragePath(raw);
                if (path != null) {
                    route = route(path.rawKey() == null ? storageRoute : storageKeyRoute);
                    tier = tier(path.tier());
                }
            }
        }
        timer(route, method(ctx.method().name()), tier, ctx.statusCode())
                .record((long) (ms * 1_000_000.0), TimeUnit.NANOSECONDS);
    }

    private RouteTimers route(String template) {
        RouteTimers route = requestTimers.get(template);
        return route != null ? route : requestTimers.computeIfAbsent(template,
                t -> new RouteTimers(t, t.equals(storageRoute) || t.equals(storageKeyRoute)));
    }

    /** The timers of one route template, by method and tier, then by status; made at first use. */
    private static final class RouteTimers {
        final String template;
        final boolean storage;
        final AtomicReferenceArray<AtomicReferenceArray<Timer>> slots =
                new AtomicReferenceArray<>(METHODS.length * TIERS.length);

        RouteTimers(String template, boolean storage) {
            this.template = template;
            this.storage = storage;
        }
    }

    /** Answers {@value #PATH}. */
    public void scrape(Context ctx) {
        ctx.contentType(CONTENT_TYPE).result(registry.scrape());
    }

    private Timer timer(RouteTimers route, int method, int tier, int status) {
        AtomicReferenceArray<AtomicReferenceArray<Timer>> byMethodAndTier = route.slots;
        int slot = method * TIERS.length + tier;
        AtomicReferenceArray<Timer> byStatus = byMethodAndTier.get(slot);
        if (byStatus == null) {
            byMethodAndTier.compareAndSet(slot, null, new AtomicReferenceArray<>(STATUSES));
            byStatus = byMethodAndTier.get(slot);
        }
        int s = Math.min(Math.max(status, MIN_STATUS), MIN_STATUS + STATUSES - 1) - MIN_STATUS;
        Timer timer = byStatus.get(s);
        if (timer == null) {
            // registering twice gives the same timer: a race here only builds it twice
            timer = Timer.builder(REQUESTS).description("HTTP requests answered, by route template")
                    .tags("route", route.template, "method", METHODS[method], "tier", TIERS[tier],
                            "status", Integer.toString(s + MIN_STATUS))
                    .serviceLevelObjectives(BUCKETS).register(registry);
            byStatus.set(s, timer);
        }
        return timer;
    }

    private static int tier(String segment) {
        Tier tier = Tier.serverTierFromPath(segment);
        return tier == null ? TIER_UNKNOWN : tier == Tier.EPHEMERAL ? 0 : 1;
    }

    private static int method(String name) {
        switch (name) {
            case "GET": return 0;
            case "HEAD": return 1;
            case "PUT": return 2;
            case "DELETE": return 3;
            case "POST": return 4;
            case "OPTIONS": return 5;
            case "PATCH": return 6;
            default: return METHODS.length - 1;
        }
    }
}
