package dev.extstorage.bench;

import java.util.Arrays;

/**
 * Every latency of one measured phase, in nanoseconds, kept exactly (a 10-second phase at tens of thousands
 * of operations per second is a few megabytes), so p50 and p99 are true order statistics, not bucket edges.
 * One instance per thread: not thread-safe; {@link #merge} them after the threads have stopped.
 */
final class Latencies {
    private long[] values = new long[1 << 16];
    private int size;

    void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
    }

    int count() {
        return size;
    }

    static long[] merge(Iterable<Latencies> all) {
        int total = 0;
        for (Latencies l : all) {
            total += l.size;
        }
        long[] merged = new long[total];
        int at = 0;
        for (Latencies l : all) {
            System.arraycopy(l.values, 0, merged, at, l.size);
            at += l.size;
        }
        Arrays.sort(merged);
        return merged;
    }

    /** The {@code p}-th percentile (0-100) of sorted values, in milliseconds; 0 when there are none. */
    static double percentileMillis(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }
}
