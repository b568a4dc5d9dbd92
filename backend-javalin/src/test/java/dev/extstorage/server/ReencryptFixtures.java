package dev.extstorage.server;

import dev.extstorage.api.StorageService;
import dev.extstorage.crypto.ValueCipher;
import dev.extstorage.model.Limits;
import dev.extstorage.model.Precondition;
import dev.extstorage.model.StoredValues;
import dev.extstorage.model.Utf8;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static dev.extstorage.server.ReencryptContract.DASHBOARD;
import static dev.extstorage.server.ReencryptContract.NOTES;
import static dev.extstorage.server.ReencryptContract.TODO;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The data {@link ReencryptContract} re-encrypts, and what it reads of the database to check a run. */
final class ReencryptFixtures {
    private ReencryptFixtures() {
    }

    /** {@value ReencryptContract#ENTRIES} encrypted entries (user, shared, a resource's, another extension's), one plain, {@value ReencryptContract#SECRETS} secrets. */
    static void fill(StorageService s) {
        var alice = s.forUser(NOTES, "alice", Set.of()).persistent();
        for (int i = 1; i <= 5; i++) {
            alice.setEncrypted("e" + i, "value-" + i, Precondition.NONE);
        }
        alice.shared().setEncrypted("s1", "shared-value", Precondition.NONE);
        alice.forResource(DASHBOARD).setEncrypted("r1", "resource-value", Precondition.NONE);
        s.forUser(TODO, "alice", Set.of()).persistent().setEncrypted("t1", "todo-value", Precondition.NONE);
        alice.set("plain", "plain-value");
        s.forExtension(NOTES).secrets().set("sec1", "secret-1");
        s.forExtension(NOTES).secrets().forUser("alice").set("sec2", "secret-2".getBytes(StandardCharsets.UTF_8));
        s.forExtension(TODO).secrets().set("sec3", "secret-3");
    }

    /** Every value {@link #fill} wrote reads back through {@code s} ({@code changed}: keys a test rewrote). */
    static void assertEveryValueReads(StorageService s, Map<String, String> changed) {
        var alice = s.forUser(NOTES, "alice", Set.of()).persistent();
        for (int i = 1; i <= 5; i++) {
            assertEquals(changed.getOrDefault("e" + i, "value-" + i), alice.get("e" + i, String.class));
        }
        assertEquals(changed.getOrDefault("s1", "shared-value"), alice.shared().get("s1", String.class));
        assertEquals(changed.getOrDefault("r1", "resource-value"), alice.forResource(DASHBOARD).get("r1", String.class));
        assertEquals(changed.getOrDefault("t1", "todo-value"),
                s.forUser(TODO, "alice", Set.of()).persistent().get("t1", String.class));
        assertEquals("plain-value", alice.get("plain", String.class));
        assertEquals(changed.getOrDefault("sec1", "secret-1"), s.forExtension(NOTES).secrets().getString("sec1"));
        assertEquals("secret-2", new String(s.forExtension(NOTES).secrets().forUser("alice").getBytes("sec2"),
                StandardCharsets.UTF_8));
        assertEquals("secret-3", s.forExtension(TODO).secrets().getString("sec3"));
    }

    /**
     * The key id every row holds in its {@code key_id} column, by table and key ({@code plain} for a plain
     * value), which must equal the id in its sealed text.
     */
    static Map<String, String> keyIds(String url) throws Exception {
        Map<String, String> ids = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(url); var s = c.createStatement()) {
            try (var rs = s.executeQuery("SELECT entry_key, value_json, key_id FROM storage_entry")) {
                while (rs.next()) {
                    String v = rs.getString(2);
                    String sealedWith = StoredValues.isEncrypted(v) ? ValueCipher.keyIdOf(StoredValues.envelopeOf(v)) : null;
                    assertEquals(sealedWith, rs.getString(3), "key_id of " + rs.getString(1));
                    ids.put("entry " + rs.getString(1), sealedWith == null ? "plain" : sealedWith);
                }
            }
            try (var rs = s.executeQuery("SELECT secret_key, key_id, sealed FROM extension_secret")) {
                while (rs.next()) {
                    assertEquals(rs.getString(2), ValueCipher.keyIdOf(rs.getString(3)), rs.getString(1));
                    ids.put("secret " + rs.getString(1), rs.getString(2));
                }
            }
        }
        return ids;
    }

    /** Every row of the tables reencrypt may touch, all columns, as text. */
    static List<String> snapshot(String url) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); var s = c.createStatement()) {
            for (String table : List.of("storage_entry", "extension_secret", "namespace_usage", "extension_usage")) {
                try (var rs = s.executeQuery("SELECT * FROM " + table)) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        StringBuilder b = new StringBuilder(table);
                        for (int i = 1; i <= n; i++) {
                            b.append('|').append(rs.getString(i));
                        }
                        rows.add(b.toString());
                    }
                }
            }
        }
        rows.sort(null);
        return rows;
    }

    /** Each entry's size is its cost, each usage figure (the sum over its rows, V15) the sum of its entries' sizes. */
    static void assertSizesAndUsageMatchTheRows(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url); var st = c.createStatement()) {
            try (var rs = st.executeQuery("SELECT entry_key, value_json, size_bytes FROM storage_entry")) {
                while (rs.next()) {
                    assertEquals(Limits.entryCost(Utf8.length(rs.getString(1)), Utf8.length(rs.getString(2))),
                            rs.getLong(3), rs.getString(1));
                }
            }
            try (var rs = st.executeQuery("SELECT SUM(u.used_bytes), (SELECT SUM(e.size_bytes) FROM storage_entry e"
                    + " WHERE e.extension_id = u.extension_id AND e.scope = u.scope AND e.owner_hash = u.owner_hash)"
                    + " FROM namespace_usage u GROUP BY u.extension_id, u.scope, u.owner_hash")) {
                while (rs.next()) {
                    assertEquals(rs.getLong(2), rs.getLong(1));
                }
            }
            try (var rs = st.executeQuery("SELECT SUM(u.used_bytes), (SELECT SUM(e.size_bytes) FROM storage_entry e"
                    + " WHERE e.extension_id = u.extension_id) FROM extension_usage u GROUP BY u.extension_id")) {
                while (rs.next()) {
                    assertEquals(rs.getLong(2), rs.getLong(1));
                }
            }
        }
    }
}
