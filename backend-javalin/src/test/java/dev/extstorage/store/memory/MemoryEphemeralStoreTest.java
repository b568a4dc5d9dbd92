package dev.extstorage.store.memory;

import dev.extstorage.store.Fixtures;
import dev.extstorage.store.EphemeralBoundsContract;

import dev.extstorage.store.EphemeralStore;
import dev.extstorage.store.Namespace;
import dev.extstorage.store.Quota;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.extstorage.model.Limits;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.concurrent.atomic.AtomicLong;

import static dev.extstorage.store.Fixtures.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryEphemeralStoreTest extends EphemeralBoundsContract {
    /** How far the store's clock runs ahead of the system's: tests move time by adding to it. */
    private final AtomicLong clockOffset = new AtomicLong();

    @Override
    protected EphemeralStore newStore() {
        return new MemoryEphemeralStore(64L * 1024 * 1024, () -> System.nanoTime() + clockOffset.get());
    }

    private MemoryEphemeralStore memory() {
        return (MemoryEphemeralStore) store;
    }

    @Override
    protected long extensionBytes(Namespace namespace) {
        return memory().extensionBytes(namespace);
    }

    @Override
    protected long namespaceBytes(Namespace namespace) {
        return memory().namespaceBytes(namespace);
    }

    @Override
    protected boolean afterSeconds(long seconds, BooleanSupplier condition) {
        clockOffset.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
        return condition.getAsBoolean();
    }

    @Test
    void expiryIsExactToTheNanosecond() {
        AtomicLong now = new AtomicLong(1_000);
        Ticker ticker = now::get;
        try (MemoryEphemeralStore s = new MemoryEphemeralStore(1_000_000, ticker)) {
            s.set(user("alice"), "k", "1", 10, NO_QUOTA);
            now.addAndGet(TimeUnit.SECONDS.toNanos(10) - 1);
            assertEquals("1", s.get(user("alice"), "k"));
            now.incrementAndGet();
            assertNull(s.get(user("alice"), "k"));
        }
    }

    @Test
    void hugeTtlDoesNotOverflow() {
        store.set(user("alice"), "k", "1", Long.MAX_VALUE / 2, NO_QUOTA);
        assertEquals("1", store.get(user("alice"), "k"));
    }

    @Test
    void totalWeightStaysWithinTheByteBound() {
        long max = 200_000;
        try (MemoryEphemeralStore s = new MemoryEphemeralStore(max)) {
            String value = Fixtures.jsonString(1000);
            for (int i = 0; i < 1000; i++) {
                s.set(user("alice"), "k" + i, value, HOUR, NO_QUOTA);
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
    void countsFollowSizeEvictionExactly() {
        // A cache far smaller than the bounds: it evicts, and the counts must equal what stays.
        try (MemoryEphemeralStore s = new MemoryEphemeralStore(200_000)) {
            String value = Fixtures.jsonString(1000);
            for (int i = 0; i < 1000; i++) {
                s.set(user("u" + i % 7), "k" + i, value, HOUR, NO_QUOTA);
            }
            // Caffeine evicts in its maintenance, which may still run; settle it before looking.
            s.weightedSize();
            long present = 0;
            for (int i = 0; i < 1000; i++) {
                if (s.get(user("u" + i % 7), "k" + i) != null) {
                    present += Limits.entryCost(("k" + i).length(), 1000);
                }
            }
            assertTrue(present > 0, "nothing stayed");
            assertEquals(present, s.extensionBytes(user("u0")));
        }
    }

    @Test
    void countsOfNamespacesThatHoldNothingAreDropped() throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            store.set(user("u" + i), "a", "1", HOUR, NO_QUOTA);
            store.set(user("u" + i), "b", "1", 1, NO_QUOTA);
        }
        assertEquals(101, memory().countsKept());
        for (int i = 0; i < 100; i++) {
            store.remove(user("u" + i), "a");
        }
        // Caffeine's timer wheel removes an entry up to about a second after its deadline.
        afterSeconds(3, () -> true);
        memory().weightedSize();
        assertEquals(0, memory().countsKept(), "counts of removed and expired entries stay");
        assertEquals(0, extensionBytes(user("u0")));
    }

    @Test
    void anExpiredEntryReplacedCostsNothingMore() {
        Quota quota = new Quota(100_000, 1000);
        store.set(user("alice"), "k", valueCosting(1000), 1, quota);
        afterSeconds(2, () -> true);
        // Whether or not Caffeine has removed the expired entry yet, replacing it must not count it twice.
        store.set(user("alice"), "k", valueCosting(1000), HOUR, quota);
        assertEquals(1000, namespaceBytes(user("alice")));
    }

    @Test
    void refusesNonPositiveTtlAndBound() {
        assertThrows(IllegalArgumentException.class, () -> store.set(user("alice"), "k", "1", 0, NO_QUOTA));
        assertThrows(IllegalArgumentException.class, () -> new MemoryEphemeralStore(0));
    }
}
