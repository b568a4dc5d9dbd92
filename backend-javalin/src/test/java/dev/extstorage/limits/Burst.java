package dev.extstorage.limits;

import dev.extstorage.model.ExtensionId;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Requests fired at once from several threads, as a burst of concurrent HTTP requests would be. */
final class Burst {
    private Burst() {
    }

    /** How many of {@code requests} concurrent calls were allowed. */
    static int allowed(RequestRateLimiter limiter, ExtensionId extension, String userId, int requests)
            throws Exception {
        return allowed(List.of(limiter), extension, userId, requests);
    }

    /** As above, the calls spread round-robin over {@code limiters} (server instances sharing one budget). */
    static int allowed(List<RequestRateLimiter> limiters, ExtensionId extension, String userId, int requests)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Long>> answers = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                RequestRateLimiter limiter = limiters.get(i % limiters.size());
                answers.add(pool.submit(() -> {
                    start.await();
                    return limiter.tryConsume(extension, userId);
                }));
            }
            start.countDown();
            int allowed = 0;
            for (Future<Long> answer : answers) {
                if (answer.get(30, TimeUnit.SECONDS) == 0) {
                    allowed++;
                }
            }
            return allowed;
        } finally {
            pool.shutdownNow();
        }
    }
}
