package dev.extstorage.model;

import java.util.List;

/**
 * The rules of a batch ({@code getMany}, {@code setMany}, {@code removeMany}), the same in the browser module and
 * on the server: at most {@value #MAX_KEYS} keys, each valid by the key rule ({@link StorageKeys}), none twice;
 * an empty batch is allowed and does nothing. The values of one batch together take at most the value limit
 * ({@link Limits#maxValueBytes()}), so a batch never makes a request hold more than one single write may.
 */
public final class Batches {
    /** The most keys one batch may name. */
    public static final int MAX_KEYS = 100;

    private Batches() {
    }

    /**
     * Returns {@code keys} if they make a valid batch.
     *
     * @throws StorageException {@link ErrorCode#INVALID_BODY} with {@code limit} {@value #MAX_KEYS} and the count
     *                          as {@code actual} for too many keys, {@code INVALID_BODY} for a key named twice,
     *                          {@link ErrorCode#INVALID_KEY} for a key breaking the key rule
     */
    public static List<String> requireValidKeys(List<String> keys) {
        if (keys == null) {
            throw new StorageException(ErrorCode.INVALID_BODY, "A batch needs a list of keys");
        }
        requireValidKeys(keys.toArray(new String[0]));
        return keys;
    }

    /**
     * The rule of {@link #requireValidKeys(List)} on an array, which the browser module uses: a {@code List}
     * there would bring TeaVM's collections (about 1 KB) into it.
     */
    public static String[] requireValidKeys(String[] keys) {
        requireCount(keys.length);
        // pairwise: at most MAX_KEYS keys, and a HashSet would bring TeaVM's hash map into the browser module
        for (int i = 0; i < keys.length; i++) {
            String key = keys[i];
            StorageKeys.requireValid(key);
            for (int j = 0; j < i; j++) {
                if (key.equals(keys[j])) {
                    throw duplicate(key);
                }
            }
        }
        return keys;
    }

    /** @throws StorageException {@code INVALID_BODY} above {@value #MAX_KEYS} entries */
    public static void requireCount(int count) {
        if (count > MAX_KEYS) {
            throw new StorageException(ErrorCode.INVALID_BODY, "A batch may hold at most " + MAX_KEYS
                    + " keys, got " + NumberText.decimal(count), MAX_KEYS, count);
        }
    }

    /** The refusal of a batch naming {@code key} twice. */
    public static StorageException duplicate(String key) {
        return new StorageException(ErrorCode.INVALID_BODY, "A batch must not name a key twice: '" + key + "'");
    }

    /**
     * A stored value's size as the value limit counts it: a binary value's decoded bytes ({@link StoredValues}),
     * any other its UTF-8 bytes.
     */
    public static long valueSize(String stored) {
        return StoredValues.isBinary(stored) ? StoredValues.decodedLength(StoredValues.base64Of(stored))
                : Utf8.length(stored);
    }

    /**
     * @param totalValueBytes the encoded values of the batch together
     * @throws StorageException {@link ErrorCode#VALUE_TOO_LARGE} if they take more than {@code maxValueBytes}
     */
    public static void requireTotal(long totalValueBytes, long maxValueBytes) {
        if (totalValueBytes > maxValueBytes) {
            throw new StorageException(ErrorCode.VALUE_TOO_LARGE, "The values of one batch take "
                    + NumberText.decimal(totalValueBytes) + " bytes together, above the limit of "
                    + NumberText.decimal(maxValueBytes),
                    maxValueBytes, totalValueBytes);
        }
    }
}
