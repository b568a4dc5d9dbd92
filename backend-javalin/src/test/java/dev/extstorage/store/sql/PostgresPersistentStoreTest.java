package dev.extstorage.store.sql;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.Limits;
import dev.extstorage.model.Paging;
import dev.extstorage.model.Precondition;
import dev.extstorage.store.Fixtures;
import dev.extstorage.store.PersistentStore;
import dev.extstorage.store.Quota;
import dev.extstorage.store.Stores;
import dev.extstorage.testing.TcpProxy;
import dev.extstorage.testing.TestServices;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static dev.extstorage.store.Fixtures.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs against the PostgreSQL of {@code EXT_STORAGE_TEST_PG_URL}, in a schema of its own, dropped at the end. */
class PostgresPersistentStoreTest extends PersistentStoreContract {
    private static final String SCHEMA = "ext_storage_test_" + UUID.randomUUID().toString().substring(0, 8);
    /** The database of {@link #databaseBeforeV5()}: a schema of its own, also dropped at the end. */
    private static final String SCHEMA_BEFORE_V5 = SCHEMA + "_v4";
    /** The database of {@link #databaseBeforeV12()}. */
    private static final String SCHEMA_BEFORE_V12 = SCHEMA + "_v11";

    @BeforeAll
    static void createSchema() throws Exception {
        sql("CREATE SCHEMA " + SCHEMA);
    }

    @AfterAll
    static void dropSchema() throws Exception {
        if (System.getenv("EXT_STORAGE_TEST_PG_URL") != null) {
            sql("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            sql("DROP SCHEMA IF EXISTS " + SCHEMA_BEFORE_V5 + " CASCADE");
            sql("DROP SCHEMA IF EXISTS " + SCHEMA_BEFORE_V12 + " CASCADE");
        }
    }

    private static void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(TestServices.postgresUrl());
             Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private static String url() {
        return url(SCHEMA);
    }

    private static String url(String schema) {
        String base = TestServices.postgresUrl();
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    @Override
    protected PersistentStore open() {
        return Stores.openPersistent(url(), 8);
    }

    @Override
    protected void reset() throws Exception {
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT to_regclass('storage_entry') IS NOT NULL")) {
            rs.next();
            if (rs.getBoolean(1)) {
                // the store of the test before migrated the schema to the end: every table is there
                s.execute("TRUNCATE storage_entry, extension_usage, namespace_usage, extension_secret");
            }
        }
    }

    @Override
    public String databaseBeforeV5() throws Exception {
        sql("DROP SCHEMA IF EXISTS " + SCHEMA_BEFORE_V5 + " CASCADE");
        sql("CREATE SCHEMA " + SCHEMA_BEFORE_V5);
        Flyway.configure().dataSource(url(SCHEMA_BEFORE_V5), null, null)
                .locations("classpath:db/migration/common", "classpath:db/migration/postgresql").target("4")
                .load().migrate();
        return url(SCHEMA_BEFORE_V5);
    }

    @Override
    public String databaseBeforeV12() throws Exception {
        sql("DROP SCHEMA IF EXISTS " + SCHEMA_BEFORE_V12 + " CASCADE");
        sql("CREATE SCHEMA " + SCHEMA_BEFORE_V12);
        Flyway.configure().dataSource(url(SCHEMA_BEFORE_V12), null, null)
                .locations("classpath:db/migration/common", "classpath:db/migration/postgresql").target("11")
                .load().migrate();
        return url(SCHEMA_BEFORE_V12);
    }

    /**
     * The bulk rows in three statements, as the writes would leave them (sizes by the entry cost rule, usage rows
     * the sums): 100,000 writes through the put function take minutes on a shared test database.
     */
    @Override
    public void putBulk(int total) throws Exception {
        String owner = "CASE WHEN n % 10 = 0 THEN '' ELSE 'user' || (n % 100) END";
        String rows = "SELECT 'bulk.data' AS ext, CASE WHEN n % 10 = 0 THEN 'shared' ELSE 'user' END AS scope, "
                + owner + " AS owner, encode(sha256(convert_to(" + owner + ", 'UTF8')), 'hex') AS owner_hash,"
                + " 'entry-' || n AS k, '{\"n\":' || n || '}' AS v, n FROM generate_series(0, " + (total - 1) + ") n";
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement()) {
            s.execute("INSERT INTO storage_entry (extension_id, scope, owner, owner_hash, entry_key, value_json,"
                    + " size_bytes, prev_size, created_at, updated_at, change_seq) SELECT ext, scope, owner, owner_hash,"
                    + " k, v, octet_length(k) + octet_length(v) + " + Limits.ENTRY_OVERHEAD_BYTES
                    + ", 0, 0, 0, n FROM (" + rows + ") r");
            s.execute("INSERT INTO namespace_usage (extension_id, scope, owner_hash, used_bytes, entry_count)"
                    + " SELECT extension_id, scope, owner_hash, SUM(size_bytes), COUNT(*) FROM storage_entry"
                    + " WHERE extension_id = 'bulk.data' GROUP BY extension_id, scope, owner_hash");
            s.execute("INSERT INTO extension_usage (extension_id, used_bytes) SELECT extension_id, SUM(size_bytes)"
                    + " FROM storage_entry WHERE extension_id = 'bulk.data' GROUP BY extension_id");
        }
    }

