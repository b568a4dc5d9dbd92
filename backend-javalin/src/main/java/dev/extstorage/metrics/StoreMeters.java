package dev.extstorage.metrics;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.StorageException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The timers and error counters of one store. Per operation a timer of the calls that returned
 * ({@code outcome=ok}, made at once, so the hot path only reads an array), of those the store refused by a rule
 * of the contract ({@code outcome=refused}: a quota or page bound) and of failures ({@code outcome=error});
 * failures are also counted by code ({@code STORE_UNAVAILABLE}, made at once so it shows 0, or
 * {@code UNEXPECTED}). The rarer series are made at their first use.
 */
final class StoreMeters {
    enum Op { GET, SET, REMOVE, LIST, USAGE, USED_BYTES, GET_MANY, SET_MANY, REMOVE_MANY }

    static final String OPERATIONS = "extstorage.store.operations";
    static final String ERRORS = "extstorage.store.errors";

    private final MeterRegistry registry;
    private final String tier;
    private final String engine;
    private final Timer[] ok = new Timer[Op.values().length];

    StoreMeters(MeterRegistry registry, String tier, String engine, Op... ops) {
        this.registry = registry;
        this.tier = tier;
        this.engine = engine;
        for (Op op : ops) {
            ok[op.ordinal()] = timer(op, "ok");
            error(op, ErrorCode.STORE_UNAVAILABLE.name());
        }
    }

    private Timer timer(Op op, String outcome) {
        return Timer.builder(OPERATIONS).description("Calls of the storage engines, by tier, engine and operation")
                .tags("tier", tier, "engine", engine, "operation", name(op), "outcome", outcome)
                .serviceLevelObjectives(Metrics.BUCKETS).register(registry);
    }

    private Counter error(Op op, String code) {
        return Counter.builder(ERRORS).description("Failed calls of the storage engines, by code")
                .tags("tier", tier, "engine", engine, "operation", name(op), "code", code).register(registry);
    }

    private static String name(Op op) {
        return op.name().toLowerCase(Locale.ROOT);
    }

    /** Runs one engine call and records it as {@link #ok} or {@link #failed}. */
    <T> T time(Op op, Supplier<T> call) {
        long start = System.nanoTime();
        try {
            T result = call.get();
            ok(op, start);
            return result;
        } catch (RuntimeException e) {
            failed(op, start, e);
            throw e;
        }
    }

    /** As {@link #time(Op, Supplier)}, for a call with no result. */
    void time(Op op, Runnable call) {
        time(op, () -> {
            call.run();
            return null;
        });
    }

    /** A call that returned, begun at {@code startNanos}. */
    void ok(Op op, long startNanos) {
        ok[op.ordinal()].record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    /** A call that threw {@code e}, begun at {@code startNanos}. */
    void failed(Op op, long startNanos, RuntimeException e) {
        long nanos = System.nanoTime() - startNanos;
        ErrorCode code = e instanceof StorageException s ? s.code() : null;
        // refusals by rule (a bound, a page too large, a condition that did not hold) are no failure of the store
        if (code == ErrorCode.QUOTA_EXCEEDED || code == ErrorCode.PAGE_TOO_LARGE
                || code == ErrorCode.PRECONDITION_FAILED) {
            timer(op, "refused").record(nanos, TimeUnit.NANOSECONDS);
            return;
        }
        timer(op, "error").record(nanos, TimeUnit.NANOSECONDS);
        error(op, code == ErrorCode.STORE_UNAVAILABLE ? code.name() : "UNEXPECTED").increment();
    }
}
