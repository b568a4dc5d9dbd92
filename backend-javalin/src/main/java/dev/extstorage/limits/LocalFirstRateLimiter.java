package dev.extstorage.limits;

import dev.extstorage.model.ExtensionId;

/**
 * The scale-out limiter: each request asks this instance's own bucket of the pair first and the shared one only
 * if the local bucket admits it; if the shared one then refuses, the local token is given back.
 *
 * <p>Why this never refuses a request the shared bucket would admit: both buckets have the same capacity and
 * refill and start full, and the local bucket keeps a token only for a request the shared bucket admitted too,
 * while the shared one also takes the requests of every other instance. So the shared bucket has taken at least
 * as many tokens as the local one at every moment, and holds at most as many (up to the difference of the two
 * clocks). An empty local bucket means an empty shared one. (Without the give-back it would not hold: requests
 * the shared bucket refused would drain the local one.)
 *
 * <p>What it adds: a flood that reaches one instance is refused there without a Redis round trip, and while
 * the shared limiter fails open (Redis down or too slow) each instance still holds every pair to the limit on
 * its own share of the traffic.
 */
final class LocalFirstRateLimiter implements RequestRateLimiter {
    private final LocalRateLimiter local;
    private final RequestRateLimiter shared;

    LocalFirstRateLimiter(LocalRateLimiter local, RequestRateLimiter shared) {
        this.local = local;
        this.shared = shared;
    }

    @Override
    public long tryConsume(ExtensionId extension, String userId) {
        long retryAfter = local.tryConsume(extension, userId);
        if (retryAfter != 0) {
            return retryAfter;
        }
        retryAfter = shared.tryConsume(extension, userId);
        if (retryAfter != 0) {
            local.giveBack(extension, userId);
        }
        return retryAfter;
    }

    @Override
    public void close() {
        try {
            shared.close();
        } finally {
            local.close();
        }
    }
}
