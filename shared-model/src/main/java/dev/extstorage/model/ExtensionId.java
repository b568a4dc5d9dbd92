package dev.extstorage.model;

/**
 * An extension's identity: {@code publisher} and {@code name}, each 1-64 characters of {@code a-z 0-9 - _}
 * starting with a letter or a digit. Its id is {@code publisher.name}; neither part can hold a dot, so the id
 * splits back unambiguously.
 */
public final class ExtensionId {
    public static final int MAX_PART_LENGTH = 64;

    private final String publisher;
    private final String name;

    private ExtensionId(String publisher, String name) {
        this.publisher = publisher;
        this.name = name;
    }

    /**
     * Not an extension: what the server's per-user budgets (request rate) count the caller's requests across
     * extensions against ({@code /api/v1/me/storage}). Its id {@code .me} is never an extension's, whose
     * publisher is never empty.
     */
    public static final ExtensionId USER_ROUTES = new ExtensionId("", "me");

    /** @throws StorageException {@link ErrorCode#EXTENSION_NOT_FOUND} if either part breaks the rule */
    public static ExtensionId of(String publisher, String name) {
        if (!isValidPart(publisher) || !isValidPart(name)) {
            throw new StorageException(ErrorCode.EXTENSION_NOT_FOUND, "Extension not found");
        }
        return new ExtensionId(publisher, name);
    }

    /** Parses {@code publisher.name}. @throws StorageException as {@link #of} */
    public static ExtensionId parse(String id) {
        int dot = id == null ? -1 : id.indexOf('.');
        if (dot < 0) {
            throw new StorageException(ErrorCode.EXTENSION_NOT_FOUND, "Extension not found");
        }
        return of(id.substring(0, dot), id.substring(dot + 1));
    }

    /** Whether {@code part} is a valid publisher or name. */
    public static boolean isValidPart(String part) {
        if (part == null || part.isEmpty() || part.length() > MAX_PART_LENGTH) {
            return false;
        }
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            boolean letterOrDigit = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (!letterOrDigit && (i == 0 || (c != '-' && c != '_'))) {
                return false;
            }
        }
        return true;
    }

    public String publisher() {
        return publisher;
    }

    public String name() {
        return name;
    }

    /** {@code publisher.name} */
    public String id() {
        return publisher + "." + name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExtensionId && ((ExtensionId) o).publisher.equals(publisher)
                && ((ExtensionId) o).name.equals(name);
    }

    @Override
    public int hashCode() {
        return publisher.hashCode() * 31 + name.hashCode();
    }

    @Override
    public String toString() {
        return id();
    }
}
