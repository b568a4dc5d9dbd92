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
