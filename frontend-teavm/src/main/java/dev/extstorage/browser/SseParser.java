package dev.extstorage.browser;

/**
 * The {@code text/event-stream} format (WHATWG HTML, "server-sent events") read from pieces of text as they
 * arrive: lines end with CR, LF or CRLF (also split across pieces); {@code data} lines join with LF;
 * {@code event} names the type (default {@code message}); {@code id} sets the last event id, which stays
 * until the next {@code id}; comments ({@code :...}) and other fields are ignored; a blank line dispatches,
 * an event without data is dropped.
 */
final class SseParser {
    /** Receives each event. */
    interface Sink {
        void event(String type, String data);
    }

    private final Sink sink;
    private final StringBuilder line = new StringBuilder();
    private StringBuilder data;
    private String type;
    private String lastId;
    private boolean afterCr;

    SseParser(Sink sink, String lastId) {
        this.sink = sink;
        this.lastId = lastId;
    }

    /** The id of the last event (with an {@code id} field) so far, or the one given at construction. */
    String lastId() {
        return lastId;
    }

    void feed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (afterCr && c == '\n') {
                afterCr = false;
                continue;
            }
            afterCr = c == '\r';
            if (c == '\r' || c == '\n') {
                line(line.toString());
                line.setLength(0);
            } else {
                line.append(c);
            }
        }
    }

    private void line(String l) {
        if (l.isEmpty()) {
            if (data != null) {
                sink.event(type == null ? "message" : type, data.substring(0, data.length() - 1));
            }
            data = null;
            type = null;
            return;
        }
        int colon = l.indexOf(':');
        if (colon == 0) {
            return;
        }
        String field = colon < 0 ? l : l.substring(0, colon);
        int from = colon < 0 ? l.length() : colon + 1;
        if (from < l.length() && l.charAt(from) == ' ') {
            from++;
        }
        String value = l.substring(from);
        if (field.equals("data")) {
            (data == null ? data = new StringBuilder() : data).append(value).append('\n');
        } else if (field.equals("event")) {
            type = value;
        } else if (field.equals("id") && value.indexOf('\0') < 0) {
            lastId = value;
        }
    }
}
