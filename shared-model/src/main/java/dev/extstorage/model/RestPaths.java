package dev.extstorage.model;

/**
 * The REST path layout (SPEC section 3):
 * {@code /api/v1/extensions/{publisher}/{name}/storage/{tier}/{key}}, the key percent-encoded as one path
 * segment ({@code /} as {@code %2F}), {@code ?shared=true} for the shared scope.
 */
public final class RestPaths {
    public static final String EXTENSIONS_PATH = "/api/v1/extensions";

    private RestPaths() {
    }

    /** {@code {apiBase}/api/v1/extensions/{publisher}/{name}/storage/{tier}}; {@code apiBase} may be empty. */
    public static String tierUrl(String apiBase, ExtensionId extension, Tier tier) {
        return trimTrailingSlashes(apiBase) + EXTENSIONS_PATH + "/" + extension.publisher() + "/" + extension.name()
                + "/storage/" + tier.wireName();
    }

    /** {@code {apiBase}/api/v1/extensions/{publisher}/{name}/storage/events}: the change stream (SPEC section 8). */
    public static String eventsUrl(String apiBase, ExtensionId extension) {
        return trimTrailingSlashes(apiBase) + EXTENSIONS_PATH + "/" + extension.publisher() + "/" + extension.name()
                + "/storage/events";
    }

    /** The URL of one entry. */
    public static String keyUrl(String apiBase, ExtensionId extension, Tier tier, String key, Scope scope) {
        String url = tierUrl(apiBase, extension, tier) + "/" + PercentEncoding.encode(key);
        return scope == Scope.SHARED ? url + "?shared=true" : url;
    }

    /** The URL of one page of the persistent listing. */
    public static String listUrl(String apiBase, ExtensionId extension, Scope scope, long page, int pageSize) {
        return tierUrl(apiBase, extension, Tier.PERSISTENT) + "?page=" + page + "&page_size=" + pageSize
                + (scope == Scope.SHARED ? "&shared=true" : "");
    }

    /**
     * The key a raw (still percent-encoded) path segment names.
     *
     * @throws StorageException {@link ErrorCode#INVALID_KEY} if the segment is missing ({@code null}), is not
     *                          well-formed UTF-8 percent encoding, or the key breaks the key rule
     */
    public static String decodeKey(String rawSegment) {
        if (rawSegment == null) {
            return StorageKeys.requireValid(null);
        }
        String key = PercentEncoding.decode(rawSegment);
        if (key == null) {
            throw new StorageException(ErrorCode.INVALID_KEY, "Key is not well-formed percent-encoded UTF-8");
        }
        return StorageKeys.requireValid(key);
    }

    /**
     * The parts of a raw (still percent-encoded) request path under {@link #EXTENSIONS_PATH}:
     * {@code /api/v1/extensions/{publisher}/{name}/storage/{tier}[/{key}]}.
     *
     * @param publisher the publisher segment, decoded ({@code null} if it cannot be decoded)
     * @param name      the name segment, decoded ({@code null} if it cannot be decoded)
     * @param tier      the tier segment, decoded, or {@code null} when the path has no tier
     * @param rawKey    everything after the tier's slash, still encoded; {@code null} when there is no such slash
     */
    public record StoragePath(String publisher, String name, String tier, String rawKey) {
    }

    /** Segments of a storage path before the key: {@code api, v1, extensions, p, n, storage, tier}. */
    private static final int SEGMENTS_BEFORE_KEY = 7;

    /**
     * The storage path a raw request path names, or {@code null} if it is not one (fewer segments, or not under
     * {@code /api/v1/extensions/{p}/{n}/storage/}).
     */
    public static StoragePath parseStoragePath(String rawPath) {
        if (rawPath == null || !rawPath.startsWith(EXTENSIONS_PATH + "/")) {
            return null;
        }
        String[] parts = new String[SEGMENTS_BEFORE_KEY];
        int at = 0;
        for (int i = 0; i < SEGMENTS_BEFORE_KEY; i++) {
            int next = rawPath.indexOf('/', at + 1);
            if (next < 0) {
                if (i < SEGMENTS_BEFORE_KEY - 1) {
                    return null;
                }
                parts[i] = rawPath.substring(at + 1);
                return storagePath(parts, null);
            }
            parts[i] = rawPath.substring(at + 1, next);
            at = next;
        }
        return storagePath(parts, rawPath.substring(at + 1));
    }

    private static StoragePath storagePath(String[] parts, String rawKey) {
        if (!"storage".equals(parts[5])) {
            return null;
        }
        return new StoragePath(PercentEncoding.decode(parts[3]), PercentEncoding.decode(parts[4]),
                PercentEncoding.decode(parts[6]), rawKey);
    }

    /**
     * Whether a raw request path has a {@code .} or {@code ..} segment anywhere. Such a URL means something
     * else to every path-normalising proxy in front of the server than it would mean here, so it is refused
     * rather than taken literally; a percent-encoded dot ({@code %2E}) is a plain character of a key.
     */
    public static boolean hasDotSegment(String rawPath) {
        int start = 0;
        int n = rawPath.length();
        while (start <= n) {
            int end = rawPath.indexOf('/', start);
            if (end < 0) {
                end = n;
            }
            int length = end - start;
            if ((length == 1 || length == 2) && rawPath.charAt(start) == '.'
                    && (length == 1 || rawPath.charAt(start + 1) == '.')) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    private static String trimTrailingSlashes(String base) {
        if (base == null) {
            return "";
        }
        int end = base.length();
        while (end > 0 && base.charAt(end - 1) == '/') {
            end--;
        }
        return base.substring(0, end);
    }
}
