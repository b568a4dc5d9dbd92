package dev.extstorage.server;

import dev.extstorage.api.JsonCodec;
import dev.extstorage.api.StorageService;
import dev.extstorage.auth.TokenService;
import dev.extstorage.config.Protection;
import dev.extstorage.config.ServerConfig;
import dev.extstorage.events.ChangeFeed;
import dev.extstorage.limits.RequestRateLimiter;
import dev.extstorage.http.Admission;
import dev.extstorage.http.JsonErrorHandler;
import dev.extstorage.http.Routes;
import dev.extstorage.metrics.Metrics;
import dev.extstorage.registry.ExtensionRegistry;
import dev.extstorage.store.EphemeralStore;
import dev.extstorage.store.PersistentStore;
import dev.extstorage.store.Stores;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running server: its stores, the storage service over them and the HTTP front. Built from a
 * {@link ServerConfig}; tests start and stop it in-process, {@link Main} from the command line.
 */
public final class StorageServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StorageServer.class);
    private static final Logger ACCESS = LoggerFactory.getLogger("access");
    private static final int MAX_LOGGED_PATH = 200;

    private final ServerConfig config;
    private final EphemeralStore ephemeral;
    private final PersistentStore persistent;
    private final StorageService service;
    private final RequestRateLimiter rateLimiter;
    private final Admission admission;
    private final AutoCloseable eventStreams;
    private final ChangeFeed changes;
    private final Metrics metrics;
    private final Javalin app;

    /**
     * Builds everything that does not need the persistent store first, while {@code persistentOpening} opens it on
     * another thread, and only then waits for it: what needs it (the service, the change feed, the routes) comes
     * last.
     */
    private StorageServer(ServerConfig config, EphemeralStore ephemeral, Opening<PersistentStore> persistentOpening) {
        this.config = config;
        this.metrics = config.metrics() ? Metrics.enabled(Routes.STORAGE, Routes.STORAGE_KEY) : Metrics.disabled();
        // measured from outside: each store call timed, the in-process cache's size shown
        this.ephemeral = metrics.meter(ephemeral);
        ExtensionRegistry registry = ExtensionRegistry.load(config.extensions(), config.extensionsDir());
        String secret = config.jwtSecret();
        if (secret == null) {
            LOG.warn("No {} set: using a random secret (development login only); tokens end with this process",
                    ServerConfig.JWT_SECRET);
            secret = TokenService.randomSecret();
        }
        TokenService tokens = new TokenService(secret, config.protection().jwtIssuer(),
                config.protection().jwtAudience());
        Protection protection = config.protection();
        this.rateLimiter = RequestRateLimiter.create(protection.rateLimited() ? protection.ratePerSecond() : 0,
                protection.rateBurst(), config.redisUrl(), config.redisKeyPrefix());
        Core[] core = new Core[1];
        Routes.Registered[] admission = new Routes.Registered[1];
        Server[] jetty = new Server[1];
        Javalin created;
        try {
            created = Javalin.create(c -> {
                c.startup.showJavalinBanner = false;
                c.startup.showOldJavalinVersionWarning = false;
                c.http.prefer405over404 = true;
                JettyProtection.apply(c.jetty, config.host(), config.port(), protection);
                // keys may hold %2F, %25 and dots: let them through to our own decoding (RestPaths.decodeKey)
                c.jetty.modifyHttpConfiguration(h -> {
                    h.setUriCompliance(UriCompliance.UNSAFE);
                    h.setSendServerVersion(false);
                });
                c.jetty.modifyServletContextHandler(h -> h.getServletHandler().setDecodeAmbiguousURIs(true));
                c.jetty.modifyServer(s -> {
                    s.setErrorHandler(new JsonErrorHandler());
                    jetty[0] = s;
                });
                if (config.webDir() != null) {
                    StaticWeb.serve(c.staticFiles, config.webDir());
                }
                // Responses are small JSON documents and module files: compressing them costs more CPU than it saves
                // on the loopback or LAN between a host page's server and this one.
                c.http.compressionStrategy = CompressionStrategy.NONE;
                if (config.accessLog()) {
                    c.requestLogger.http((ctx, ms) -> {
                        metrics.request(ctx, ms);
                        ACCESS.info("method={} path={} status={} duration_us={}",
                                ctx.method(), abbreviate(ctx.path()), ctx.status().getCode(), (long) (ms * 1000));
                    });
                } else if (config.metrics()) {
                    c.requestLogger.http(metrics::request);
                }
                core[0] = Core.open(config, registry, this.ephemeral, metrics.meter(persistentOpening.join()));
                admission[0] = Routes.register(c.routes, config, core[0].service, registry, this.ephemeral,
                        core[0].persistent, tokens, rateLimiter, metrics);
            });
        } catch (RuntimeException | Error e) {
            // start() closes the stores; what was opened here is closed here, the newest first
            closeAfterFailure(e, admission[0] == null ? null : admission[0].eventStreams(),
                    core[0] == null ? null : core[0].changes, rateLimiter);
            throw e;
        }
        this.app = created;
        this.persistent = core[0].persistent;
        this.changes = core[0].changes;
        this.service = core[0].service;
        this.admission = admission[0].admission();
        this.eventStreams = admission[0].eventStreams();
        metrics.changes(changes);
        metrics.admission(this.admission::requestsInFlight, this.admission::budgetBytesInUse,
                this.admission.budgetBytes());
        metrics.connections(() -> {
            NetworkConnectionLimit limit = jetty[0] == null ? null : jetty[0].getBean(NetworkConnectionLimit.class);
            return limit == null ? 0 : limit.getNetworkConnectionCount();
        });
    }

    /** What needs the persistent store: the change feed (PostgreSQL's reads its table) and the service. */
    private record Core(PersistentStore persistent, ChangeFeed changes, StorageService service) {
        static Core open(ServerConfig config, ExtensionRegistry registry, EphemeralStore ephemeral,
                         PersistentStore persistent) {
            ChangeFeed changes = Stores.openChangeFeed(config.redisUrl(), config.redisKeyPrefix(), config.dbUrl(),
                    config.eventRetention());
            try {
                return new Core(persistent, changes, new StorageService(registry, ephemeral, persistent,
                        config.limits(), config.quotas(), config.protection().maxListBytes(),
                        config.sharedWriteRole(), new JsonCodec(), changes, config.encryptionKeys()));
            } catch (RuntimeException | Error e) {
                closeAfterFailure(e, changes);
                throw e;
            }
        }
    }

    /** Storage requests under way now (admitted, not yet answered). */
    public int requestsInFlight() {
        return admission.requestsInFlight();
    }

    /** Bytes of the in-flight budget held now. */
    public long budgetBytesInUse() {
        return admission.budgetBytesInUse();
    }

    /**
     * Opens the stores (creating or migrating the schema) and starts serving. The persistent store opens on a
     * thread of its own (see {@link #StorageServer(ServerConfig, EphemeralStore, Opening)}), so the schema's
     * migration overlaps the building of everything that does not need it.
     */
    public static StorageServer start(ServerConfig config) {
        Opening<PersistentStore> persistent = Opening.start("ext-storage-open-persistent",
                () -> Stores.openPersistent(config.dbUrl(), config.dbPoolSize()));
        EphemeralStore ephemeral;
        try {
            ephemeral = Stores.openEphemeral(config.redisUrl(), config.redisKeyPrefix(),
                    config.cacheMaxBytes(), config.redisPoolSize());
        } catch (RuntimeException e) {
            persistent.discard(PersistentStore::close);
            throw e;
        }
        StorageServer server;
        try {
            server = new StorageServer(config, ephemeral, persistent);
        } catch (RuntimeException | Error e) {
            closeAfterFailure(e, ephemeral);
            persistent.discard(PersistentStore::close);
            throw e;
        }
        try {
            server.app.start();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        LOG.info("Extension Storage listening on http://{}:{}/ (ephemeral: {}, persistent: {}, events: {},"
                        + " extensions: {})", config.host(), server.port(), server.ephemeral.engine(),
                server.persistent.engine(), server.changes.engine(), config.extensions().size());
        return server;
    }

    public int port() {
        return app.port();
    }

    /** The server-side Java API (SPEC section 6) over this server's stores. */
    public StorageService storage() {
        return service;
    }

    public ServerConfig config() {
        return config;
    }

    /** This server's metrics (disabled when {@code EXT_STORAGE_METRICS=false}). */
    public Metrics metrics() {
        return metrics;
    }

    /** The change feed every write publishes to (SPEC section 8). */
    public ChangeFeed changes() {
        return changes;
    }

    @Override
    public void close() {
        try {
            if (eventStreams != null) {
                eventStreams.close();   // open streams end first: the server does not wait for them
            }
        } catch (Exception e) {
            LOG.warn("Closing the event streams failed: {}", e.toString());
        }
        try {
            app.stop();
        } finally {
            changes.close();
            try {
                ephemeral.close();
            } finally {
                try {
                    persistent.close();
                } finally {
                    rateLimiter.close();
                }
            }
        }
    }

    /** Closes each of {@code opened} that is not null; what closing throws is added to {@code failure}. */
    private static void closeAfterFailure(Throwable failure, AutoCloseable... opened) {
        for (AutoCloseable resource : opened) {
            if (resource != null) {
                try {
                    resource.close();
                } catch (Exception | Error e) {
                    failure.addSuppressed(e);
                }
            }
        }
    }

    private static String abbreviate(String path) {
        return path.length() <= MAX_LOGGED_PATH ? path : path.substring(0, MAX_LOGGED_PATH) + "...";
    }
}
