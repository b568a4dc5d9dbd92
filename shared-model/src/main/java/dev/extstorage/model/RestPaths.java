package dev.extstorage.model;

/**
 * The REST path layout (SPEC section 3):
 * {@code /api/v1/extensions/{publisher}/{name}/storage/{tier}/{key}}, the key percent-encoded as one path
 * segment ({@code /} as {@code %2F}), {@code ?shared=true} for the shared scope.
 */
public final class RestPaths {
    public static final String EXTENSIONS_PATH = "/api/v1/extensions";
    /** The segment between an extension and its tiers: {@code .../{publisher}/{name}/storage/{tier}}. */
    public static final String STORAGE_SEGMENT = "storage";
    /** The segment of the route that mints an extension-bound token: {@code .../{publisher}/{name}/token}. */
    public static final String TOKEN_SEGMENT = "token";
    /** Query parameter selecting the shared scope ({@link Scope#fromSharedParam}). */
    public static final String SHARED_PARAM = "shared";
    /** Query parameters of a listing page ({@link Paging#parse}). */
    public static final String PAGE_PARAM = "page";
    public static final String PAGE_SIZE_PARAM = "page_size";
    /** Query parameter of a listing: only keys starting with it ({@link KeyPrefixes}). */
    public static final String PREFIX_PARAM = "prefix";
    /** The segment after {@code storage} of the usage route: {@code .../{publisher}/{name}/storage/usage}. */
    public static final String USAGE_SEGMENT = "usage";
    /** Every user-scoped entry of the caller, all extensions and server tiers (SPEC section 9). */
    public static final String ME_STORAGE_PATH = "/api/v1/me/storage";
    /** The administration routes (administrator role): extensions with data, purge, a user's erasure. */
    public static final String ADMIN_EXTENSIONS_PATH = "/api/v1/admin/extensions";
    public static final String ADMIN_USERS_PATH = "/api/v1/admin/users";
    public static final String ADMIN_RESOURCES_PATH = "/api/v1/admin/resources";

    private RestPaths() {
    }

    /**
     * {@code /api/v1/extensions/{publisher}/{name}/storage/{tier}}, the three segments put in as given: values
     * already fit for a URL, or the router's parameter placeholders (the server's route templates are built here,
     * by the same rule as the URLs).
     */
    public static String tierPath(String publisher, String name, String tier) {
        return EXTENSIONS_PATH + "/" + publisher + "/" + name + "/" + STORAGE_SEGMENT + "/" + tier;
    }

    /** {@code /api/v1/extensions/{publisher}/{name}/storage/usage}, the segments put in as {@link #tierPath} does. */
    public static String usagePath(String publisher, String name) {
        return tierPath(publisher, name, USAGE_SEGMENT);
    }

    /** {@code /api/v1/admin/extensions/{publisher}/{name}/storage}: purge of every server entry of one extension. */
    public static String adminStoragePath(String publisher, String name) {
        return ADMIN_EXTENSIONS_PATH + "/" + publisher + "/" + name + "/" + STORAGE_SEGMENT;
    }

    /** {@code /api/v1/admin/users/{userId}/storage}: erasure of one user's entries (the id percent-encoded). */
    public static String adminUserStoragePath(String userId) {
        return ADMIN_USERS_PATH + "/" + userId + "/" + STORAGE_SEGMENT;
    }

    /** {@code /api/v1/admin/resources/{type}/{uuid}/storage}: removal of every entry of one resource. */
    public static String adminResourceStoragePath(String type, String uuid) {
        return ADMIN_RESOURCES_PATH + "/" + type + "/" + uuid + "/" + STORAGE_SEGMENT;
    }

    /** Whether a storage path names the usage route rather than a tier. */
    public static boolean isUsage(StoragePath path) {
        return path != null && USAGE_SEGMENT.equals(path.tier()) && path.rawKey() == null;
    }

    /** {@code /api/v1/extensions/{publisher}/{name}/token}, the segments put in as {@link #tierPath} does. */
    public static String tokenPath(String publisher, String name) {
        return EXTENSIONS_PATH + "/" + publisher + "/" + name + "/" + TOKEN_SEGMENT;
    }

    /** The URL that mints a token bound to {@code extension} (SPEC section 12). */
    public static String tokenUrl(String apiBase, ExtensionId extension) {
        return trimTrailingSlashes(apiBase) + tokenPath(extension.publisher(), extension.name());
    }

