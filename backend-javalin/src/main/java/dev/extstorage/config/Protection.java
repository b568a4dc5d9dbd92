package dev.extstorage.config;

/**
 * How the server protects itself and its users from hostile or careless callers (SPEC section 11). Every
 * figure is configurable; {@link #defaults()} holds the generous defaults.
 *
 * @param ratePerSecond        requests per second each (user, extension) may make on average; 0 disables
 * @param rateBurst            requests each (user, extension) may make at once after a quiet spell
 * @param maxListBytes         the most bytes of entries one listing page may carry ({@code PAGE_TOO_LARGE})
 * @param inFlightBytes        the global budget of request-body bytes being read and parsed at once
 * @param userInFlight         storage requests one user may have under way at once ({@code RATE_LIMITED})
 * @param maxThreads           request threads; idle or slow connections hold none beyond the deadlines below
 * @param maxConnections       open connections; at the limit Jetty accepts no more and idle ones close sooner
 * @param idleTimeoutMs        a connection that sends nothing for this long is closed
 * @param minRequestDataRate   bytes per second a request body must keep arriving at, once it has started
 * @param eventStreams         change event streams open at once on this instance ({@code SERVER_BUSY} beyond)
 * @param userEventStreams     change event streams one user may have open at once ({@code RATE_LIMITED} beyond)
 * @param jwtIssuer            {@code iss} a token must carry, or {@code null}
 * @param jwtAudience          {@code aud} a token must carry, or {@code null}
 */
public record Protection(long ratePerSecond, long rateBurst, long maxListBytes, long inFlightBytes,
                         int userInFlight, int maxThreads, int maxConnections, long idleTimeoutMs,
                         long minRequestDataRate, int eventStreams, int userEventStreams,
                         String jwtIssuer, String jwtAudience) {
    public static final long DEFAULT_RATE_PER_SECOND = 200;
    public static final long DEFAULT_RATE_BURST = 400;
    public static final long DEFAULT_MAX_LIST_BYTES = 10L * 1024 * 1024;
    public static final long DEFAULT_IN_FLIGHT_BYTES = 32L * 1024 * 1024;
    public static final int DEFAULT_USER_IN_FLIGHT = 16;
    public static final int DEFAULT_MAX_THREADS = 400;
    public static final int DEFAULT_MAX_CONNECTIONS = 4096;
    public static final long DEFAULT_IDLE_TIMEOUT_MS = 10_000;
    public static final long DEFAULT_MIN_REQUEST_DATA_RATE = 4096;
    public static final int DEFAULT_EVENT_STREAMS = 2000;
    public static final int DEFAULT_USER_EVENT_STREAMS = 16;

    public static Protection defaults() {
        return new Protection(DEFAULT_RATE_PER_SECOND, DEFAULT_RATE_BURST, DEFAULT_MAX_LIST_BYTES,
                DEFAULT_IN_FLIGHT_BYTES, DEFAULT_USER_IN_FLIGHT, DEFAULT_MAX_THREADS, DEFAULT_MAX_CONNECTIONS,
                DEFAULT_IDLE_TIMEOUT_MS,
                DEFAULT_MIN_REQUEST_DATA_RATE, DEFAULT_EVENT_STREAMS, DEFAULT_USER_EVENT_STREAMS, null, null);
    }

    /** Whether requests are rate-limited at all. */
    public boolean rateLimited() {
        return ratePerSecond > 0;
    }
}
