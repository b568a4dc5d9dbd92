package dev.extstorage.events;

/**
 * The position of an event in its feed: two numbers, ordered first by {@code major}, then by {@code minor},
 * written {@code major-minor}. Redis stream ids have this shape already; the in-process feed uses its start
 * time as {@code major} (so an id from an earlier process is never taken for one of this process), the
 * PostgreSQL feed {@code 0} and the row id. Clients treat the text as opaque.
 */
public record EventId(long major, long minor) implements Comparable<EventId> {
    /** Before every event of a feed. */
    public static final EventId ZERO = new EventId(0, 0);

    /** The id {@code text} names, or {@code null} if it is not of the form {@code <digits>-<digits>}. */
    public static EventId parse(String text) {
        if (text == null || text.length() > 41) {
            return null;
        }
        int dash = text.indexOf('-');
        if (dash <= 0 || dash == text.length() - 1) {
            return null;
        }
        try {
            long major = Long.parseLong(text, 0, dash, 10);
            long minor = Long.parseLong(text, dash + 1, text.length(), 10);
            return major < 0 || minor < 0 ? null : new EventId(major, minor);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public int compareTo(EventId o) {
        int c = Long.compare(major, o.major);
        return c != 0 ? c : Long.compare(minor, o.minor);
    }

    public boolean isAfter(EventId o) {
        return compareTo(o) > 0;
    }

    @Override
    public String toString() {
        return major + "-" + minor;
    }
}
