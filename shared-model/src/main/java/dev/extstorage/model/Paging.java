package dev.extstorage.model;

/**
 * A page of the persistent listing: {@code page} counts from 0, {@code pageSize} is 0-{@link #MAX_PAGE_SIZE}.
 * Query values must be plain decimal digits; a page number too large to reach any entry is simply empty.
 */
public final class Paging {
    public static final int DEFAULT_PAGE_SIZE = 10;
    public static final int MAX_PAGE_SIZE = 100;
    /** Pages beyond this are clamped to it: no store holds that many entries, so the page is empty either way. */
    private static final long MAX_PAGE = Integer.MAX_VALUE;

    private final long page;
    private final int pageSize;

    private Paging(long page, int pageSize) {
        this.page = page;
        this.pageSize = pageSize;
    }

    public static Paging of(long page, int pageSize) {
        if (page < 0) {
            throw new StorageException(ErrorCode.INVALID_QUERY, "page must be a non-negative integer");
        }
        if (pageSize < 0 || pageSize > MAX_PAGE_SIZE) {
            throw new StorageException(ErrorCode.INVALID_QUERY,
                    "page_size must be an integer from 0 to " + MAX_PAGE_SIZE, MAX_PAGE_SIZE, pageSize);
        }
        return new Paging(Math.min(page, MAX_PAGE), pageSize);
    }

    /**
     * Parses the query values ({@code null} when absent: page 0, page size {@value #DEFAULT_PAGE_SIZE}).
     *
     * @throws StorageException {@link ErrorCode#INVALID_QUERY}
     */
    public static Paging parse(String page, String pageSize) {
        long p = page == null ? 0 : digits(page, RestPaths.PAGE_PARAM, MAX_PAGE);
        // saturated far above the limit so that the error reports the figure asked for, not the cap
        long size = pageSize == null ? DEFAULT_PAGE_SIZE : digits(pageSize, RestPaths.PAGE_SIZE_PARAM, Integer.MAX_VALUE);
        return of(p, (int) size);
    }

    /** The value of a string of decimal digits, saturated at {@code cap}. */
    private static long digits(String s, String name, long cap) {
        if (s.isEmpty()) {
            throw new StorageException(ErrorCode.INVALID_QUERY, name + " must be a non-negative integer");
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new StorageException(ErrorCode.INVALID_QUERY, name + " must be a non-negative integer");
            }
            v = Math.min(cap, v * 10 + (c - '0'));
        }
        return v;
    }

    public long page() {
        return page;
    }

    public int pageSize() {
        return pageSize;
    }

    /** Entries to skip: {@code page * pageSize}. */
    public long offset() {
        return page * pageSize;
    }
}
