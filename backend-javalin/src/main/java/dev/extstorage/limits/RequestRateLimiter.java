package dev.extstorage.limits;

import dev.extstorage.model.ExtensionId;

/** Placeholder until the Bucket4j limiter lands. */
public interface RequestRateLimiter extends AutoCloseable {
    long tryConsume(ExtensionId extension, String userId);

    @Override
    void close();

    static RequestRateLimiter create(long ratePerSecond, long burst, String redisUrl, String redisKeyPrefix) {
        return new RequestRateLimiter() {
            @Override
            public long tryConsume(ExtensionId extension, String userId) {
                return 0;
            }

            @Override
            public void close() {
            }
        };
    }
}
