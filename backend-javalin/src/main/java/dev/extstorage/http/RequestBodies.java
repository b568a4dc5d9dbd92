package dev.extstorage.http;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.StorageException;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongConsumer;
import java.util.Locale;

/**
 * Reads request bodies under a cap, before anything is buffered: a declared length above the cap is refused
 * unread, and a body without a length is read only up to the cap.
 */
final class RequestBodies {
    private RequestBodies() {
    }

    /** @throws StorageException {@code UNSUPPORTED_MEDIA_TYPE} unless the content type is JSON */
    static void requireJson(Context ctx) {
        String type = ctx.header("Content-Type");
        if (type == null || !isJson(type)) {
            throw new StorageException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "PUT needs Content-Type: application/json");
        }
    }

    static boolean isJson(String contentType) {
        int semicolon = contentType.indexOf(';');
        String mime = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        return mime.equals("application/json") || (mime.startsWith("application/") && mime.endsWith("+json"));
    }

    /** @throws StorageException {@code QUOTA_EXCEEDED} above {@code maxBytes}, {@code INVALID_BODY} if unreadable */
    static byte[] read(Context ctx, long maxBytes) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge(maxBytes, declared);
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (body.length > maxBytes) {
                throw tooLarge(maxBytes, body.length);
            }
            return body;
        } catch (IOException e) {
            throw new StorageException(ErrorCode.INVALID_BODY, "Request body could not be read");
        }
    }

    /**
     * The body as a stream that fails with {@link TooLarge} once it has given more than {@code maxBytes}, so a
     * streaming reader stops there; a declared length above the cap is refused before anything is read. A body
     * that arrives slower than {@code minBytesPerSecond} on average, after a grace of
     * {@value #RATE_GRACE_MS} ms, fails with {@code INVALID_BODY}, so a trickling client holds its request
     * thread for seconds, not for as long as it likes (a client that sends nothing at all is cut by the
     * connection's idle time-out). For each step of {@value #HOLDING_STEP} bytes read, {@code holding} is told
     * (up to {@code maxHeldBytes} in all, what a reader of the body keeps at most): a body takes room as it
     * arrives, not as declared, so a body that trickles or stalls holds almost nothing. An exception
     * {@code holding} throws (no room now) ends the read.
     *
     * @throws StorageException {@code QUOTA_EXCEEDED} if the declared length is above {@code maxBytes}
     */
    static InputStream stream(Context ctx, long maxBytes, long minBytesPerSecond, long maxHeldBytes,
                              LongConsumer holding) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge(maxBytes, declared);
        }
        try {
            return new Bounded(ctx.req().getInputStream(), maxBytes, minBytesPerSecond, maxHeldBytes, holding);
        } catch (IOException e) {
            throw new StorageException(ErrorCode.INVALID_BODY, "Request body could not be read");
        }
    }

    static final long RATE_GRACE_MS = 1000;
    static final long HOLDING_STEP = 64 * 1024;

    /** A body refused while being read (too large, too slow); its cause is the answer to give. */
    static final class TooLarge extends IOException {
        TooLarge(StorageException problem) {
            super(problem.getMessage(), problem);
        }
    }

    private static final class Bounded extends java.io.FilterInputStream {
        private final long maxBytes;
        private final long minBytesPerSecond;
        private final long maxHeldBytes;
        private final LongConsumer holding;
        private final long startNanos = System.nanoTime();
        private long read;
        private long held;

        Bounded(InputStream in, long maxBytes, long minBytesPerSecond, long maxHeldBytes, LongConsumer holding) {
            super(in);
            this.maxBytes = maxBytes;
            this.minBytesPerSecond = minBytesPerSecond;
            this.maxHeldBytes = maxHeldBytes;
            this.holding = holding;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        /**
         * Takes room for each whole step of the body read so far: a body shorter than one step is light work
         * and takes none, and what is not yet counted is always less than one step.
         */
        private void hold() {
            long target = Math.min(maxHeldBytes, read / HOLDING_STEP * HOLDING_STEP);
            if (target > held) {
                holding.accept(target - held);
                held = target;
            }
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        private void count(int n) throws TooLarge {
            read += n;
            if (read > maxBytes) {
                throw new TooLarge(tooLarge(maxBytes, read));
            }
            hold();
            long elapsedMs = (System.nanoTime() - startNanos) / 1_000_000;
            if (minBytesPerSecond > 0 && elapsedMs > RATE_GRACE_MS && read * 1000 / elapsedMs < minBytesPerSecond) {
                throw new TooLarge(new StorageException(ErrorCode.INVALID_BODY, "Request body arrives slower than "
                        + minBytesPerSecond + " bytes per second; send it at once"));
            }
        }
    }

    private static StorageException tooLarge(long maxBytes, long actual) {
        return new StorageException(ErrorCode.QUOTA_EXCEEDED,
                "Request body is larger than the " + maxBytes + " bytes this server reads", maxBytes, actual);
    }
}
