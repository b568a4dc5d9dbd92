package dev.extstorage.store;

import com.github.benmanes.caffeine.cache.Ticker;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static dev.extstorage.store.Fixtures.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryEphemeralStoreTest extends EphemeralStoreContract {
    @Override
    protected EphemeralStore newStore() {
        return new MemoryEphemeralStore(64L * 1024 * 1024);
    }

    @Test
    void expiryIsExactToTheNanosecond() {
        AtomicLong now = new AtomicLong(1_000);
        Ticker ticker = now::get;
        try (MemoryEphemeralStore s = new MemoryEphemeralStore(1_000_000, ticker)) {
            s.set(user("alice"), "k", "1", 10);
            now.addAndGet(TimeUnit.SECONDS.toNanos(10) - 1);
            assertEquals("1", s.get(user("alice"), "k"));
            now.incrementAndGet();
            assertNull(s.get(user("alice"), "k"));
        }
    }

    @Test
    void hugeTtlDoesNotOverflow() {
        store.set(user("alice"), "k", "1", Long.MAX_VALUE / 2);
        assertEquals("1", store.get(user("alice"), "k"));
    }

    @Test
    void totalWeightStaysWithinTheByteBound() {
        long max = 200_000;
        try (MemoryEphemeralStore s = new MemoryEphemeralStore(max)) {
            String value = Fixtures.jsonString(1000);
            for (int i = 0; i < 1000; i++) {
                s.set(user("alice"), "k" + i, value, HOUR);
            }
            long weight = s.weightedSize();
            assertTrue(weight <= max, "weight " + weight + " above " + max);
            assertTrue(weight > max / 2, "evicted far more than needed: " + weight);
            int present = 0;
            for (int i = 0; i < 1000; i++) {
                present += s.get(user("alice"), "k" + i) == null ? 0 : 1;
            }
            assertTrue(present > 0 && present < 1000, "present: " + present);
        }
    }

    @Test
    void refusesNonPositiveTtlAndBound() {
        assertThrows(IllegalArgumentException.class, () -> store.set(user("alice"), "k", "1", 0));
        assertThrows(IllegalArgumentException.class, () -> new MemoryEphemeralStore(0));
    }
}
