package io.hostdev.agent.testing;

import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.hostdev.agent.journal.Cursor;
import io.hostdev.agent.journal.JournalEntry;
import io.hostdev.agent.journal.MalformedCursorException;
import io.hostdev.agent.journal.ReadResult;
import io.hostdev.agent.service.AgentService;
import io.hostdev.agent.service.StateSnapshot;
import io.hostdev.exporters.JsonExporter;
import io.hostdev.exporters.ListSummary;
import io.hostdev.exporters.libvirt.CapabilitiesXmlExporter;
import io.hostdev.exporters.libvirt.LibvirtView;
import io.hostdev.exporters.libvirt.NodeDeviceXmlExporter;
import io.hostdev.model.Device;
import io.hostdev.model.DeviceMatcher;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.Lookup;
import io.hostdev.model.ModelJson;
import io.hostdev.model.change.ChangeEvent;
import io.hostdev.model.change.SubscriberView;
import io.hostdev.model.select.Selector;
import io.hostdev.model.select.SelectorSyntaxException;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A test-only stand-in for the agent's HTTP layer, on the JDK's own HTTP server: it answers the
 * paths of docs/http-api.md from an {@link AgentService} with contract-shaped documents, so the
 * CLI client and Prometheus can be tested against a real socket before (and independently of) the
 * real server. Only what the client needs: no limits, one optional read token, no admin endpoints.
 * Test hooks: the {@code Last-Event-ID}s and {@code Authorization} headers it received, ending the
 * open streams, and sending them a resync.
 */
public final class ContractServer implements AutoCloseable {

    private static final ObjectWriter LINE = ModelJson.configure(JsonMapper.builder()).build().writer();
    private static final Object DROP = new Object();
    private static final Object RESYNC = new Object();

