package dev.extstorage.http;

import dev.extstorage.config.ServerConfig;
import dev.extstorage.model.Limits;
import dev.extstorage.model.RestPaths;
import dev.extstorage.model.StoredValues;
import dev.extstorage.model.Utf8;
import dev.extstorage.testing.PgDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static dev.extstorage.http.EncryptionAtRestTest.OLD;
import static dev.extstorage.http.EncryptionAtRestTest.PLAIN;
import static dev.extstorage.http.EncryptionAtRestTest.encrypted;
import static dev.extstorage.http.EncryptionAtRestTest.url;
import static dev.extstorage.http.RestApiTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Encryption at rest on real PostgreSQL (SPEC section 10), in a database of its own: no table holds a
 * plaintext in any column (nor the relation file, when the test can read it), a rotated ring reads every value,
 * a row moved to another owner answers a clear JSON error, and the quota counts the sealed bytes.
 */
class EncryptionAtRestPostgresTest {
    /** Where a readable data directory is given when the test's role may not ask for it (optional). */
    static final String PG_DATA_ENV = "EXT_STORAGE_TEST_PG_DATA";

    @RegisterExtension
    static final TestServer server = TestServer.perClassOnPostgres(Map.of(ServerConfig.ENCRYPTION_KEYS, OLD));

    void sql(String statement) throws Exception {
        try (var c = server.db.connect(); var s = c.createStatement()) {
            s.executeUpdate(statement);
        }
    }

