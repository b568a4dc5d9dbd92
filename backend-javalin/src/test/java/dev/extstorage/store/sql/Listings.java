package dev.extstorage.store.sql;

import dev.extstorage.store.PersistentStore;
import dev.extstorage.store.Namespace;
import dev.extstorage.store.PageSink;

import dev.extstorage.model.Paging;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Listings collected from {@link PersistentStore#list}'s sink, which is checked to be called as promised. */
final class Listings {
    /** No listing bound: for the tests that are not about it. */
    static final long NO_PAGE_LIMIT = Long.MAX_VALUE;

    private Listings() {
    }

    record Entry(String key, String json) {
    }

    /** The page's entries in the order given, and the total given to {@code begin}. */
    record Page(List<Entry> entries, long total) {
        List<String> keys() {
            return entries.stream().map(Entry::key).toList();
        }
    }

    static Page list(PersistentStore store, Namespace ns, Paging paging) {
        return list(store, ns, paging, NO_PAGE_LIMIT);
    }

    static Page list(PersistentStore store, Namespace ns, Paging paging, long maxPageBytes) {
        Recorder sink = new Recorder();
        store.list(ns, paging, maxPageBytes, sink);
        assertTrue(sink.ended, "end() was not called");
        return new Page(sink.entries, sink.total);
    }

    /** Collects a page, failing on any call out of the order begin, entry..., end. */
    static class Recorder implements PageSink {
        final List<Entry> entries = new ArrayList<>();
        long total = -1;
        boolean begun;
        boolean ended;
        int calls;

        @Override
        public void begin(long total, long pageBytes) {
            calls++;
            assertFalse(begun, "begin() called twice");
            begun = true;
            this.total = total;
        }

        @Override
        public void entry(String key, String json) {
            calls++;
            assertTrue(begun && !ended, "entry() outside begin() and end()");
            entries.add(new Entry(key, json));
        }

        @Override
        public void end() {
            calls++;
            assertTrue(begun && !ended, "end() without begin() or twice");
            ended = true;
            assertTrue(entries.size() <= total, "more entries than the total");
        }
    }

    static void assertNoCalls(Recorder sink) {
        assertEquals(0, sink.calls, "the sink was called");
    }
}
