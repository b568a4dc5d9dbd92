package dev.extstorage.http;

import dev.extstorage.testing.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.extstorage.http.SseClient.keys;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Change events across server instances: two servers sharing Redis (and PostgreSQL), and two sharing only
 * PostgreSQL, each deliver a change written on one to a stream open on the other, filtered, and resume on the
 * other with an id the first gave. Needs {@code EXT_STORAGE_TEST_REDIS_URL} and {@code EXT_STORAGE_TEST_PG_URL}.
 */
class EventsScaleOutTest {
    static String database;

    @BeforeAll
    static void createDatabase() throws Exception {
        TestServices.redisUrl();
        database = "events_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (var c = DriverManager.getConnection(TestServices.postgresUrl()); var st = c.createStatement()) {
            st.execute("CREATE DATABASE " + database);
        }
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        if (database != null) {
            try (var c = DriverManager.getConnection(TestServices.postgresUrl()); var st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }

    static String pgUrl() {
        URI u = URI.create(TestServices.postgresUrl().substring("jdbc:".length()));
        return "jdbc:postgresql://" + u.getHost() + ":" + u.getPort() + "/" + database + "?" + u.getQuery();
    }

    @Test
    void twoServersSharingRedisDeliverEachOthersChanges() throws Exception {
        Map<String, String> env = Map.of("EXT_STORAGE_REDIS_URL", TestServices.redisUrl(),
                "EXT_STORAGE_REDIS_PREFIX", "it-events-" + UUID.randomUUID(), "EXT_STORAGE_DB_URL", pgUrl());
        try (TestServer one = new TestServer(env); TestServer two = new TestServer(env)) {
            assertEquals("redis", one.server.changes().engine());
            acrossInstances(one, two);
        }
    }

    @Test
    void twoServersSharingOnlyPostgresqlDeliverEachOthersChanges() throws Exception {
        Map<String, String> env = Map.of("EXT_STORAGE_DB_URL", pgUrl());
        try (TestServer one = new TestServer(env); TestServer two = new TestServer(env)) {
            assertEquals("postgresql", one.server.changes().engine());
            acrossInstances(one, two);
        }
    }

    private static void acrossInstances(TestServer one, TestServer two) throws Exception {
        String lastId;
        try (SseClient onTwo = SseClient.open(two, "acme", "notes", "alice", Map.of())) {
            one.put(EventsTest.eph("from-one", ""), "alice", "{\"value\": 1, \"ttl\": 60}");
            one.put(EventsTest.per("bobs", ""), "bob", "{\"value\": 1}");
            one.put(TestServer.url("globex", "todo", "persistent", "x") + "?shared=true", "alice", "{\"value\": 1}");
            one.put(EventsTest.per("marker", "?shared=true"), "bob", "{\"value\": 2}");
            assertEquals(List.of("from-one", "marker"), keys(onTwo.until("marker")));
            lastId = onTwo.lastId;
        }
        one.put(EventsTest.eph("missed", ""), "alice", "{\"value\": 3, \"ttl\": 60}");
        two.delete(EventsTest.per("marker", "?shared=true"), "carol");
        // resumed on the first instance with the id the second gave
        try (SseClient onOne = SseClient.open(one, "acme", "notes", "alice", Map.of("Last-Event-ID", lastId))) {
            two.put(EventsTest.eph("live", ""), "alice", "{\"value\": 4, \"ttl\": 60}");
            assertEquals(List.of("missed", "marker", "live"), keys(onOne.until("live")));
        }
    }
}
