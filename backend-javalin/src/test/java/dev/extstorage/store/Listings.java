package dev.extstorage.store;

import dev.extstorage.model.Paging;

import java.util.List;

/** Listings of {@link PersistentStore#list}, in the shape the contract tests compare. */
final class Listings {
    private Listings() {
    }

    record Entry(String key, String json) {
    }

    /** The page's entries in listing order, and the namespace's total. */
    record Page(List<Entry> entries, long total) {
        List<String> keys() {
            return entries.stream().map(Entry::key).toList();
        }
    }

    static Page list(PersistentStore store, Namespace ns, Paging paging) {
        PersistentStore.ListPage page = store.list(ns, paging);
        return new Page(page.entries().stream().map(e -> new Entry(e.key(), e.json())).toList(), page.total());
    }
}
