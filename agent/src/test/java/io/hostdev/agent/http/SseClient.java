package io.hostdev.agent.http;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A watch client on a raw socket: writes an HTTP/1.1 request, reads the status and headers, undoes
 * the chunked transfer coding, and splits the event stream into frames exactly as sent, so tests see
 * the framing itself (ids, event names, data lines, comments) rather than a library's reading of it.
 */
final class SseClient implements Closeable {

    /** One frame: its fields (null when absent), its data lines joined by {@code \n}, its comments. */
    record Frame(String id, String event, String data, List<String> comments) {
        boolean isComment() {
            return id == null && event == null && data == null;
        }
    }

    private final Socket socket;
    private final InputStream raw;
    private InputStream body;
    private int status;
    private final Map<String, String> headers = new LinkedHashMap<>();

    private SseClient(Socket socket) throws IOException {
        this.socket = socket;
        this.raw = new java.io.BufferedInputStream(socket.getInputStream());
    }

    /** Connects and sends {@code GET target}; returns once the status line and headers are read. */
    static SseClient open(int port, String target, Map<String, String> extraHeaders) throws IOException {
        SseClient c = connect(port, target, extraHeaders);
        c.readHead();
        return c;
    }

    /** Connects and sends the request without waiting for the answer (for many streams at once). */
    static SseClient connect(int port, String target, Map<String, String> extraHeaders) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        s.setSoTimeout(10_000);
        StringBuilder req = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nAccept: text/event-stream\r\n");
        extraHeaders.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
        req.append("\r\n");
        OutputStream out = s.getOutputStream();
        out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return new SseClient(s);
    }

    void readHead() throws IOException {
        String statusLine = line(raw);
        status = Integer.parseInt(statusLine.split(" ")[1]);
        String h;
        while (!(h = line(raw)).isEmpty()) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
        }
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = new Chunked(raw);
        } else {
            body = raw;
        }
    }

    int status() {
        return status;
    }

    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The whole remaining body (for an error answer). */
    String remainingBody() throws IOException {
        String len = header("content-length");
        if (len != null) {
            return new String(body.readNBytes(Integer.parseInt(len)), StandardCharsets.UTF_8);
        }
        return new String(body.readAllBytes(), StandardCharsets.UTF_8);
    }

    /** The next frame, waiting at most {@code timeout}; null when the stream ended. */
    Frame next(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        String id = null;
        String event = null;
        List<String> data = null;
        List<String> comments = new ArrayList<>();
        while (true) {
            String l = line(body);
            if (l == null) {
                return null;
            }
            if (l.isEmpty()) {
                if (id == null && event == null && data == null && comments.isEmpty()) {
                    continue;
                }
                return new Frame(id, event, data == null ? null : String.join("\n", data), comments);
            }
            if (l.startsWith(":")) {
                comments.add(l.substring(1).strip());
                continue;
            }
            int colon = l.indexOf(':');
            String field = colon < 0 ? l : l.substring(0, colon);
            String value = colon < 0 ? "" : l.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "id" -> id = value;
                case "event" -> event = value;
                case "data" -> {
                    if (data == null) {
                        data = new ArrayList<>();
                    }
                    data.add(value);
                }
                default -> throw new IOException("unexpected field '" + field + "' in the event stream");
            }
        }
    }

    /** The next frame that is not only comments. */
    Frame nextEvent(Duration timeout) throws IOException {
        Frame f;
        do {
            f = next(timeout);
        } while (f != null && f.isComment());
        return f;
    }

    /** Whether the server ended the stream (EOF) within the timeout, reading and dropping what comes before. */
    boolean endsWithin(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        try {
            while (body.read() >= 0) {
                // drain
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by the server: ended too
        }
    }

    /** Lowers the receive buffer before connecting would be better; here, stop reading entirely. */
    Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** One line ended by LF (a CR before it dropped), UTF-8; null at EOF before any byte. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            b.write(c);
        }
        if (c < 0 && b.size() == 0) {
            return null;
        }
        String s = b.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** The chunked transfer coding (RFC 9112 section 7.1), undone. */
    private static final class Chunked extends InputStream {
        private final InputStream in;
        private long left;
        private boolean done;

        Chunked(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                String size = line(in);
                if (size == null) {
                    done = true;
                    return -1;
                }
                if (size.isEmpty()) {
                    size = line(in); // the CRLF after the previous chunk's data
                }
                if (size == null) {
                    done = true;
                    return -1;
                }
                int semi = size.indexOf(';');
                left = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).strip(), 16);
                if (left == 0) {
                    done = true;
                    return -1;
                }
            }
            int c = in.read();
            if (c < 0) {
                done = true;
                return -1;
            }
            left--;
            return c;
        }
    }
}
