package dev.extstorage.server;

import dev.extstorage.api.JsonCodec;
import dev.extstorage.api.Quotas;
import dev.extstorage.api.Reencryption;
import dev.extstorage.api.StorageService;
import dev.extstorage.config.ServerConfig;
import dev.extstorage.crypto.KeyRing;
import dev.extstorage.crypto.Owner;
import dev.extstorage.crypto.ValueCipher;
import dev.extstorage.events.InProcessChangeFeed;
import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.Limits;
import dev.extstorage.model.ResourceRef;
import dev.extstorage.model.StoredValues;
import dev.extstorage.registry.ExtensionRegistry;
import dev.extstorage.store.EphemeralStore;
import dev.extstorage.store.Namespace;
import dev.extstorage.store.PersistentStore;
import dev.extstorage.store.Quota;
import dev.extstorage.store.SealedRows;
import dev.extstorage.store.Stores;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code reencrypt} ({@link ReencryptCommand}, {@link Reencryption}) on each persistent engine (a subclass per
 * engine, each test on an empty database of its own): rows sealed with k1, the ring becomes k2,k1, and after
 * the run no row carries k1 (the key id each row holds: the envelope of an entry's value, a secret's
 * {@code key_id} column and envelope), every value reads back, also once k1 has left the ring; a dry run
 * changes nothing; a write during the run is kept; usage follows the new sizes.
 */
abstract class ReencryptContract {
    static final ExtensionId NOTES = ExtensionId.of("acme", "notes");
    static final ExtensionId TODO = ExtensionId.of("globex", "todo");
    static final ResourceRef DASHBOARD = ResourceRef.of("dashboard", "11111111-1111-4111-8111-111111111111");
    static final String K1 = "k1:" + key(1);
    static final String K2 = "k2:" + key(2);
    static final String LONG_ID = "rotated-2027";
    static final String LONG = LONG_ID + ":" + key(3);
    /** Encrypted entries and secrets {@link ReencryptFixtures#fill} writes. */
    static final int ENTRIES = 8;
    static final int SECRETS = 3;

    PersistentStore store;
    private EphemeralStore ephemeral;
    private String url;

    /** A new empty database of this engine: its JDBC URL. */
    abstract String newDatabase() throws Exception;

    /** Drops what {@link #newDatabase} made (the store is closed). */
    abstract void dropDatabase() throws Exception;

    /** Another new database of this engine, migrated up to V13 (before the key-id column), dropped with the test's. */
    abstract String databaseAtV13() throws Exception;

    static void migrate(String url, String engineLocation, String target) {
        Flyway.configure().dataSource(url, null, null)
                .locations("classpath:db/migration/common", "classpath:db/migration/" + engineLocation)
                .target(target).load().migrate();
    }

