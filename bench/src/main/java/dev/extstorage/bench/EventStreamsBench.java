package dev.extstorage.bench;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Change-to-event latency with many open event streams on one server: opens {@code --streams} streams (one
 * user each, one selector thread reads them all), measures the server's resident memory before and after, then
 * writes {@code --events} shared changes one after another (every {@code --interval-ms}) and records, for every
 * stream and change, the time from sending the PUT to the change's frame arriving on that stream. Prints one
 * JSON line: p50/p99 in ms over all (stream, change) pairs, missing deliveries, and the VmRSS delta.
 *
 * <pre>java -cp bench.jar dev.extstorage.bench.EventStreamsBench --port P --secret S --pid PID</pre>
 */
public final class EventStreamsBench {
    private static final String EVENTS = "/api/v1/extensions/acme/notes/storage/events";
    private static final String KEY_PATH = "/api/v1/extensions/acme/notes/storage/ephemeral/";

    private EventStreamsBench() {
    }

    /** One stream's reading state: its text carried over between reads and the next change it waits for. */
    private static final class Stream {
        final SocketChannel channel;
        final StringBuilder text = new StringBuilder();
        boolean open;
        int next;

        Stream(SocketChannel channel) {
            this.channel = channel;
        }
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(arg(args, "--port", null));
        String secret = arg(args, "--secret", null);
        String pid = arg(args, "--pid", null);
        int streams = Integer.parseInt(arg(args, "--streams", "1000"));
        int events = Integer.parseInt(arg(args, "--events", "200"));
        long intervalMs = Long.parseLong(arg(args, "--interval-ms", "50"));

        long rssBefore = rssKib(pid);
        Selector selector = Selector.open();
        List<Stream> all = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            SocketChannel c = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
            String request = "GET " + EVENTS + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                    + "Authorization: Bearer " + token(secret, "bench-stream-" + i) + "\r\n\r\n";
            c.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1)));
            c.configureBlocking(false);
            Stream s = new Stream(c);
            c.register(selector, SelectionKey.OP_READ, s);
            all.add(s);
        }
        long[] sentAt = new long[events];
        Arrays.fill(sentAt, Long.MAX_VALUE);
        Latencies latencies = new Latencies();
        int[] opened = {0};
        int[] delivered = {0};
        Thread reader = new Thread(() -> readLoop(selector, sentAt, latencies, opened, delivered, streams * events));
        reader.setDaemon(true);
        reader.start();
        long deadline = System.currentTimeMillis() + 60_000;
        while (opened[0] < streams && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        Thread.sleep(2000);   // let the server settle before its memory is read
        long rssOpen = rssKib(pid);

        HttpClient http = HttpClient.newHttpClient();
        String writer = token(secret, "bench-writer");
        for (int e = 0; e < events; e++) {
            HttpRequest put = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + KEY_PATH + "m" + e
                            + "?shared=true"))
                    .header("Authorization", "Bearer " + writer).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"value\": {\"n\": " + e + "}, \"ttl\": 300}")).build();
            synchronized (sentAt) {
                sentAt[e] = System.nanoTime();
            }
            HttpResponse<String> r = http.send(put, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("PUT answered " + r.statusCode() + ": " + r.body());
            }
            Thread.sleep(intervalMs);
        }
        deadline = System.currentTimeMillis() + 30_000;
        while (delivered[0] < streams * events && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        long[] sorted;
        synchronized (latencies) {
            sorted = Latencies.merge(List.of(latencies));
        }
        Arrays.sort(sorted);
        for (Stream s : all) {
            s.channel.close();
        }
        selector.close();
        System.out.printf(Locale.ROOT, "{\"streams\": %d, \"streams_open\": %d, \"events\": %d, \"deliveries\": %d,"
                        + " \"missing\": %d, \"p50_ms\": %.2f, \"p99_ms\": %.2f, \"max_ms\": %.2f,"
                        + " \"rss_before_mb\": %.1f, \"rss_open_mb\": %.1f, \"rss_delta_mb\": %.1f}%n",
                streams, opened[0], events, sorted.length, (long) streams * events - sorted.length,
                Latencies.percentileMillis(sorted, 0.50), Latencies.percentileMillis(sorted, 0.99),
                sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6,
                rssBefore / 1024.0, rssOpen / 1024.0, (rssOpen - rssBefore) / 1024.0);
    }

    private static void readLoop(Selector selector, long[] sentAt, Latencies latencies, int[] opened,
                                 int[] delivered, long expected) {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        try {
            while (selector.isOpen()) {
                selector.select(200);
                for (SelectionKey k : selector.selectedKeys()) {
                    Stream s = (Stream) k.attachment();
                    buf.clear();
                    int n = s.channel.read(buf);
                    if (n < 0) {
                        k.cancel();
                        continue;
                    }
                    long now = System.nanoTime();
                    s.text.append(new String(buf.array(), 0, n, StandardCharsets.ISO_8859_1));
                    if (!s.open && s.text.indexOf("HTTP/1.1 200") >= 0) {
                        s.open = true;
                        synchronized (opened) {
                            opened[0]++;
                        }
                    }
                    int at;
                    while ((at = s.text.indexOf("\"key\":\"m" + s.next + "\"")) >= 0) {
                        long sent;
                        synchronized (sentAt) {
                            sent = sentAt[s.next];
                        }
                        synchronized (latencies) {
                            latencies.add(now - sent);
                        }
                        synchronized (delivered) {
                            delivered[0]++;
                        }
                        s.next++;
                        s.text.delete(0, at + 8);
                    }
                    if (s.text.length() > 256) {
                        s.text.delete(0, s.text.length() - 64);   // a marker split between reads stays whole
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | RuntimeException e) {
            // the selector was closed at the end
        }
    }

    private static long rssKib(String pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** An HS256 token for {@code subject}, valid for an hour (the server's default checks). */
    private static String token(String secret, String subject) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        long exp = System.currentTimeMillis() / 1000 + 3600;
        String payload = b64.encodeToString(("{\"sub\":\"" + subject + "\",\"exp\":" + exp + "}")
                .getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = b64.encodeToString(mac.doFinal((header + "." + payload).getBytes(StandardCharsets.UTF_8)));
        return header + "." + payload + "." + signature;
    }

    private static String arg(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        if (fallback == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        return fallback;
    }
}