    /** Every row of {@code table} as PostgreSQL writes the whole row as text ({@code SELECT t::text}). */
    static List<String> rowsAsText(PgDatabase db, String table) throws Exception {
        List<String> rows = new ArrayList<>();
        try (var c = db.connect(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT t::text FROM " + table + " t")) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    /** Every table of the database's public schema. */
    static List<String> tables(PgDatabase db) throws Exception {
        List<String> tables = new ArrayList<>();
        try (var c = db.connect(); var s = c.createStatement(); var rs = s.executeQuery(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                        + " AND table_type = 'BASE TABLE'")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        return tables;
    }

    /**
     * After a {@code CHECKPOINT} (so the table's pages are in its file), the relation file of {@code table} holds
     * no byte sequence of {@code plain}. Only where the test may: {@code CHECKPOINT} needs a superuser or
     * {@code pg_checkpoint}, and the data directory must be known ({@code current_setting('data_directory')},
     * or {@value #PG_DATA_ENV}) and readable; otherwise the column check of {@link #rowsAsText} is all. The
     * file must hold the sealed texts ({@code v1.k1.}), so the check is known to read the table's pages.
     *
     * @return whether the file was checked
     */
    static boolean assertNotInRelationFile(PgDatabase db, String table, String plain) throws Exception {
        String dataDir = System.getenv(PG_DATA_ENV);
        String relative;
        try (var c = db.connect(); var s = c.createStatement()) {
            try {
                s.execute("CHECKPOINT");
            } catch (SQLException notAllowed) {
                System.out.println("[EncryptionAtRestPostgresTest] no CHECKPOINT allowed ("
                        + notAllowed.getMessage() + "): relation file not checked");
                return false;
            }
            try (var rs = s.executeQuery("SELECT pg_relation_filepath('" + table + "')")) {
                rs.next();
                relative = rs.getString(1);
            }
            if (dataDir == null) {
                try (var rs = s.executeQuery("SELECT current_setting('data_directory')")) {
                    rs.next();
                    dataDir = rs.getString(1);
                } catch (SQLException notAllowed) {
                    return false;
                }
            }
        }
        Path file = Path.of(dataDir, relative);
        if (!Files.isReadable(file)) {
            return false;
        }
        byte[] bytes = Files.readAllBytes(file);
        // the rows are in the file: their sealed texts are (a check that could not fail would prove nothing)
        assertTrue(EncryptionAtRestTest.indexOf(bytes, "v1.k1.".getBytes(StandardCharsets.US_ASCII)) >= 0,
                file + " holds no sealed text: not the table's pages");
        assertFalse(EncryptionAtRestTest.indexOf(bytes, plain.getBytes(StandardCharsets.UTF_8)) >= 0,
                file + " holds the plaintext");
        System.out.println("[EncryptionAtRestPostgresTest] relation file " + file + " (" + bytes.length
                + " bytes) holds no plaintext");
        return true;
    }

    @Test
    void noColumnOfAnyRowOfAnyTableHoldsThePlaintext() throws Exception {
        String base64 = Base64.getEncoder().encodeToString(("bin-" + PLAIN).getBytes(StandardCharsets.UTF_8));
        assertEquals(200, server.put(url("persistent", "pg"), "enc-pg", encrypted("{\"text\":\"" + PLAIN + "\"}")).status());
        assertEquals(200, server.put(url("persistent", "pg-shared") + "?shared=true", "enc-pg",
                encrypted("\"" + PLAIN + "\"")).status());
        assertEquals(200, server.put(url("persistent", "pg-bin"), "enc-pg",
                "{\"value\":\"" + base64 + "\",\"isBinary\":true,\"encrypt\":true}").status());
        assertEquals(PLAIN, server.get(url("persistent", "pg"), "enc-pg").json().at("/result/text").asText());
        try (var c = server.db.connect(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT value_json FROM storage_entry WHERE entry_key = 'pg'")) {
            assertTrue(rs.next());
            assertTrue(StoredValues.isEncrypted(rs.getString(1)), rs.getString(1));
        }
        List<String> tables = tables(server.db);
        assertTrue(tables.containsAll(List.of("storage_entry", "extension_secret")), tables.toString());
        int rows = 0;
        for (String table : tables) {
            for (String row : rowsAsText(server.db, table)) {
                rows++;
                assertFalse(row.contains(PLAIN) || row.contains(base64), table + ": " + row);
            }
        }
        assertTrue(rows >= 3);
        assertNotInRelationFile(server.db, "storage_entry", PLAIN);
    }

    @Test
    void aRotatedRingKeepsEveryValueReadable() {
        EncryptionAtRestTest.assertRotation(server, "enc-rot");
    }

    /**
     * A row moved to another owner does not decrypt: {@code 403 FORBIDDEN} as JSON, never a 500. Of the codes of
     * SPEC section 4 it is the closest: the caller is authenticated but the value is not theirs to read (it was
     * sealed for another extension, scope, user or key); {@code STORE_UNAVAILABLE} would tell a client to retry,
     * which cannot help, and no 400 code fits since the request itself is well-formed.
     */
    @Test
    void aRowMovedToAnotherOwnerAnswersForbiddenAsJson() throws Exception {
        assertEquals(200, server.put(url("persistent", "mv-src"), "enc-mv-carol", encrypted("\"" + PLAIN + "\"")).status());
        assertEquals(200, server.put(url("persistent", "mv-dst"), "enc-mv-dave", "{\"value\":\"mine\"}").status());
        sql("UPDATE storage_entry SET value_json = (SELECT value_json FROM storage_entry WHERE entry_key = 'mv-src')"
                + " WHERE entry_key = 'mv-dst'");
        var r = server.get(url("persistent", "mv-dst"), "enc-mv-dave");
        assertError(r, 403, "FORBIDDEN");
        assertTrue(r.json().get("message").asText().contains("decrypt"), r.body());
        assertError(server.get(RestPaths.tierPath("acme", "notes", "persistent"), "enc-mv-dave"), 403, "FORBIDDEN");
        assertEquals(PLAIN, server.get(url("persistent", "mv-src"), "enc-mv-carol").json().get("result").asText());
    }

    @Test
    void theQuotaCountsTheSealedBytes() throws Exception {
        String body = "\"" + PLAIN + "\"";
        assertEquals(200, server.put(url("persistent", "q"), "enc-q", encrypted(body)).status());
        String stored;
        try (var c = server.db.connect(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT value_json, size_bytes FROM storage_entry WHERE entry_key = 'q'")) {
            assertTrue(rs.next());
            stored = rs.getString(1);
            assertEquals(Limits.entryCost(1, Utf8.length(stored)), rs.getLong(2));
        }
        long sealedCost = Limits.entryCost(1, Utf8.length(stored));
        long usage = server.get(RestPaths.usagePath("acme", "notes"), "enc-q").json()
                .at("/result/persistent/userBytes").asLong();
        assertEquals(sealedCost, usage);
        // a user share that holds the plain value but not the sealed one
        long plainCost = Limits.entryCost(1, Utf8.length(body));
        try (TestServer small = new TestServer(Map.of(ServerConfig.DB_URL, server.db.url(), ServerConfig.ENCRYPTION_KEYS,
                OLD, ServerConfig.USER_QUOTA_BYTES, Long.toString(plainCost + 8)))) {
            assertEquals(200, small.put(url("persistent", "q"), "enc-q2", "{\"value\":" + body + "}").status());
            assertError(small.put(url("persistent", "q"), "enc-q2", encrypted(body)), 413, "QUOTA_EXCEEDED");
        }
    }

    @Test
    void aResourceEntryCopiedToAnotherResourceOrThePlainEntryDoesNotOpen() throws Exception {
        EncryptionAtRestTest.assertResourceBound(server, this::sql);
    }
}
