package dev.extstorage.store.sql;

import dev.extstorage.store.PersistentStore;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.Paging;
import dev.extstorage.model.StorageException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.extstorage.store.Fixtures.assertCode;
import static dev.extstorage.store.Fixtures.cost;
import static dev.extstorage.store.Fixtures.jsonString;
import static dev.extstorage.store.Fixtures.user;
import static dev.extstorage.store.sql.PersistentQuotaContract.NO_QUOTA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The bounded, streamed listing of {@link PersistentStore#list}: a page whose entries cost more than the bound
 * is refused before the sink hears of it, large pages stream intact, the sink's own failures pass through.
 * Runs with {@link PersistentStoreContract} on every engine.
 */
interface PersistentListingContract {
    PersistentStore store();

    @Test
    default void aPageAboveTheListingBoundIsRefusedBeforeTheSinkIsCalled() {
        for (int i = 1; i <= 4; i++) {
            store().set(user("alice"), "k" + i, jsonString(100 * i), NO_QUOTA);
        }
        // Newest first: page 0 of size 2 holds k4 and k3; its bytes are counted as quotas count them.
        long page0 = cost("k4", jsonString(400)) + cost("k3", jsonString(300));
        assertEquals(List.of("k4", "k3"),
                Listings.list(store(), user("alice"), Paging.of(0, 2), page0).keys(), "at the bound exactly");

        Listings.Recorder sink = new Listings.Recorder();
        StorageException e = assertCode(ErrorCode.PAGE_TOO_LARGE,
                () -> store().list(user("alice"), Paging.of(0, 2), page0 - 1, sink));
        assertEquals(page0 - 1, e.limit());
        assertEquals(page0, e.actual());
        Listings.assertNoCalls(sink);

        // The bound is per page: the next one is smaller, an empty page costs nothing.
        long page1 = cost("k2", jsonString(200)) + cost("k1", jsonString(100));
        assertEquals(List.of("k2", "k1"), Listings.list(store(), user("alice"), Paging.of(1, 2), page1).keys());
        assertEquals(4, Listings.list(store(), user("alice"), Paging.of(2, 2), 1).total());
        assertEquals(4, Listings.list(store(), user("alice"), Paging.of(0, 0), 1).total());
    }

    @Test
    default void theListingBoundCountsEachEntrysOverhead() {
        for (int i = 0; i < 3; i++) {
            store().set(user("alice"), "k" + i, "1", NO_QUOTA);
        }
        assertEquals(3, Listings.list(store(), user("alice"), Paging.of(0, 10), 3 * (3 + 512)).entries().size());
        StorageException e = assertCode(ErrorCode.PAGE_TOO_LARGE,
                () -> store().list(user("alice"), Paging.of(0, 10), 3 * (3 + 512) - 1, new Listings.Recorder()));
        assertEquals(3 * (3 + 512), e.actual());
    }

    @Test
    default void aStreamedPageOfLargeValuesHoldsEveryEntryIntact() {
        // Above the size a page is fetched in one go: PostgreSQL reads it through a cursor, a few rows at a time.
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            String key = "big" + i;
            String value = i % 3 == 0 ? String.valueOf(i)
                    : "{\"i\":" + i + ",\"pad\":\"" + "é😀x".repeat(60_000 + i) + "\"}";
            store().set(user("alice"), key, value, NO_QUOTA);
            keys.add(0, key);
        }
        Listings.Page all = Listings.list(store(), user("alice"), Paging.of(0, 100));
        assertEquals(keys, all.keys());
        assertEquals(9, all.total());
        for (Listings.Entry e : all.entries()) {
            assertEquals(store().get(user("alice"), e.key()), e.json(), e.key());
        }
        Listings.Page middle = Listings.list(store(), user("alice"), Paging.of(1, 4));
        assertEquals(all.entries().subList(4, 8), middle.entries());
    }

    @Test
    default void whatTheSinkThrowsPassesThroughAndTheStoreGoesOn() {
        store().set(user("alice"), "a", "1", NO_QUOTA);
        store().set(user("alice"), "b", "2", NO_QUOTA);
        IllegalStateException thrown = new IllegalStateException("the client went away");
        for (int i = 0; i < 20; i++) {
            Listings.Recorder failing = new Listings.Recorder() {
                @Override
                public void entry(String key, String json) {
                    super.entry(key, json);
                    throw thrown;
                }
            };
            // More often than the pool has connections: each failed listing gave its connection back.
            assertSame(thrown, assertThrows(IllegalStateException.class,
                    () -> store().list(user("alice"), Paging.of(0, 10), Listings.NO_PAGE_LIMIT, failing)));
            assertEquals(1, failing.entries.size(), "no call after the sink threw");
            assertFalse(failing.ended);
        }
        store().set(user("alice"), "c", "3", NO_QUOTA);
        assertEquals(List.of("c", "b", "a"), Listings.list(store(), user("alice"), Paging.of(0, 10)).keys());
    }
}
