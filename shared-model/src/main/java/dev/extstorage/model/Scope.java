package dev.extstorage.model;

/** Who can see an entry: only the user who wrote it, or every user of the extension. */
public enum Scope {
    USER("user"),
    SHARED("shared");

    private final String wireName;

    Scope(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in key layouts and database rows: {@code user} or {@code shared}. */
    public String wireName() {
        return wireName;
    }

    /**
     * The scope a {@code shared} query parameter selects: {@code true} in any letter case is {@link #SHARED};
     * any other value, or none ({@code null}), is {@link #USER}.
     */
    public static Scope fromSharedParam(String shared) {
        return shared != null && shared.equalsIgnoreCase("true") ? SHARED : USER;
    }
}
