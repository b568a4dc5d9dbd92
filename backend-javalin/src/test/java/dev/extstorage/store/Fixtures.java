package dev.extstorage.store;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.StorageException;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Names and helpers the contract tests share. */
public final class Fixtures {
    public static final ExtensionId NOTES = ExtensionId.of("acme", "notes");
    public static final ExtensionId NOTES_PLUS = ExtensionId.of("acme", "notesplus");
    public static final ExtensionId OTHER = ExtensionId.of("globex", "notes");

    private Fixtures() {
    }

    public static Namespace user(String id) {
        return Namespace.user(NOTES, id);
    }

    public static Namespace shared() {
        return Namespace.shared(NOTES);
    }

    /** A key of {@code n} code points, each an emoji (two UTF-16 units). */
    public static String emojiKey(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.appendCodePoint(0x1F600 + (i % 50));
        }
        return b.toString();
    }

    /** What an entry costs its quotas: {@link dev.extstorage.model.Limits#entryCost} of its UTF-8 key and value. */
    public static long cost(String key, String json) {
        return EntryCost.of(key, json);
    }

    /** A JSON string literal of exactly {@code bytes} UTF-8 bytes (quotes included). */
    public static String jsonString(int bytes) {
        return "\"" + "x".repeat(bytes - 2) + "\"";
    }

    public static StorageException assertCode(ErrorCode code, Executable call) {
        StorageException e = assertThrows(StorageException.class, call);
        assertEquals(code, e.code(), e.getMessage());
        return e;
    }

    /** Runs {@code task(thread, i)} on {@code threads} threads, all starting together; returns every result. */
    public static <T> List<T> concurrently(int threads, int perThread, Task<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<T>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Callable<List<T>> work = () -> {
                    start.await();
                    List<T> out = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        out.add(task.run(thread, i));
                    }
                    return out;
                };
                futures.add(pool.submit(work));
            }
            start.countDown();
            List<T> all = new ArrayList<>();
            for (Future<List<T>> f : futures) {
                all.addAll(f.get(120, TimeUnit.SECONDS));
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Polls until {@code condition} holds, for at most {@code timeout}; returns whether it did. */
    public static boolean eventually(Duration timeout, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }

    /** Fails if {@code call} does not throw {@code code} within a generous bound (proves it does not hang). */
    public static void assertFailsFast(ErrorCode code, Executable call) {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertCode(code, call));
    }

    public interface Task<T> {
        T run(int thread, int i) throws Exception;
    }
}
