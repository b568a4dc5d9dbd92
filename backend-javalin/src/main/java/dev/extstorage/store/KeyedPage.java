package dev.extstorage.store;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.Paging;
import dev.extstorage.model.StorageException;

import java.util.List;
import java.util.function.Function;

/**
 * A listing page of an engine that finds a namespace's keys first and reads values after (the ephemeral
 * engines): the matching keys sorted, so pages do not overlap while nothing changes; the page's cost checked
 * against the bound before the sink hears of it; values read one at a time as they are handed on. An entry
 * that expires between the two steps is left out of its page.
 */
public final class KeyedPage {
    private KeyedPage() {
    }

    /**
     * @param sortedKeys every matching key of the namespace, sorted, without duplicates
     * @param cost       what an entry costs its quotas, or a negative number if it is gone
     * @param value      the entry's JSON text, or {@code null} if it is gone
     */
    public static void stream(List<String> sortedKeys, Paging paging, long maxPageBytes, Function<String, Long> cost,
                              Function<String, String> value, PageSink sink) {
        int from = (int) Math.min(sortedKeys.size(), paging.offset());
        int to = (int) Math.min(sortedKeys.size(), (long) from + paging.pageSize());
        List<String> page = sortedKeys.subList(from, to);
        long pageBytes = 0;
        for (String key : page) {
            pageBytes += Math.max(0, cost.apply(key));
        }
        if (pageBytes > maxPageBytes) {
            throw new StorageException(ErrorCode.PAGE_TOO_LARGE, "This listing page would carry " + pageBytes
                    + " bytes of entries, above the limit of " + maxPageBytes + " bytes; ask for a smaller page_size",
                    maxPageBytes, pageBytes);
        }
        sink.begin(sortedKeys.size(), pageBytes);
        for (String key : page) {
            String json = value.apply(key);
            if (json != null) {
                sink.entry(key, json);
            }
        }
        sink.end();
    }
}
