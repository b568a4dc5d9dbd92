package dev.extstorage.model;

/** Where a value lives: in the browser ({@link #LOCAL}, {@link #SESSION}) or on the server. */
public enum Tier {
    LOCAL("local", false),
    SESSION("session", false),
    EPHEMERAL("ephemeral", true),
    PERSISTENT("persistent", true);

    private final String wireName;
    private final boolean server;

    Tier(String wireName, boolean server) {
        this.wireName = wireName;
        this.server = server;
    }

    /** The name used in REST paths and in the browser API: {@code local}, {@code ephemeral}... */
    public String wireName() {
        return wireName;
    }

    public boolean isServer() {
        return server;
    }

    /** The server tier a REST path segment names, or {@code null} if it names none. */
    public static Tier serverTierFromPath(String segment) {
        if (EPHEMERAL.wireName.equals(segment)) {
            return EPHEMERAL;
        }
        if (PERSISTENT.wireName.equals(segment)) {
            return PERSISTENT;
        }
        return null;
    }
}