    @Override
    public String changeSeqBeforeV5(int n) {
        // V4's writes took change numbers from the sequence, which later writes go on with.
        return "nextval('storage_change_seq')";
    }

    @Test
    void storesValuesAsTextInTheTestSchema() throws Exception {
        assertEquals("postgresql", store.engine());
        try (Connection c = DriverManager.getConnection(TestServices.postgresUrl()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT data_type FROM information_schema.columns WHERE table_schema = '"
                     + SCHEMA + "' AND table_name = 'storage_entry' AND column_name = 'value_json'")) {
            rs.next();
            assertEquals("text", rs.getString(1));
        }
    }

    @Test
    void aServerOfThePreviousReleaseStillWritesWithAFreshVersion() throws Exception {
        // During a rolling upgrade, instances of the previous release call V7's 10-argument ext_storage_put.
        String version = store.set(user("alice"), "k", "1", NO_QUOTA);
        EntryDao.Ref ref = EntryRefs.ref(user("alice"), "k");
        try (Connection c = DriverManager.getConnection(url());
             var ps = c.prepareStatement("SELECT ext_storage_put(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            // its arguments: the row without a resource (V12 keeps this signature for plain entries)
            ps.setString(1, ref.ext());
            ps.setString(2, ref.scope());
            ps.setString(3, ref.owner());
            ps.setString(4, ref.ownerHash());
            ps.setString(5, ref.key());
            ps.setString(6, "22");
            ps.setLong(7, Fixtures.cost("k", "22"));
            ps.setLong(8, System.currentTimeMillis());
            ps.setLong(9, Long.MAX_VALUE);
            ps.setLong(10, Long.MAX_VALUE);
            ps.executeQuery().close();
        }
        String written = store.getEntry(user("alice"), "k").version();
        assertTrue(written.matches("p[0-9a-f]{15}"), written);
        assertEquals("22", store.get(user("alice"), "k"));
        assertEquals(Fixtures.cost("k", "22"), store.usage(user("alice")).bytes());
        Fixtures.assertCode(ErrorCode.PRECONDITION_FAILED,
                () -> store.set(user("alice"), "k", "3", NO_QUOTA, Precondition.ifVersion(version)));
    }

    @Test
    void upgradesADatabaseWrittenByTheFirstSchemaKeepingOrderAndUsage() throws Exception {
        // A deployment that ran only V1 (change_seq from extension_usage.last_seq) must keep listing newest
        // change first and counting usage exactly after the later migrations.
        String schema = SCHEMA + "_v1";
        String url = TestServices.postgresUrl() + (TestServices.postgresUrl().contains("?") ? "&" : "?")
                + "currentSchema=" + schema;
        sql("CREATE SCHEMA " + schema);
        try {
            Flyway.configure().dataSource(url, null, null)
                    .locations("classpath:db/migration/common").target("1").load().migrate();
            String owner = user("alice").ownerStorageForm();
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                for (int i = 1; i <= 3; i++) {
                    s.execute("INSERT INTO storage_entry VALUES ('" + Fixtures.NOTES.id() + "', 'user', '" + owner
                            + "', '" + EntryRefs.sha256Hex(owner) + "', 'old" + i + "', '1', 5, 0, 0, "
                            + (100 + i) + ")");
                }
                s.execute("INSERT INTO extension_usage VALUES ('" + Fixtures.NOTES.id() + "', 15, 103)");
            }
            try (PersistentStore upgraded = Stores.openPersistent(url, 2)) {
                // V5 added the per-entry overhead to the three old rows of 5 bytes.
                assertEquals(3 * (5 + 512), upgraded.usedBytes(Fixtures.NOTES));
                upgraded.set(user("alice"), "new", "2", NO_QUOTA);
                upgraded.set(user("alice"), "old1", "11", NO_QUOTA);
                assertEquals(List.of("old1", "new", "old3", "old2"), Listings.list(upgraded, user("alice"),
                        Paging.of(0, 10)).keys());
                assertEquals(3 * (5 + 512) + (4 + 512) + 1, upgraded.usedBytes(Fixtures.NOTES));
                upgraded.remove(user("alice"), "old2");
                assertEquals(2 * (5 + 512) + (4 + 512) + 1, upgraded.usedBytes(Fixtures.NOTES));
                assertEquals(new PersistentStore.Usage(2 * (5 + 512) + (4 + 512) + 1, 3),
                        upgraded.usage(user("alice")));
            }
        } finally {
            sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Test
    void unreachableDatabaseFailsFastWithStoreUnavailable() {
        try (PersistentStore down = Stores.openPersistent(
                "jdbc:postgresql://127.0.0.1:1/extstorage_test?user=x&password=y", 2)) {
            assertFalse(down.isAvailable());
            Fixtures.assertFailsFast(ErrorCode.STORE_UNAVAILABLE, () -> down.get(user("alice"), "k"));
            Fixtures.assertFailsFast(ErrorCode.STORE_UNAVAILABLE,
                    () -> down.set(user("alice"), "k", "1", Quota.ofExtension(10)));
            Fixtures.assertFailsFast(ErrorCode.STORE_UNAVAILABLE, () -> down.remove(user("alice"), "k"));
            Fixtures.assertFailsFast(ErrorCode.STORE_UNAVAILABLE,
                    () -> Listings.list(down, user("alice"), Paging.of(0, 10)));
            Fixtures.assertFailsFast(ErrorCode.STORE_UNAVAILABLE, () -> down.usage(user("alice")));
            Fixtures.assertFailsFast(ErrorCode.STORE_UNAVAILABLE, () -> down.usedBytes(Fixtures.NOTES));
        }
    }

    @Test
    void startsWhileTheDatabaseIsDownAndRecoversByItself() throws Exception {
        URI target = URI.create(TestServices.postgresUrl().substring("jdbc:".length()));
        try (TcpProxy proxy = new TcpProxy(target.getHost(), target.getPort())) {
            String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + target.getRawPath() + "?"
                    + target.getRawQuery() + "&currentSchema=" + SCHEMA;
            try (PersistentStore viaProxy = Stores.openPersistent(url, 2)) {
                assertFalse(viaProxy.isAvailable());
                Fixtures.assertFailsFast(ErrorCode.STORE_UNAVAILABLE, () -> viaProxy.get(user("alice"), "k"));
                proxy.up();
                viaProxy.set(user("alice"), "k", "1", NO_QUOTA);
                assertEquals("1", store.get(user("alice"), "k"));
                proxy.down();
                Fixtures.assertFailsFast(ErrorCode.STORE_UNAVAILABLE, () -> viaProxy.get(user("alice"), "k"));
                proxy.up();
                assertTrue(Fixtures.eventually(Duration.ofSeconds(10), viaProxy::isAvailable));
                assertEquals("1", viaProxy.get(user("alice"), "k"));
            }
        }
    }
}
