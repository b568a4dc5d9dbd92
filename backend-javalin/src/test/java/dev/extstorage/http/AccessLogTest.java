package dev.extstorage.http;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.extstorage.config.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code EXT_STORAGE_ACCESS_LOG}: one line per request when on (never the value or the token), none when off. */
class AccessLogTest {
    private static final String TOKEN_MARK = "Bearer";
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger access = (Logger) LoggerFactory.getLogger("access");

    @BeforeEach
    void capture() {
        lines.start();
        access.addAppender(lines);
    }

    @AfterEach
    void release() {
        access.detachAppender(lines);
    }

    @Test
    void onLogsEachRequestWithoutItsValue() throws IOException {
        try (TestServer s = new TestServer(Map.of(ServerConfig.ACCESS_LOG, "true"))) {
            String url = TestServer.url("acme", "notes", "persistent", "logged-key");
            assertEquals(200, s.put(url, "alice", "{\"value\":\"value-never-logged\"}").status());
            assertEquals(404, s.get(TestServer.url("nobody", "none", "persistent", "absent"), "alice").status());
        }
        List<String> messages = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertTrue(messages.stream().anyMatch(m -> m.startsWith("method=PUT path=/api/v1/extensions/acme/notes/"
                + "storage/persistent/logged-key status=200 duration_us=")), messages.toString());
        assertTrue(messages.stream().anyMatch(m -> m.startsWith("method=GET ") && m.contains(" status=404 ")),
                messages.toString());
        assertFalse(messages.stream().anyMatch(m -> m.contains("value-never-logged") || m.contains(TOKEN_MARK)),
                messages.toString());
    }

    @Test
    void offByDefault() throws IOException {
        try (TestServer s = new TestServer(Map.of())) {
            String url = TestServer.url("acme", "notes", "persistent", "quiet-key");
            assertEquals(200, s.put(url, "alice", "{\"value\":1}").status());
            assertEquals(200, s.get(url, "alice").status());
        }
        assertEquals(List.of(), lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
    }
}
