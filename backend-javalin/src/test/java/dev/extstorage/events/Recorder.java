package dev.extstorage.events;

import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.Scope;
import dev.extstorage.model.Tier;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** A listener that records what it gets: events, and {@link #RESET} for each reset. */
public final class Recorder implements ChangeListener {
    public static final ChangeEvent RESET = new ChangeEvent(ExtensionId.of("reset", "reset"),
            Tier.EPHEMERAL, Scope.SHARED, null, "(reset)", null, null,
            true, null);
    private final LinkedBlockingQueue<ChangeEvent> got = new LinkedBlockingQueue<>();
    private final List<ChangeEvent> seen = new ArrayList<>();
    volatile String startId;

    @Override
    public void onChange(ChangeEvent event) {
        got.add(event);
    }

    @Override
    public void onReset() {
        got.add(RESET);
    }

    @Override
    public void onStart(String id) {
        startId = id;
    }

    /** Everything up to and including the first event with {@code key} (waits up to 15 s for it). */
    public List<ChangeEvent> until(String key) throws InterruptedException {
        List<ChangeEvent> out = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            long left = deadline - System.nanoTime();
            ChangeEvent e = left <= 0 ? null : got.poll(left, TimeUnit.NANOSECONDS);
            if (e == null) {
                fail("no event with key '" + key + "' within 15 s; got " + out);
            }
            out.add(e);
            seen.add(e);
            if (e.key().equals(key)) {
                return out;
            }
        }
    }

    /** The next {@code n} events (waits up to 30 s for them). */
    public List<ChangeEvent> take(int n) throws InterruptedException {
        List<ChangeEvent> out = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (out.size() < n) {
            long left = deadline - System.nanoTime();
            ChangeEvent e = left <= 0 ? null : got.poll(left, TimeUnit.NANOSECONDS);
            if (e == null) {
                fail("only " + out.size() + " of " + n + " events within 30 s");
            }
            out.add(e);
            seen.add(e);
        }
        return out;
    }

    /** What arrived and was not yet taken by {@link #until}. */
    public List<ChangeEvent> drain() {
        List<ChangeEvent> out = new ArrayList<>();
        got.drainTo(out);
        return out;
    }
}
