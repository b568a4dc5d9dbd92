package dev.extstorage.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.extstorage.model.RestPaths;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A test client of the event stream: parses frames as the SSE rules say (lines, {@code id:}, {@code event:},
 * {@code data:}, comments) on a thread of its own, and keeps the last id like {@code EventSource}.
 */
final class SseClient implements AutoCloseable {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One frame; {@code comment} frames carry their text in {@code data}. */
    record Frame(String id, String event, String data, boolean comment, long receivedNanos) {
        JsonNode json() {
            try {
                return TestServer.JSON.readTree(data);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + data, e);
            }
        }

        String key() {
            return "change".equals(event) ? json().path("key").asText() : event;
        }
    }

    final HttpResponse<InputStream> response;
    private final LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final Thread reader;
    volatile String lastId;
    volatile boolean ended;

    private SseClient(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = new Thread(this::read, "test-sse-client");
        reader.setDaemon(true);
        if (response.statusCode() == 200) {
            reader.start();
        }
    }

    static SseClient open(TestServer server, String publisher, String name, String user, Map<String, String> headers) {
        return open(server, RestPaths.tierPath(publisher, name, "events"), user, headers);
    }

    static SseClient open(TestServer server, String path, String user, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.base() + path))
                .header("Accept", "text/event-stream");
        if (user != null) {
            b.header("Authorization", "Bearer " + TestServer.token(user));
        }
        headers.forEach(b::header);
        try {
            return new SseClient(CLIENT.send(b.GET().build(), HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    int status() {
        return response.statusCode();
    }

    /** The body of a refused request (not a stream). */
    TestServer.Response refusal() throws IOException {
        return new TestServer.Response(status(), new String(response.body().readAllBytes(), StandardCharsets.UTF_8),
                null);
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String id = null;
            String event = null;
            StringBuilder data = null;
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (id != null) {
                        lastId = id;
                    }
                    if (data != null || id != null) {
                        frames.add(new Frame(id, event == null ? "message" : event,
                                data == null ? null : data.toString(), false, System.nanoTime()));
                    }
                    id = null;
                    event = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    frames.add(new Frame(null, null, line.substring(1).trim(), true, System.nanoTime()));
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    String d = line.substring(5);
                    d = d.startsWith(" ") ? d.substring(1) : d;
                    data = data == null ? new StringBuilder(d) : data.append('\n').append(d);
                }
            }
        } catch (IOException e) {
            // closed by the test or the server
        } finally {
            ended = true;
        }
    }

    /** Frames with an event (change or reset) up to and including the first whose key is {@code key}; 15 s at most. */
    List<Frame> until(String key) throws InterruptedException {
        List<Frame> out = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            long left = deadline - System.nanoTime();
            Frame f = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
            if (f == null) {
                fail("no event '" + key + "' within 15 s; got " + out);
            }
            if (f.comment() || f.data() == null) {
                continue;
            }
            out.add(f);
            if (key.equals(f.key())) {
                return out;
            }
        }
    }

    /** The next frame of any kind (comments, id-only frames too); 15 s at most. */
    Frame next() throws InterruptedException {
        Frame f = frames.poll(15, TimeUnit.SECONDS);
        if (f == null) {
            fail("no frame within 15 s");
        }
        return f;
    }

    static List<String> keys(List<Frame> frames) {
        return frames.stream().map(Frame::key).toList();
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException e) {
            // already closed
        }
        reader.interrupt();
    }
}
