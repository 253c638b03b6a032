package io.hostdev.agent.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback between a client and a real server, for faults the network causes and
 * for seeing what the client sent: it passes bytes both ways unchanged, records the head of every
 * HTTP/1.1 request going through (request line and headers), and on demand cuts every connection,
 * refuses new ones ({@link #down()}), or passes a response's head but swallows what follows (a
 * half-open connection, or a proxy that buffers a stream and never flushes). Plain connections only:
 * it cannot read TLS.
 */
public final class TcpProxy implements AutoCloseable {

    /** The head of one request as the client sent it: method, raw target (path and query), headers. */
    public record Request(String method, String target, Map<String, String> headers) {

        /** A header's value (names compared without case), or null when the client sent none. */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** The target's query as sent (still percent-encoded), or null without one. */
        public String rawQuery() {
            int q = target.indexOf('?');
            return q < 0 ? null : target.substring(q + 1);
        }

        public String path() {
            int q = target.indexOf('?');
            return q < 0 ? target : target.substring(0, q);
        }
    }

    private final InetSocketAddress upstream;
    private final ServerSocket listener;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean down;
    private volatile boolean swallowBodies;

    private TcpProxy(int upstreamPort) throws IOException {
        this.upstream = new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort);
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "tcp-proxy-accept");
        t.setDaemon(true);
        t.start();
    }

    /** A proxy to the loopback port {@code upstreamPort}, listening on a free loopback port. */
    public static TcpProxy to(int upstreamPort) {
        try {
            return new TcpProxy(upstreamPort);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:PORT} of the proxy. */
    public String url() {
        return "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + listener.getLocalPort();
    }

    /** Every request head that went through, in the order they arrived. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The requests to one path, in order. */
    public List<Request> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** Connections accepted so far, refused ones included. */
    public int connections() {
        return accepted.get();
    }

    /** Closes every open connection, both ends, as a link that goes away would. */
    public void cut() {
        for (Socket s : sockets) {
            closeQuietly(s);
        }
    }

    /** Cuts every connection and closes each new one at once, until {@link #up()}. */
    public void down() {
        down = true;
        cut();
    }

    public void up() {
        down = false;
    }

    /** For connections made from now on: passes the first response head, then nothing more. */
    public void swallowBodies() {
        swallowBodies = true;
    }

    @Override
    public void close() {
        closeQuietly(listener);
        cut();
    }

    // ---------------------------------------------------------------------------------------------

    private void acceptLoop() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            accepted.incrementAndGet();
            if (down) {
                closeQuietly(client);
                continue;
            }
            Socket server = new Socket();
            try {
                server.connect(upstream, 5000);
            } catch (IOException e) {
                // nothing listens upstream: the client sees its connection close, with nothing recorded
                closeQuietly(client);
                closeQuietly(server);
                continue;
            }
            sockets.add(client);
            sockets.add(server);
            pump("tcp-proxy-up", client, server, true);
            pump("tcp-proxy-down", server, client, false);
        }
    }

    private void pump(String name, Socket from, Socket to, boolean requestsFlow) {
        Thread t = new Thread(() -> {
            HeadScanner heads = new HeadScanner();
            byte[] buf = new byte[16 * 1024];
            try (from; to) {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (requestsFlow) {
                        // recorded before the server can see it, so a test that saw the answer sees the request
                        heads.feed(buf, n).forEach(h -> requests.add(parse(h)));
                        out.write(buf, 0, n);
                    } else {
                        int pass = swallowBodies ? heads.passable(buf, n) : n;
                        out.write(buf, 0, pass);
                    }
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away, or the test cut it: the other side closes with it
            } finally {
                sockets.remove(from);
                sockets.remove(to);
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    private static Request parse(String head) {
        String[] lines = head.split("\r\n");
        String[] start = lines[0].split(" ", 3);
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.merge(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).strip(), (a, b) -> a + ", " + b);
            }
        }
        return new Request(start[0], start.length > 1 ? start[1] : "", Map.copyOf(headers));
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // already closed
        }
    }

    /**
     * Finds message heads (up to the empty line) in one direction of a connection. Requests here
     * are GETs without bodies; a {@code Content-Length} body is skipped all the same.
     */
    private static final class HeadScanner {
        private final ByteArrayOutputStream head = new ByteArrayOutputStream();
        private long bodyLeft;
        private boolean headDone;

        /** The heads completed by these bytes. */
        List<String> feed(byte[] buf, int n) {
            List<String> done = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (bodyLeft > 0) {
                    bodyLeft--;
                    continue;
                }
                head.write(buf[i]);
                if (endsWithBlankLine()) {
                    String h = head.toString(StandardCharsets.ISO_8859_1);
                    head.reset();
                    done.add(h.substring(0, h.length() - 4));
                    bodyLeft = contentLength(h);
                }
            }
            return done;
        }

        /** How many of these bytes belong to the first response head of the connection. */
        int passable(byte[] buf, int n) {
            if (headDone) {
                return 0;
            }
            for (int i = 0; i < n; i++) {
                head.write(buf[i]);
                if (endsWithBlankLine()) {
                    headDone = true;
                    return i + 1;
                }
            }
            return n;
        }

        private boolean endsWithBlankLine() {
            byte[] b = head.toByteArray();
            int l = b.length;
            return l >= 4 && b[l - 4] == '\r' && b[l - 3] == '\n' && b[l - 2] == '\r' && b[l - 1] == '\n';
        }

        private static long contentLength(String head) {
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    return Long.parseLong(line.substring("content-length:".length()).strip());
                }
            }
            return 0;
        }
    }
}
