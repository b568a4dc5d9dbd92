package dev.extstorage.api;

import dev.extstorage.model.Utf8;

import java.io.Writer;

/**
 * Collects the text of a PUT body's value ({@link PutBody}) up to the limit; past it keeps nothing, but goes on
 * counting the UTF-8 bytes the text would take, so the refusal can say how large the value was, up to
 * {@value #MEASURED_PAST_LIMIT} bytes past the limit. Past that it stops the copy ({@link FarTooLarge}): parsing
 * the rest of a 6 MB body would cost a core for nothing.
 */
final class BoundedText extends Writer {
    /** How far past the limit a value is still parsed, so the refusal of a value just too large gives its size. */
    static final long MEASURED_PAST_LIMIT = 64 * 1024;

    /** Thrown by {@link BoundedText} once a value is far too large: the rest is not worth parsing. */
    static final class FarTooLarge extends RuntimeException {
        FarTooLarge() {
            super(null, null, false, false);
        }
    }

    private final long maxBytes;
    private StringBuilder text = new StringBuilder(256);
    private long bytes;

    BoundedText(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    boolean overflowed() {
        return text == null;
    }

    long bytes() {
        return bytes;
    }

    @Override
    public void write(char[] chars, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            char c = chars[i];
            bytes += Utf8.unitLength(c);
        }
        if (text != null) {
            if (bytes > maxBytes) {
                text = null;
            } else {
                text.append(chars, offset, length);
            }
        } else if (bytes > maxBytes + MEASURED_PAST_LIMIT) {
            throw new FarTooLarge();
        }
    }

    @Override
    public void write(String s, int offset, int length) {
        write(s.toCharArray(), offset, length);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return text == null ? null : text.toString();
    }
}
