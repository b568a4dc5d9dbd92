package dev.extstorage.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * 2 extensions x 2 users x 2 scopes x 2 tiers: 16 writes of the same key, each read back by every
 * (extension, user, scope, tier) and seen exactly where it should be: its own cell, and for shared cells also
 * the other user's view.
 */
class IsolationMatrixTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();
    static final String[][] EXTENSIONS = {{"acme", "notes"}, {"globex", "todo"}};
    // "a" and "a:b" are the classic pair a naive "user:key" layout would mix up
    static final String[] USERS = {"a", "a:b"};
    static final String[] TIERS = {"ephemeral", "persistent"};
    static final boolean[] SHARED = {false, true};

    record Cell(int ext, int user, int tier, boolean shared) {
        String path() {
            return TestServer.url(EXTENSIONS[ext][0], EXTENSIONS[ext][1], TIERS[tier], "same%3Akey") + (shared ? "?shared=true" : "");
        }

        String label() {
            return ext + "/" + user + "/" + tier + "/" + shared;
        }
    }

    @Test
    void everyWriteIsSeenOnlyWhereItBelongs() {
        List<Cell> cells = new ArrayList<>();
        for (int e = 0; e < 2; e++) {
            for (int u = 0; u < 2; u++) {
                for (int t = 0; t < 2; t++) {
                    for (boolean s : SHARED) {
                        cells.add(new Cell(e, u, t, s));
                    }
                }
            }
        }
        assertEquals(16, cells.size());
        // shared cells are written by both users; the second write (user 1) wins
        for (Cell c : cells) {
            String body = "{\"value\": \"" + c.label() + "\", \"ttl\": 600}";
            assertEquals(200, server.put(c.path(), USERS[c.user], body).status(), c.label());
        }
        for (Cell reader : cells) {
            String expected = reader.shared
                    ? new Cell(reader.ext, 1, reader.tier, true).label()
                    : reader.label();
            String got = server.get(reader.path(), USERS[reader.user]).json().get("result").asText();
            assertEquals(expected, got, "reader " + reader.label());
        }
        // a delete in one cell leaves the other 15 alone
        Cell victim = cells.get(0);
        server.delete(victim.path(), USERS[victim.user]);
        for (Cell c : cells) {
            var result = server.get(c.path(), USERS[c.user]).json().get("result");
            assertEquals(c.equals(victim), result.isNull(), c.label());
        }
    }
}