    private final AgentService service;
    private final Supplier<String> metrics;
    private final String token;
    private final Duration heartbeat;
    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "contract-server");
        t.setDaemon(true);
        return t;
    });
    private final List<BlockingQueue<Object>> streams = new CopyOnWriteArrayList<>();
    private final List<String> lastEventIds = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<URI> requests = new CopyOnWriteArrayList<>();

    private ContractServer(AgentService service, Supplier<String> metrics, String token, Duration heartbeat,
                           SSLContext tls) throws IOException {
        this.service = service;
        this.metrics = metrics;
        this.token = token;
        this.heartbeat = heartbeat;
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls != null) {
            HttpsServer https = HttpsServer.create(loopback, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        } else {
            server = HttpServer.create(loopback, 0);
        }
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    /** Plain HTTP on loopback, no token, heartbeats every 15 s. */
    public static ContractServer start(AgentService service, Supplier<String> metrics) {
        return start(service, metrics, null, Duration.ofSeconds(15), null);
    }

    /**
     * @param token     the bearer token every request must carry; null for none
     * @param heartbeat the interval of {@code : heartbeat} lines on streams
     * @param tls       HTTPS with this context; null for plain HTTP
     */
    public static ContractServer start(AgentService service, Supplier<String> metrics, String token,
                                       Duration heartbeat, SSLContext tls) {
        try {
            return new ContractServer(service, metrics, token, heartbeat, tls);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:PORT} (or https). */
    public String url() {
        return (server instanceof HttpsServer ? "https" : "http") + "://" + server.getAddress().getAddress()
                .getHostAddress() + ":" + server.getAddress().getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The {@code Last-Event-ID} header of each watch request, in order ("" when it had none). */
    public List<String> lastEventIds() {
        return List.copyOf(lastEventIds);
    }

    /** The {@code Authorization} header of each request ("" when it had none). */
    public List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    /** Every request's URI, as received. */
    public List<URI> requests() {
        return List.copyOf(requests);
    }

    public int openStreams() {
        return streams.size();
    }

    /** Ends every open stream without a word, as a restarting agent or a proxy would. */
    public void dropStreams() {
        streams.forEach(q -> q.add(DROP));
    }

    /** Tells every open stream to resync (as for a subscriber that fell behind) and ends it. */
    public void resyncStreams() {
        streams.forEach(q -> q.add(RESYNC));
    }

    @Override
    public void close() {
        dropStreams();
        server.stop(0);
        pool.shutdownNow();
    }

    // ---------------------------------------------------------------------------------------------

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            requests.add(ex.getRequestURI());
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            authorizations.add(auth == null ? "" : auth);
            String path = ex.getRequestURI().getPath();
            if (path.equals("/metrics")) {
                send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.get());
                return;
            }
            if (token != null && !("Bearer " + token).equals(auth)) {
                ex.getResponseHeaders().add("WWW-Authenticate", "Bearer");
                problem(ex, 401, "unauthorized", "a valid bearer token is required", Map.of());
                return;
            }
            Map<String, String> q = query(ex.getRequestURI().getRawQuery());
            boolean xml = accepts(ex, "application/xml");
            if (path.equals("/v1/devices")) {
                devices(ex, q.get("selector"), xml);
            } else if (path.startsWith("/v1/devices/")) {
                device(ex, path.substring("/v1/devices/".length()), xml);
            } else if (path.equals("/v1/capabilities")) {
                capabilities(ex, xml);
            } else if (path.equals("/v1/changes")) {
                changes(ex, q);
            } else if (path.equals("/v1/watch")) {
                watch(ex, q);
            } else {
                problem(ex, 404, "not found", "no such path: " + path, Map.of());
            }
        }
    }

    private void devices(HttpExchange ex, String selector, boolean xml) throws IOException {
        Selector s = selector(ex, selector);
        if (selector != null && s == null) {
            return;
        }
        StateSnapshot state = service.current();
        DeviceTree tree = state.tree();
        List<Device> devices = s == null ? tree.devices() : s.select(tree);
        if (xml) {
            Set<String> chosen = new HashSet<>();
            devices.forEach(d -> chosen.add(d.name()));
            send(ex, 200, "application/xml", NodeDeviceXmlExporter.devices(LibvirtView.of(tree),
                    d -> chosen.contains(d.name())));
            return;
        }
        Map<String, Integer> bySubsystem = new TreeMap<>();
        devices.forEach(d -> {
            if (d.subsystem() != null) {
                bySubsystem.merge(d.subsystem(), 1, Integer::sum);
            }
        });
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("cursor", state.cursor().encoded());
        doc.put("devices", devices);
        doc.put("summary", s == null ? ListSummary.of(tree, Map.of()) : new ListSummary(devices.size(), bySubsystem,
                Map.of()));
        send(ex, 200, "application/json", ModelJson.toJson(doc));
    }

    private void device(HttpExchange ex, String key, boolean xml) throws IOException {
        DeviceTree tree = service.current().tree();
        Lookup lookup = tree.lookup(key);
        if (lookup instanceof Lookup.NotFound nf) {
            problem(ex, 404, "no such device", "no device '" + key + "'" + (nf.suggestions().isEmpty() ? ""
                    : "; did you mean " + String.join(", ", nf.suggestions()) + "?"),
                    Map.of("suggestions", nf.suggestions()));
            return;
        }
        if (lookup instanceof Lookup.Ambiguous amb) {
            problem(ex, 409, "ambiguous", "'" + key + "' matches several devices: "
                    + String.join(", ", amb.candidates()), Map.of("candidates", amb.candidates()));
            return;
        }
        Device d = ((Lookup.Found) lookup).device();
        if (!xml) {
            send(ex, 200, "application/json", JsonExporter.device(d));
            return;
        }
        var doc = LibvirtView.of(tree).get(d.name()).map(NodeDeviceXmlExporter::device);
        if (doc.isEmpty()) {
            problem(ex, 406, "not a libvirt node device", LibvirtView.exclusion(d).orElse(d.name()
                    + " is not a libvirt node device"), Map.of());
            return;
        }
        send(ex, 200, "application/xml", doc.get());
    }

    private void capabilities(HttpExchange ex, boolean xml) throws IOException {
        var caps = service.current().capabilities();
        if (caps == null) {
            problem(ex, 503, "not ready", "the capabilities probe has not run yet", Map.of());
            return;
        }
        send(ex, 200, xml ? "application/xml" : "application/json",
                xml ? CapabilitiesXmlExporter.write(caps) : JsonExporter.capabilities(caps));
    }

    private void changes(HttpExchange ex, Map<String, String> q) throws IOException {
        String selector = q.get("selector");
        Selector s = selector(ex, selector);
        if (selector != null && s == null) {
            return;
        }
        int limit = q.containsKey("limit") ? Integer.parseInt(q.get("limit")) : 1000;
        ReadResult<ChangeEvent> read;
        try {
            read = service.changes(q.get("since"), limit);
        } catch (MalformedCursorException e) {
            problem(ex, 400, "malformed cursor", e.getMessage(), Map.of());
            return;
        }
        if (read instanceof ReadResult.Resync<ChangeEvent> r) {
            resyncProblem(ex, r, selector);
            return;
        }
        ReadResult.Page<ChangeEvent> page = (ReadResult.Page<ChangeEvent>) read;
        DeviceMatcher m = s == null ? DeviceMatcher.ALL : s;
        List<Object> events = new ArrayList<>();
        for (JournalEntry<ChangeEvent> e : page.entries()) {
            ChangeEvent viewed = SubscriberView.view(m, e.value());
            if (viewed != null) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("cursor", e.cursor().encoded());
                entry.put("time", e.appended().toString());
                entry.put("event", viewed);
                events.add(entry);
            }
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("events", events);
        doc.put("next", page.next().encoded());
        doc.put("head", page.head().encoded());
        doc.put("more", page.more());
        send(ex, 200, "application/json", ModelJson.toJson(doc));
    }

    private void watch(HttpExchange ex, Map<String, String> q) throws IOException {
        String selector = q.get("selector");
        Selector s = selector(ex, selector);
        if (selector != null && s == null) {
            return;
        }
        DeviceMatcher m = s == null ? DeviceMatcher.ALL : s;
        String lastEventId = ex.getRequestHeaders().getFirst("Last-Event-ID");
        lastEventIds.add(lastEventId == null ? "" : lastEventId);
        String from = lastEventId != null ? lastEventId : q.get("since");
        BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        streams.add(queue);
        try (AgentService.Subscription sub = service.subscribe(queue::add)) {
            List<JournalEntry<ChangeEvent>> history = new ArrayList<>();
            if (from != null) {
                Cursor at;
                try {
                    at = Cursor.parse(from);
                } catch (MalformedCursorException e) {
                    problem(ex, 400, "malformed cursor", e.getMessage(), Map.of());
                    return;
                }
                // read at least once, so that a cursor the journal cannot serve is answered with 410
                while (true) {
                    ReadResult<ChangeEvent> read = service.changes(at.encoded(), 1000);
                    if (read instanceof ReadResult.Resync<ChangeEvent> r) {
                        resyncProblem(ex, r, selector);
                        return;
                    }
                    ReadResult.Page<ChangeEvent> page = (ReadResult.Page<ChangeEvent>) read;
                    for (JournalEntry<ChangeEvent> e : page.entries()) {
                        if (e.sequence() <= sub.startsAfter().sequence()) {
                            history.add(e);
                        }
                    }
                    if (page.entries().isEmpty() || page.next().sequence() >= sub.startsAfter().sequence()) {
                        break;
                    }
                    at = page.next();
                }
            }
            ex.getResponseHeaders().add("Content-Type", "text/event-stream");
            ex.getResponseHeaders().add("Cache-Control", "no-cache");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            if (from == null) {
                String head = sub.startsAfter().encoded();
                write(out, "event: head\nid: " + head + "\ndata: {\"cursor\": \"" + head + "\"}\n\n");
            }
            frames(out, m, history);
            try {
                while (true) {
                    Object item = queue.poll(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
                    if (item == null) {
                        write(out, ": heartbeat\n\n");
                    } else if (item == DROP) {
                        return;
                    } else if (item == RESYNC) {
                        write(out, "event: resync\ndata: " + LINE.writeValueAsString(Map.of("type",
                                "https://hostdev.io/problems/resync", "title", "resync", "status", 410, "detail",
                                "this subscriber fell behind", "reason", "slow", "head",
                                service.current().cursor().encoded())) + "\n\n");
                        return;
                    } else {
                        @SuppressWarnings("unchecked")
                        List<JournalEntry<ChangeEvent>> entries = (List<JournalEntry<ChangeEvent>>) item;
                        frames(out, m, entries);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } finally {
            streams.remove(queue);
        }
    }

    private static void frames(OutputStream out, DeviceMatcher m, List<JournalEntry<ChangeEvent>> entries)
            throws IOException {
        for (JournalEntry<ChangeEvent> e : entries) {
            ChangeEvent viewed = SubscriberView.view(m, e.value());
            if (viewed != null) {
                write(out, "id: " + e.cursor().encoded() + "\nevent: " + viewed.kind().json() + "\ndata: "
                        + LINE.writeValueAsString(viewed) + "\n\n");
            }
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** The parsed selector; null after answering 400 (or when there is none). */
    private Selector selector(HttpExchange ex, String selector) throws IOException {
        if (selector == null) {
            return null;
        }
        try {
            return Selector.parse(selector);
        } catch (SelectorSyntaxException e) {
            problem(ex, 400, "bad selector", e.getMessage(), Map.of("column", e.column()));
            return null;
        }
    }

    private void resyncProblem(HttpExchange ex, ReadResult.Resync<ChangeEvent> r, String selector) throws IOException {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("reason", r.reason().name().toLowerCase(Locale.ROOT));
        extra.put("head", r.head().encoded());
        extra.put("resync", "/v1/devices" + (selector == null ? "" : "?selector="
                + java.net.URLEncoder.encode(selector, StandardCharsets.UTF_8)));
        problem(ex, 410, "resync needed", r.message(), extra);
    }

    private static void problem(HttpExchange ex, int status, String title, String detail, Map<String, ?> extra)
            throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("type", "https://hostdev.io/problems/" + title.replace(' ', '-'));
        doc.put("title", title);
        doc.put("status", status);
        doc.put("detail", detail);
        doc.putAll(extra);
        send(ex, status, "application/problem+json", ModelJson.toJson(doc));
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
        }
    }

    private static boolean accepts(HttpExchange ex, String type) {
        String accept = ex.getRequestHeaders().getFirst("Accept");
        return accept != null && accept.contains(type);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            q.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return q;
    }
}
