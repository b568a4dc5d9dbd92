package dev.extstorage.http;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.StorageException;
import io.javalin.http.Context;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.function.LongConsumer;

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
        ctx.attribute(OPENED, Boolean.TRUE);
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
            ctx.attribute(OPENED, Boolean.TRUE);
            return new Bounded(ctx, ctx.req().getInputStream(), maxBytes, minBytesPerSecond, maxHeldBytes, holding);
        } catch (IOException e) {
            throw new StorageException(ErrorCode.INVALID_BODY, "Request body could not be read");
        }
    }

    static final long RATE_GRACE_MS = 1000;
    static final long HOLDING_STEP = 64 * 1024;
    static final long LINGER_MS = 1000;
    static final long MAX_DISCARDED_BYTES = 64L * 1024 * 1024;
    private static final String SLOW_BODY = RequestBodies.class.getName() + ".slow";

    /**
     * Reads and drops what is left of the body of a refused request, so that the client reads the answer. A
     * server that closes a connection while body bytes are still arriving makes the kernel answer them with a
     * reset, and the reset destroys the answer the client has not read yet (RFC 9112 section 9.6; what nginx's
     * lingering close is for): an HTTP client that sends a 200 KB body and gets an early 413 saw no answer at
     * all in about one try of ten. Bounded like nginx's: at most {@value #LINGER_MS} ms and
     * {@value #MAX_DISCARDED_BYTES} bytes, and nothing for a body already refused as too slow; Jetty closes the
     * connection on whatever is left. A client that waits for {@code 100 Continue} and has not been asked for
     * its body is not asked now (reading would ask it).
     */
    static void discardRest(Context ctx) {
        if (ctx.req().getContentLengthLong() == 0 || ctx.attribute(SLOW_BODY) != null
                || ("100-continue".equalsIgnoreCase(ctx.header("Expect")) && ctx.attribute(OPENED) == null)) {
            return;
        }
        long start = System.nanoTime();
        long discarded = 0;
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = ctx.req().getInputStream();
            for (int n; discarded < MAX_DISCARDED_BYTES && (n = in.read(buffer)) >= 0; ) {
                discarded += n;
                if (System.nanoTime() - start > LINGER_MS * 1_000_000) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the connection failed or the stream is done with: nothing left to spare the client
        }
    }

    private static final String OPENED = RequestBodies.class.getName() + ".opened";

    /** A body refused while being read (too large, too slow); its cause is the answer to give. */
    static final class TooLarge extends IOException {
        TooLarge(StorageException problem) {
            super(problem.getMessage(), problem);
        }
    }

    private static final class Bounded extends FilterInputStream {
        private final Context ctx;
        private final long maxBytes;
        private final long minBytesPerSecond;
        private final long maxHeldBytes;
        private final LongConsumer holding;
        private final long startNanos = System.nanoTime();
        private long read;
        private long held;

        Bounded(Context ctx, InputStream in, long maxBytes, long minBytesPerSecond, long maxHeldBytes,
                LongConsumer holding) {
            super(in);
            this.ctx = ctx;
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
                ctx.attribute(SLOW_BODY, Boolean.TRUE);
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
