package dev.extstorage.browser;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.Limits;
import dev.extstorage.model.NumberText;
import dev.extstorage.model.Paging;
import dev.extstorage.model.StorageException;
import dev.extstorage.model.StoredValues;

/**
 * Checks of the numeric arguments a method gets from JavaScript, where every number is a double: TTLs and
 * page numbers must be integers before the shared rules ({@link Limits#requireValidTtl}, {@link Paging#of})
 * see them.
 */
final class Arguments {
    private Arguments() {
    }

    /**
     * The TTL of an ephemeral write.
     *
     * @param present whether {@code ttl} was given as a number at all
     * @throws StorageException {@link ErrorCode#INVALID_TTL}
     */
    static long ttl(boolean present, double ttl, Limits limits) {
        if (!present) {
            throw new StorageException(ErrorCode.INVALID_TTL,
                    "Ephemeral values need a TTL: set(key, value, {ttl: seconds})");
        }
        if (!isInteger(ttl)) {
            throw new StorageException(ErrorCode.INVALID_TTL, "TTL must be a whole number of seconds");
        }
        // saturates far beyond the limit, so an enormous TTL is still refused as too long
        return limits.requireValidTtl((long) ttl);
    }

    /**
     * A page of the persistent listing; absent values ({@code NaN}) take the defaults (page 0, 10 per page).
     *
     * @throws StorageException {@link ErrorCode#INVALID_QUERY}
     */
    static Paging paging(double page, double pageSize) {
        double p = Double.isNaN(page) ? 0 : page;
        double size = Double.isNaN(pageSize) ? Paging.DEFAULT_PAGE_SIZE : pageSize;
        if (!isInteger(p) || !isInteger(size)) {
            throw new StorageException(ErrorCode.INVALID_QUERY, "page and pageSize must be whole numbers");
        }
        return Paging.of((long) p, (int) Math.max(-1, Math.min(size, Paging.MAX_PAGE_SIZE + 1)));
    }

    /**
     * The {@code retries} of an {@code update}: {@link StorageArea#DEFAULT_RETRIES} when {@code absent}, else a
     * whole number from 0 to 1000.
     *
     * @throws StorageException {@link ErrorCode#INVALID_BODY}
     */
    static int retries(boolean absent, double retries) {
        if (absent) {
            return StorageArea.DEFAULT_RETRIES;
        }
        if (!isInteger(retries) || retries < 0 || retries > 1000) {
            throw new StorageException(ErrorCode.INVALID_BODY, "retries must be a whole number from 0 to 1000");
        }
        return (int) retries;
    }

    /**
     * The body of a PUT (SPEC sections 3 and 10): the value as on the wire ({@link StoredValues#wireValue}, a
     * binary value with {@code "isBinary": true}), the TTL if {@code ttl > 0}, {@code "encrypt": true} if asked.
     */
    static String putBody(String storedText, long ttl, boolean encrypt) {
        String value = StoredValues.wireValue(storedText);
        StringBuilder b = new StringBuilder(value.length() + 48).append("{\"value\":").append(value);
        if (StoredValues.isBinary(storedText)) {
            b.append(",\"isBinary\":true");
        }
        if (ttl > 0) {
            b.append(",\"ttl\":").append(NumberText.decimal(ttl));
        }
        if (encrypt) {
            b.append(",\"encrypt\":true");
        }
        return b.append('}').toString();
    }

    private static boolean isInteger(double d) {
        return !Double.isNaN(d) && !Double.isInfinite(d) && d == Math.floor(d);
    }
}