    static String key(int fill) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) fill);
        return Base64.getEncoder().encodeToString(k);
    }

    @BeforeEach
    void open() throws Exception {
        url = newDatabase();
        store = Stores.openPersistent(url, 4);
        ephemeral = Stores.openEphemeral(null, "reencrypt-test", 1 << 20, 1);
    }

    @AfterEach
    void close() throws Exception {
        if (store != null) {
            store.close();
        }
        if (ephemeral != null) {
            ephemeral.close();
        }
        dropDatabase();
    }

    StorageService service(String ring) {
        return service(store, ring);
    }

    StorageService service(PersistentStore persistent, String ring) {
        return new StorageService(ExtensionRegistry.of(List.of(NOTES, TODO)), ephemeral, persistent,
                new Limits(3600, 1 << 20, 1L << 30), Quotas.defaults(), 10 << 20, null, new JsonCodec(),
                new InProcessChangeFeed(100), KeyRing.parse(ring));
    }

    record Run(int status, String out, String err) {
    }

    Run command(String ring, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = new HashMap<>(Map.of(ServerConfig.DB_URL, url));
        if (ring != null) {
            env.put(ServerConfig.ENCRYPTION_KEYS, ring);
        }
        int status = ReencryptCommand.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static void assertOnlyKey(Map<String, String> ids, String keyId) {
        long sealed = ids.values().stream().filter(id -> !id.equals("plain")).count();
        assertEquals(ENTRIES + SECRETS, sealed, ids.toString());
        ids.forEach((k, id) -> assertTrue(id.equals("plain") || id.equals(keyId), k + " has " + id + ": " + ids));
    }

    @Test
    void aDryRunChangesNothingAndTheRunLeavesNoRowOnTheOldKey() throws Exception {
        ReencryptFixtures.fill(service(K1));
        assertOnlyKey(ReencryptFixtures.keyIds(url), "k1");
        List<String> before = ReencryptFixtures.snapshot(url);
        Run dry = command(K2 + "," + K1, "--dry-run", "--batch=3");
        assertEquals(0, dry.status(), dry.err());
        assertTrue(dry.out().contains("entries " + ENTRIES + " with another key, " + ENTRIES + " would be re-encrypted"),
                dry.out());
        assertTrue(dry.out().contains("secrets " + SECRETS + " with another key, " + SECRETS + " would be"), dry.out());
        assertEquals(before, ReencryptFixtures.snapshot(url), "a dry run changes nothing");

        Run run = command(K2 + "," + K1, "--batch=3");
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("entries " + ENTRIES + " with another key, " + ENTRIES + " re-encrypted, 0 skipped"),
                run.out());
        assertTrue(run.out().contains("secrets " + SECRETS + " with another key, " + SECRETS + " re-encrypted"), run.out());
        assertOnlyKey(ReencryptFixtures.keyIds(url), "k2");
        ReencryptFixtures.assertEveryValueReads(service(K2 + "," + K1), Map.of());
        ReencryptFixtures.assertEveryValueReads(service(K2), Map.of());   // k1 may leave the ring now

        Run again = command(K2, "--batch=3");
        assertEquals(0, again.status(), again.err());
        assertTrue(again.out().contains("entries 0 with another key"), again.out());
    }

    @Test
    void versionsAndUsageFollowWhatIsStored() throws Exception {
        StorageService s = service(K1);
        ReencryptFixtures.fill(s);
        String version = s.forUser(NOTES, "alice", Set.of()).persistent().getEntry("e1").version();
        long usedBefore = store.usedBytes(NOTES);
        Reencryption.Result r = new Reencryption(store, KeyRing.parse(LONG + "," + K1)).run(false, 2);
        assertEquals(new Reencryption.Counts(ENTRIES, ENTRIES, 0, 0), r.entries());
        assertEquals(new Reencryption.Counts(SECRETS, SECRETS, 0, 0), r.secrets());
        assertOnlyKey(ReencryptFixtures.keyIds(url), LONG_ID);
        assertEquals(version, service(LONG).forUser(NOTES, "alice", Set.of()).persistent().getEntry("e1").version(),
                "the value did not change, nor its version");
        // acme.notes holds 7 of the encrypted entries; each envelope grew by the longer key id
        assertEquals(usedBefore + 7L * (LONG_ID.length() - 2), store.usedBytes(NOTES));
        ReencryptFixtures.assertSizesAndUsageMatchTheRows(url);
        ReencryptFixtures.assertEveryValueReads(service(LONG), Map.of());
    }

    @Test
    void aWriteDuringTheRunIsKept() throws Exception {
        ReencryptFixtures.fill(service(K1));
        StorageService rotated = service(K2 + "," + K1);
        Map<String, String> changed = new TreeMap<>();
        Set<SealedRows.Kind> written = EnumSet.noneOf(SealedRows.Kind.class);
        Reencryption.Result r = new Reencryption(store, KeyRing.parse(K2 + "," + K1)).run(false, 2, (kind, batch) -> {
            if (!written.add(kind)) {
                return;   // only the first batch of each kind
            }
            // a client writes the batch's first row between its read and its write-back
            SealedRows.Row row = batch.get(0);
            String value = "concurrent-" + row.key();
            ExtensionId ext = ExtensionId.parse(row.extension());
            if (kind == SealedRows.Kind.ENTRY) {
                Namespace ns = (row.scope().equals("user") ? Namespace.user(ext, row.owner()) : Namespace.shared(ext))
                        .forResource(row.resource().isEmpty() ? null : ResourceRef.parseStorageForm(row.resource()));
                store.set(ns, row.key(), "\"" + value + "\"", Quota.ofExtension(Long.MAX_VALUE));
            } else {
                var secrets = rotated.forExtension(ext).secrets();
                (row.scope().equals("user") ? secrets.forUser(row.owner()) : secrets).set(row.key(), value);
            }
            changed.put(row.key(), value);
        });
        assertEquals(2, changed.size(), changed.toString());
        assertEquals(new Reencryption.Counts(ENTRIES, ENTRIES - 1, 1, 0), r.entries());
        assertEquals(new Reencryption.Counts(SECRETS, SECRETS - 1, 1, 0), r.secrets());
        Map<String, String> ids = ReencryptFixtures.keyIds(url);
        ids.forEach((k, id) -> assertTrue(!id.equals("k1"), k + " still has k1: " + ids));
        ReencryptFixtures.assertEveryValueReads(service(K2), changed);
    }

    @Test
    void aRowThatDoesNotOpenIsCountedAndLeft() throws Exception {
        ReencryptFixtures.fill(service(K1));
        try (Connection c = DriverManager.getConnection(url); var st = c.createStatement()) {
            st.executeUpdate("UPDATE storage_entry SET value_json = (SELECT e.value_json FROM storage_entry e"
                    + " WHERE e.entry_key = 'e1') WHERE entry_key = 'e2'");
        }
        Run run = command(K2 + "," + K1);
        assertEquals(1, run.status(), run.out());
        assertTrue(run.err().contains("1 rows do not open"), run.err());
        assertEquals("k1", ReencryptFixtures.keyIds(url).get("entry e2"));
        assertEquals("k2", ReencryptFixtures.keyIds(url).get("entry e1"));
    }

    @Test
    void aValueSealedBeforeTheKeyIdColumnGetsItsIdAndIsReencrypted() throws Exception {
        String old = databaseAtV13();
        String owner = "alice";
        String sealed = StoredValues.encrypted(new ValueCipher(KeyRing.parse(K1))
                .seal("\"old-value\"", new Owner(NOTES.id(), "user", owner, "old")));
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(owner.getBytes(StandardCharsets.UTF_8)));
        long size = Limits.entryCost(3, sealed.length());
        try (Connection c = DriverManager.getConnection(old); var st = c.createStatement()) {
            st.executeUpdate("INSERT INTO storage_entry (extension_id, scope, owner, owner_hash, resource, entry_key,"
                    + " value_json, size_bytes, prev_size, created_at, updated_at, change_seq, entry_version) VALUES ('"
                    + NOTES.id() + "', 'user', '" + owner + "', '" + hash + "', '', 'old', '" + sealed + "', " + size
                    + ", 0, 1, 1, 1, 'v1')");
            st.executeUpdate("INSERT INTO namespace_usage VALUES ('" + NOTES.id() + "', 'user', '" + hash + "', "
                    + size + ", 1)");
            st.executeUpdate("INSERT INTO extension_usage VALUES ('" + NOTES.id() + "', " + size + ")");
        }
        try (PersistentStore upgraded = Stores.openPersistent(old, 2)) {
            assertEquals(List.of("k1"), upgraded.sealedRows().keyIds(SealedRows.Kind.ENTRY));
            Reencryption.Result r = new Reencryption(upgraded, KeyRing.parse(K2 + "," + K1)).run(false, 10);
            assertEquals(new Reencryption.Counts(1, 1, 0, 0), r.entries());
            assertEquals(List.of("k2"), upgraded.sealedRows().keyIds(SealedRows.Kind.ENTRY));
            assertEquals("old-value", service(upgraded, K2).forUser(NOTES, owner, Set.of()).persistent()
                    .get("old", String.class));
        }
    }

    @Test
    void withoutKeysTheCommandRefuses() {
        Run run = command(null);
        assertEquals(2, run.status());
        assertTrue(run.err().contains(ServerConfig.ENCRYPTION_KEYS), run.err());
        assertEquals(2, command(K1, "--batch=0").status());
    }
}
