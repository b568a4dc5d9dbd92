package dev.extstorage.model;

/**
 * The one resource (such as one dashboard) a persistent entry may be attached to (SPEC section 10, Superset's
 * {@code resource_type}/{@code resource_uuid}). Entries of a resource are separate from the plain entries of
 * their namespace and from every other resource's, whatever their keys.
 *
 * <p>Rules, the same in the browser module and the server: the type is 1-{@value #MAX_TYPE_LENGTH} characters of
 * {@code a-z 0-9 _ -}; the id is a UUID in its 8-4-4-4-12 hex form, any letter case, kept lower-case so one
 * resource has one form ({@link #uuid()}). Both or neither are given: one alone is a mistake, not a plain entry.
 * A broken rule is {@link ErrorCode#INVALID_QUERY} (over REST they are query parameters).
 */
public final class ResourceRef {
    public static final int MAX_TYPE_LENGTH = 64;
    /** The query parameters that carry a resource over REST. */
    public static final String TYPE_PARAM = "resource_type";
    public static final String UUID_PARAM = "resource_uuid";

    private final String type;
    private final String uuid;

    private ResourceRef(String type, String uuid) {
        this.type = type;
        this.uuid = uuid;
    }

    /** @throws StorageException {@link ErrorCode#INVALID_QUERY} if either breaks the rule */
    public static ResourceRef of(String type, String uuid) {
        if (!isValidType(type)) {
            throw new StorageException(ErrorCode.INVALID_QUERY, "resource_type must be 1-" + MAX_TYPE_LENGTH
                    + " characters of a-z 0-9 _ -");
        }
        if (!isUuid(uuid)) {
            throw new StorageException(ErrorCode.INVALID_QUERY,
                    "resource_uuid must be a UUID (8-4-4-4-12 hexadecimal digits)");
        }
        return new ResourceRef(type, lowerHex(uuid));
    }

    /**
     * A valid UUID with its letters (A-F only, {@link #isUuid}) in lower case: by hand, since
     * {@code toLowerCase(Locale.ROOT)} brings TeaVM's locale tables into the browser module.
     */
    private static String lowerHex(String uuid) {
        char[] out = new char[uuid.length()];
        for (int i = 0; i < out.length; i++) {
            char c = uuid.charAt(i);
            out[i] = c >= 'A' && c <= 'F' ? (char) (c + ('a' - 'A')) : c;
        }
        return new String(out);
    }

    /**
     * The resource two optional parameters name: {@code null} when neither is given (a plain entry).
     *
     * @throws StorageException {@link ErrorCode#INVALID_QUERY} if only one is given, or as {@link #of}
     */
    public static ResourceRef fromParams(String type, String uuid) {
        if (type == null && uuid == null) {
            return null;
        }
        if (type == null || uuid == null) {
            throw new StorageException(ErrorCode.INVALID_QUERY,
                    "resource_type and resource_uuid go together: give both or neither");
        }
        return of(type, uuid);
    }

    public static boolean isValidType(String type) {
        if (type == null || type.isEmpty() || type.length() > MAX_TYPE_LENGTH) {
            return false;
        }
        for (int i = 0; i < type.length(); i++) {
            char c = type.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    public static boolean isUuid(String s) {
        if (s == null || s.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (dash ? c != '-' : !hex) {
                return false;
            }
        }
        return true;
    }

    public String type() {
        return type;
    }

    /** The id, lower-case. */
    public String uuid() {
        return uuid;
    }

    /**
     * {@code type/uuid}: how stores keep the resource (the type cannot hold {@code /}, so it splits back);
     * at most 101 characters.
     */
    public String storageForm() {
        return type + "/" + uuid;
    }

    /** The resource a {@link #storageForm()} names. @throws StorageException as {@link #of} */
    public static ResourceRef parseStorageForm(String form) {
        int slash = form.indexOf('/');
        if (slash < 0) {
            throw new StorageException(ErrorCode.INVALID_QUERY, "Not a resource: " + form);
        }
        return of(form.substring(0, slash), form.substring(slash + 1));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResourceRef r && r.type.equals(type) && r.uuid.equals(uuid);
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + uuid.hashCode();
    }

    @Override
    public String toString() {
        return storageForm();
    }
}