    /**
     * The extension a raw request path belongs to, {@code /api/v1/extensions/{publisher}/{name}/...} with at
     * least one segment after the name, its two segments decoded; {@code null} for any other path (the list of
     * extensions itself included).
     */
    public static ExtensionPath extensionOf(String rawPath) {
        if (rawPath == null || !rawPath.startsWith(EXTENSIONS_PATH + "/")) {
            return null;
        }
        int start = EXTENSIONS_PATH.length() + 1;
        int afterPublisher = rawPath.indexOf('/', start);
        int afterName = afterPublisher < 0 ? -1 : rawPath.indexOf('/', afterPublisher + 1);
        if (afterName < 0) {
            return null;
        }
        String publisher = PercentEncoding.decode(rawPath.substring(start, afterPublisher));
        String name = PercentEncoding.decode(rawPath.substring(afterPublisher + 1, afterName));
        return publisher == null || name == null ? null : new ExtensionPath(publisher, name);
    }

    /** The publisher and name segments of a path under one extension, decoded but not yet checked. */
    public record ExtensionPath(String publisher, String name) {
        /** @throws StorageException {@link ErrorCode#EXTENSION_NOT_FOUND} if either part breaks the rule */
        public ExtensionId id() {
            return ExtensionId.of(publisher, name);
        }
    }

    /** {@code {apiBase}/api/v1/extensions/{publisher}/{name}/storage/{tier}}; {@code apiBase} may be empty. */
    public static String tierUrl(String apiBase, ExtensionId extension, Tier tier) {
        return trimTrailingSlashes(apiBase) + tierPath(extension.publisher(), extension.name(), tier.wireName());
    }

    /** {@code {apiBase}/api/v1/extensions/{publisher}/{name}/storage/events}: the change stream (SPEC section 8). */
    public static String eventsUrl(String apiBase, ExtensionId extension) {
        return trimTrailingSlashes(apiBase) + EXTENSIONS_PATH + "/" + extension.publisher() + "/" + extension.name()
                + "/storage/events";
    }

    /**
     * The URL of a batch of one tier and scope ({@code POST}, README "Batches"): the tier itself, which no key's
     * URL can be.
     */
    public static String batchUrl(String apiBase, ExtensionId extension, Tier tier, Scope scope) {
        String url = tierUrl(apiBase, extension, tier);
        return scope == Scope.SHARED ? url + "?" + SHARED_PARAM + "=true" : url;
    }

    /** The URL of one entry. */
    public static String keyUrl(String apiBase, ExtensionId extension, Tier tier, String key, Scope scope) {
        String url = tierUrl(apiBase, extension, tier) + "/" + PercentEncoding.encode(key);
        return scope == Scope.SHARED ? url + "?" + SHARED_PARAM + "=true" : url;
    }

    /**
     * {@code url} with the query parameters naming {@code resource} (SPEC section 10) appended; {@code url}
     * itself for {@code null} (a plain entry).
     */
    public static String withResource(String url, ResourceRef resource) {
        if (resource == null) {
            return url;
        }
        return url + (url.indexOf('?') < 0 ? "?" : "&") + ResourceRef.TYPE_PARAM + "=" + resource.type() + "&"
                + ResourceRef.UUID_PARAM + "=" + resource.uuid();
    }

    /**
     * The URL of one page of a tier's listing (SPEC section 9); the prefix ({@code ""}: none, then left out) is
     * percent-encoded, so its {@code %}, {@code &}, {@code +} and {@code #} reach the server as themselves.
     */
    public static String listUrl(String apiBase, ExtensionId extension, Tier tier, Scope scope, String prefix,
            long page, int pageSize) {
        return tierUrl(apiBase, extension, tier) + "?" + PAGE_PARAM + "=" + NumberText.decimal(page) + "&" + PAGE_SIZE_PARAM
                + "=" + NumberText.decimal(pageSize) + (prefix.isEmpty() ? "" : "&" + PREFIX_PARAM + "=" + PercentEncoding.encode(prefix))
                + (scope == Scope.SHARED ? "&" + SHARED_PARAM + "=true" : "");
    }

    /** {@code {apiBase}/api/v1/extensions/{publisher}/{name}/storage/usage}. */
    public static String usageUrl(String apiBase, ExtensionId extension) {
        return trimTrailingSlashes(apiBase) + usagePath(extension.publisher(), extension.name());
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
        if (!STORAGE_SEGMENT.equals(parts[5])) {
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

    /** Whether a raw path holds a {@code %} not followed by two hex digits (which no decoder can take). */
    public static boolean hasMalformedEscape(String rawPath) {
        for (int i = rawPath.indexOf('%'); i >= 0; i = rawPath.indexOf('%', i + 1)) {
            if (i + 2 >= rawPath.length() || !isHex(rawPath.charAt(i + 1)) || !isHex(rawPath.charAt(i + 2))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
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
