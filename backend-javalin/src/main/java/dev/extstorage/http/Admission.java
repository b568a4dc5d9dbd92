package dev.extstorage.http;

import dev.extstorage.metrics.Refusals;
import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.StorageException;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds on the work under way at once, so that no pattern of requests can exhaust the heap or the request
 * threads: each user may have at most a number of storage requests in flight, and heavy requests (those that
 * may hold more than {@value #LIGHT_BYTES} bytes: bodies being read and parsed, listing pages) take their
 * bytes from a global budget, of which one user may hold at most a quarter (or one largest request, if that
 * is more).
 * Past a user's bounds the answer is {@code 429 RATE_LIMITED}; past the global budget {@code 503 SERVER_BUSY};
 * both with {@code Retry-After}. Nothing waits: a refusal is immediate, so a flood cannot pile up threads.
 */
public final class Admission {
    /** Work below this many bytes is light: bounded by the request threads alone. */
    static final long LIGHT_BYTES = 64 * 1024;
    private static final int UNIT_BYTES = 1024;
    private static final long RETRY_AFTER_SECONDS = 1;

    private final Semaphore budget;
    private final int budgetUnits;
    private final int userUnits;
    private final int userInFlight;
    private final Refusals refusals;
    private final ConcurrentHashMap<String, int[]> perUser = new ConcurrentHashMap<>();

    /**
     * @param budgetBytes     bytes all heavy requests together may hold
     * @param largestRequest  the most bytes one request may hold: a user's share is never below it, so the
     *                        largest allowed request can always be admitted when the server is otherwise idle
     * @param userInFlight    storage requests one user may have under way at once
     */
    Admission(long budgetBytes, long largestRequest, int userInFlight) {
        this(budgetBytes, largestRequest, userInFlight, Refusals.NONE);
    }

    /** As above, telling {@code refusals} of each request refused. */
    Admission(long budgetBytes, long largestRequest, int userInFlight, Refusals refusals) {
        this.refusals = refusals;
        this.budgetUnits = (int) Math.min(Integer.MAX_VALUE, Math.max(1, budgetBytes / UNIT_BYTES));
        this.budget = new Semaphore(budgetUnits);
        this.userUnits = Math.max(budgetUnits / 4, units(largestRequest));
        this.userInFlight = userInFlight;
    }

    /** Budget units {@code bytes} take: none for light work, else whole KiB, at most the whole budget. */
    private int units(long bytes) {
        return bytes <= LIGHT_BYTES ? 0 : (int) Math.min(budgetUnits, (bytes + UNIT_BYTES - 1) / UNIT_BYTES);
    }

    /**
     * Admits one request of {@code userId} that may hold {@code bytes}.
     *
     * @throws StorageException {@code RATE_LIMITED} past the user's bounds, {@code SERVER_BUSY} past the budget
     */
    Ticket admit(String userId, long bytes) {
        int units = units(bytes);
        take(userId, 1, units);
        total.incrementAndGet();
        return new Ticket(userId, units);
    }

    /** Takes a request slot and budget units for the user, or refuses without taking anything. */
    private void take(String userId, int requests, int units) {
        boolean[] admitted = {false};
        perUser.compute(userId, (k, v) -> {
            int[] counts = v == null ? new int[2] : v;
            if (counts[0] + requests <= userInFlight && counts[1] + units <= userUnits) {
                counts[0] += requests;
                counts[1] += units;
                admitted[0] = true;
            }
            return counts;
        });
        if (!admitted[0]) {
            releaseUser(userId, 0, 0);
            if (requests > 0) {
                refusals.userInFlight();
            } else {
                refusals.userInFlightBytes();
            }
            throw StorageException.retryLater(ErrorCode.RATE_LIMITED, requests > 0
                    ? "Too many requests of this user under way at once; retry shortly"
                    : "This user's large requests under way hold its share of the server; retry shortly",
                    RETRY_AFTER_SECONDS);
        }
        if (units > 0 && !budget.tryAcquire(units)) {
            releaseUser(userId, requests, units);
            refusals.serverBusy();
            throw StorageException.retryLater(ErrorCode.SERVER_BUSY,
                    "The server is busy with other large requests; retry shortly", RETRY_AFTER_SECONDS);
        }
    }

    private final AtomicInteger total = new AtomicInteger();

    /** Storage requests under way now, all users together. */
    public int requestsInFlight() {
        return total.get();
    }

    /** Requests and budget units under way now (for tests and metrics). */
    int inFlight(String userId) {
        int[] counts = perUser.get(userId);
        return counts == null ? 0 : counts[0];
    }

    int availableUnits() {
        return budget.availablePermits();
    }

    /** Bytes of the budget heavy requests hold now (whole KiB). */
    public long budgetBytesInUse() {
        return (long) (budgetUnits - budget.availablePermits()) * UNIT_BYTES;
    }

    /** Bytes all heavy requests together may hold. */
    public long budgetBytes() {
        return (long) budgetUnits * UNIT_BYTES;
    }

    private void releaseUser(String userId, int requests, int units) {
        perUser.computeIfPresent(userId, (k, counts) -> {
            counts[0] -= requests;
            counts[1] -= units;
            // no entry stays behind for a user with nothing under way, so many users cannot grow the map
            return counts[0] == 0 && counts[1] == 0 ? null : counts;
        });
    }

    /** One admitted request; {@link #close()} gives its share back, once. */
    final class Ticket implements AutoCloseable {
        private final String userId;
        private int units;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Ticket(String userId, int units) {
            this.userId = userId;
            this.units = units;
        }

        /**
         * Lets the request hold {@code bytes} more, once it knows it must (a large value read for an answer).
         *
         * @throws StorageException as {@link #admit}, and nothing more is held then
         */
        synchronized void grow(long bytes) {
            int more = units(bytes);
            if (more > 0 && !closed.get()) {
                take(userId, 0, more);
                units += more;
            }
        }

        @Override
        public synchronized void close() {
            if (closed.compareAndSet(false, true)) {
                if (units > 0) {
                    budget.release(units);
                }
                releaseUser(userId, 1, units);
                total.decrementAndGet();
            }
        }
    }
}
