package dev.extstorage.server;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A resource opened on a thread of its own while the starting thread does other work: {@link StorageServer}
 * opens the persistent store this way (migrating its schema and loading SQLite's native library are the longest
 * steps of start-up) while it opens the ephemeral store and builds the HTTP front.
 *
 * @param <T> what is opened
 */
final class Opening<T> {
    private final CompletableFuture<T> result = new CompletableFuture<>();

    private Opening() {
    }

    /** Starts opening on a new (daemon) thread of the given name. */
    static <T> Opening<T> start(String threadName, Supplier<T> open) {
        Opening<T> opening = new Opening<>();
        Thread thread = new Thread(() -> {
            try {
                opening.result.complete(open.get());
            } catch (Throwable e) {
                opening.result.completeExceptionally(e);
            }
        }, threadName);
        thread.setDaemon(true);
        thread.start();
        return opening;
    }

    /**
     * Waits for the result.
     *
     * @throws RuntimeException what opening threw, as it threw it (an {@link Error} is rethrown as is too)
     */
    T join() {
        try {
            return result.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** Closes the result once it is there, if opening succeeds: for a start-up that failed elsewhere. */
    void discard(Consumer<T> close) {
        result.thenAccept(close);
    }
}
