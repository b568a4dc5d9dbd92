package dev.extstorage.events;

import dev.extstorage.testing.TestServices;
import org.junit.jupiter.api.AfterAll;

import java.net.InetSocketAddress;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Against the PostgreSQL of {@code EXT_STORAGE_TEST_PG_URL}, a schema of its own per feed, dropped at the end. */
class PostgresChangeFeedTest extends ChangeFeedContract {
    private static final String RUN = "ext_storage_test_ev_" + UUID.randomUUID().toString().substring(0, 8);
    private static final List<String> SCHEMAS = new ArrayList<>();
    private String schema;

    @Override
    protected ChangeFeed newFeed(int retention) {
        schema = RUN + "_" + SCHEMAS.size();
        sql("CREATE SCHEMA " + schema);
        SCHEMAS.add(schema);
        return new PostgresChangeFeed(url(schema), retention);
    }

    @Override
    protected ChangeFeed peerFeed(int retention) {
        return new PostgresChangeFeed(url(schema), retention);
    }

    private static String url(String schema) {
        String base = TestServices.postgresUrl();
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    @org.junit.jupiter.api.Test
    void aPublishThatCannotBeRecordedIsCountedNotThrown() throws Exception {
        try (ChangeFeed down = new PostgresChangeFeed("jdbc:postgresql://127.0.0.1:1/none", 10)) {
            down.publish(write(user("alice"), "k", "1"));
            awaitFailures(down, 1);
        }
    }

    @Override
    protected InetSocketAddress engineAddress() {
        URI db = URI.create(TestServices.postgresUrl().substring("jdbc:".length()));
        return new InetSocketAddress(db.getHost(), db.getPort());
    }

    @Override
    protected ChangeFeed peerThrough(int port) {
        InetSocketAddress db = engineAddress();
        return new PostgresChangeFeed(url(schema).replace("//" + db.getHostString() + ":" + db.getPort() + "/",
                "//127.0.0.1:" + port + "/"), 100);
    }

    @AfterAll
    static void dropSchemas() {
        for (String s : SCHEMAS) {
            sql("DROP SCHEMA IF EXISTS " + s + " CASCADE");
        }
    }

    private static void sql(String statement) {
        try (Connection c = DriverManager.getConnection(TestServices.postgresUrl());
             Statement s = c.createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
