package dev.extstorage.browser;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.Limits;
import dev.extstorage.model.Paging;
import dev.extstorage.model.StorageException;

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

    /** The body of a PUT (SPEC section 3): the value's JSON text and, if {@code ttl > 0}, the TTL. */
    static String putBody(String valueJson, long ttl) {
        StringBuilder b = new StringBuilder(valueJson.length() + 32).append("{\"value\":").append(valueJson);
        if (ttl > 0) {
            b.append(",\"ttl\":").append(ttl);
        }
        return b.append('}').toString();
    }

    private static boolean isInteger(double d) {
        return !Double.isNaN(d) && !Double.isInfinite(d) && d == Math.floor(d);
    }
}
