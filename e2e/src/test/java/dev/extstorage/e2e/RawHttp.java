package dev.extstorage.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for what {@link java.net.http.HttpClient} refuses to send: raw dot segments,
 * bytes that are not valid in a URI or header, duplicate or lying framing headers. The request is sent as
 * given, the sending side is then shut down (so the server sees the end of the request even when a header
 * claims more), and every answer up to the server's close is read and parsed, within a deadline.
 */
final class RawHttp {
    private RawHttp() {
    }

    /** One parsed answer. {@code complete} is false when the connection ended inside it. */
    record Response(int status, String statusLine, Map<String, List<String>> headers, byte[] body, boolean complete) {
        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /**
     * What one connection gave: its answers in order (1xx interim answers left out), whether the deadline
     * passed first, whether the bytes could not be parsed as HTTP, the time taken and an I/O failure.
     */
    record Exchange(List<Response> responses, boolean timedOut, String unparsable, long nanos, String error,
                    int rawBytes) {
        Response first() {
            return responses.isEmpty() ? null : responses.get(0);
        }
    }

    /**
     * Sends {@code request} on a new connection to {@code 127.0.0.1:port} and reads until the server closes,
     * {@code timeoutMs} pass or {@code maxBytes} arrived. {@code head}: the (first) request is a HEAD, whose
     * answer has no body whatever its headers say.
     */
    static Exchange exchange(int port, byte[] request, int timeoutMs, int maxBytes, boolean head) {
        long start = System.nanoTime();
        long deadline = start + timeoutMs * 1_000_000L;
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        boolean timedOut = false;
        String error = null;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), Math.min(timeoutMs, 5000));
            socket.setSoTimeout(Math.max(1, timeoutMs));
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
                socket.shutdownOutput();
            } catch (IOException e) {
                // the server may answer and close while a large request is still being sent: read what it said
                error = "send: " + e;
            }
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[16384];
            while (received.size() < maxBytes) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    timedOut = true;
                    break;
                }
                socket.setSoTimeout((int) Math.max(1, left));
                int n;
                try {
                    n = in.read(buffer, 0, (int) Math.min(buffer.length, maxBytes - received.size()));
                } catch (SocketTimeoutException e) {
                    timedOut = true;
                    break;
                } catch (IOException e) {
                    // a reset after the answer (the server closed with unread request bytes): keep the answer
                    if (error == null) {
                        error = "receive: " + e;
                    }
                    break;
                }
                if (n < 0) {
                    break;
                }
                received.write(buffer, 0, n);
            }
        } catch (IOException e) {
            error = "connect: " + e;
        }
        byte[] bytes = received.toByteArray();
        List<Response> responses = new ArrayList<>();
        String unparsable = parse(bytes, head, responses);
        return new Exchange(responses, timedOut, unparsable, System.nanoTime() - start, error, bytes.length);
    }

    /** Parses every answer in {@code bytes} into {@code out}; the problem with the rest, or {@code null}. */
    static String parse(byte[] bytes, boolean head, List<Response> out) {
        int at = 0;
        boolean firstFinal = true;
        while (at < bytes.length) {
            int headEnd = indexOf(bytes, at, "\r\n\r\n");
            if (headEnd < 0) {
                return "answer head without an end (" + (bytes.length - at) + " bytes)";
            }
            String headText = new String(bytes, at, headEnd - at, StandardCharsets.ISO_8859_1);
            String[] lines = headText.split("\r\n");
            String statusLine = lines[0];
            if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
                return "not an HTTP status line: " + abbreviate(statusLine, 80);
            }
            int status;
            try {
                status = Integer.parseInt(statusLine.substring(9, 12));
            } catch (NumberFormatException e) {
                return "bad status in: " + abbreviate(statusLine, 80);
            }
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon <= 0) {
                    return "bad header line: " + abbreviate(lines[i], 80);
                }
                headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        k -> new ArrayList<>()).add(lines[i].substring(colon + 1).trim());
            }
            at = headEnd + 4;
            if (status >= 100 && status < 200) {
                continue;
            }
            // a request the server could not parse gets an answer with a body even when it said HEAD
            boolean headAnswer = head && firstFinal && (at >= bytes.length || startsWith(bytes, at, "HTTP/1."));
            boolean noBody = headAnswer || status == 204 || status == 304;
            firstFinal = false;
            List<String> te = headers.get("transfer-encoding");
            List<String> cl = headers.get("content-length");
            if (noBody) {
                out.add(new Response(status, statusLine, headers, new byte[0], true));
            } else if (te != null && String.join(",", te).toLowerCase(Locale.ROOT).contains("chunked")) {
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                boolean complete = false;
                while (true) {
                    int lineEnd = indexOf(bytes, at, "\r\n");
                    if (lineEnd < 0) {
                        break;
                    }
                    String sizeText = new String(bytes, at, lineEnd - at, StandardCharsets.ISO_8859_1);
                    int semicolon = sizeText.indexOf(';');
                    int size;
                    try {
                        size = Integer.parseInt((semicolon < 0 ? sizeText : sizeText.substring(0, semicolon)).trim(), 16);
                    } catch (NumberFormatException e) {
                        return "bad chunk size: " + abbreviate(sizeText, 40);
                    }
                    at = lineEnd + 2;
                    if (size == 0) {
                        int trailerEnd = indexOf(bytes, at, "\r\n");
                        // no trailers: the last chunk is followed by one empty line
                        at = trailerEnd < 0 ? bytes.length : trailerEnd + 2;
                        complete = true;
                        break;
                    }
                    if (at + size > bytes.length) {
                        body.write(bytes, at, bytes.length - at);
                        at = bytes.length;
                        break;
                    }
                    body.write(bytes, at, size);
                    at += size + 2;
                }
                out.add(new Response(status, statusLine, headers, body.toByteArray(), complete));
                if (!complete) {
                    return null;
                }
            } else if (cl != null) {
                long length;
                try {
                    length = Long.parseLong(cl.get(0));
                } catch (NumberFormatException e) {
                    return "bad Content-Length: " + cl;
                }
                int available = (int) Math.min(length, bytes.length - at);
                byte[] body = new byte[available];
                System.arraycopy(bytes, at, body, 0, available);
                at += available;
                out.add(new Response(status, statusLine, headers, body, available == length));
            } else {
                byte[] body = new byte[bytes.length - at];
                System.arraycopy(bytes, at, body, 0, body.length);
                at = bytes.length;
                out.add(new Response(status, statusLine, headers, body, true));
            }
        }
        return null;
    }

    private static boolean startsWith(byte[] bytes, int at, String prefix) {
        if (bytes.length - at < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (bytes[at + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] bytes, int from, String pattern) {
        byte[] p = pattern.getBytes(StandardCharsets.ISO_8859_1);
        outer:
        for (int i = from; i <= bytes.length - p.length; i++) {
            for (int j = 0; j < p.length; j++) {
                if (bytes[i + j] != p[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static String abbreviate(String s, int max) {
        String printable = printable(s);
        return printable.length() <= max ? printable : printable.substring(0, max) + "...(" + s.length() + " chars)";
    }

    /** Control and non-ASCII characters as escapes, so a case can be read and pasted. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r') {
                b.append("\\r");
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '\t') {
                b.append("\\t");
            } else if (c > 0xFF) {
                b.append(String.format("\\u%04X", (int) c));
            } else if (c < 0x20 || c >= 0x7F) {
                b.append(String.format("\\x%02X", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
