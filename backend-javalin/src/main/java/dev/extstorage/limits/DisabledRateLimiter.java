package dev.extstorage.limits;

import dev.extstorage.model.ExtensionId;

import java.util.Objects;

/** {@code ratePerSecond = 0}: every request goes ahead; nothing is held, so nothing needs closing. */
enum DisabledRateLimiter implements RequestRateLimiter {
    INSTANCE;

    @Override
    public long tryConsume(ExtensionId extension, String userId) {
        // the same argument contract as the real limiters, so a caller bug shows with rate limiting off too
        Objects.requireNonNull(extension, "extension");
        Objects.requireNonNull(userId, "userId");
        return 0;
    }

    @Override
    public void close() {
        // holds nothing
    }
}
