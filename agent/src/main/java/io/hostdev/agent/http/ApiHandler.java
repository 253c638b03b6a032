package io.hostdev.agent.http;

import io.hostdev.agent.journal.Cursor;
import io.hostdev.agent.journal.JournalEntry;
import io.hostdev.agent.journal.MalformedCursorException;
import io.hostdev.agent.journal.ReadResult;
import io.hostdev.agent.service.AgentService;
import io.hostdev.agent.service.ProbeStatus;
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
import io.hostdev.model.change.ChangeEvent;
import io.hostdev.model.change.SubscriberView;
import io.hostdev.model.host.Capabilities;
import io.hostdev.model.select.Selector;
import io.hostdev.model.select.SelectorSyntaxException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The API's endpoints (docs/http-api.md is the contract): routing, authentication, parameters,
 * content negotiation and the answers, on Jetty's core handler API. Every error is an
 * {@code application/problem+json} document.
 */
final class ApiHandler extends Handler.Abstract {

    private static final Logger LOG = Logger.getLogger("io.hostdev.http");

    static final String JSON = "application/json";
    static final String XML = "application/xml";
    static final String METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** The cursor of the state an answer reflects, on every state-derived answer (the XML ones have no other place for it). */
    static final String CURSOR_HEADER = "Hostdev-Cursor";
    static final int DEFAULT_LIMIT = 1000;
    static final int MAX_LIMIT = 10_000;
    private static final String REALM = "Bearer realm=\"hostdev\"";

    private final AgentService service;
    private final HttpSettings settings;
    private final Tokens tokens;
    private final Supplier<String> metrics;
    private final Streams streams;
    private final byte[] openapi;
    /** The libvirt view of the last tree asked for in XML: trees are immutable, so it holds while the tree does. */
    private final AtomicReference<ViewCache> libvirtView = new AtomicReference<>();
    /** 32 listings or 64 MiB, whichever is reached first: a 10,000-device host's full JSON listing is about 6 MiB. */
    private final ListingCache listings = new ListingCache(32, 64L << 20);

    private record ViewCache(DeviceTree tree, LibvirtView view) {
    }

    /** A client error found while reading the request; answered as its problem document. */
    static final class ProblemException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Problem problem;

        ProblemException(Problem problem) {
            super(problem.detail(), null, false, false);
            this.problem = problem;
        }
    }

    /** The endpoints: path shape, methods, and the scope a token needs. */
    enum Route {
        HEALTH("/healthz", null, "GET"),
        READY("/readyz", null, "GET"),
        METRICS("/metrics", Scope.READ, "GET"),
        OPENAPI("/v1/openapi.json", Scope.READ, "GET"),
        DEVICES("/v1/devices", Scope.READ, "GET"),
        DEVICE("/v1/devices/{name}", Scope.READ, "GET"),
        CAPABILITIES("/v1/capabilities", Scope.READ, "GET"),
        CHANGES("/v1/changes", Scope.READ, "GET"),
        WATCH("/v1/watch", Scope.READ, "GET"),
        PROBE_RUN("/v1/probes/{id}/run", Scope.ADMIN, "POST");

        final String template;
        /** The template split at '/': literal segments and one {@code {param}} at most. */
        final String[] segments;
        final Scope scope;
        final String method;

        Route(String template, Scope scope, String method) {
            this.template = template;
            this.segments = template.split("/", -1);
            this.scope = scope;
            this.method = method;
        }

        /** Whether the route answers this method; HEAD goes with GET, except on the event stream. */
        boolean allows(String m) {
            return method.equals(m) || (m.equals("HEAD") && method.equals("GET") && this != WATCH);
        }

        String allowHeader() {
            return method.equals("GET") && this != WATCH ? "GET, HEAD" : method;
        }
    }

    /** A matched route and its path parameter (still percent-encoded), if any. */
    record Match(Route route, String param) {
    }

    ApiHandler(AgentService service, HttpSettings settings, Tokens tokens, Supplier<String> metrics, Streams streams,
               byte[] openapi) {
        this.service = service;
        this.settings = settings;
        this.tokens = tokens;
        this.metrics = metrics;
        this.streams = streams;
        this.openapi = openapi.clone();
    }

    /** Matches a raw (encoded) path; null when no endpoint has it. */
    static Match route(String path) {
        if (path == null) {
            return null;
        }
        String[] segments = path.split("/", -1);
        for (Route r : Route.values()) {
            String[] template = r.segments;
            if (template.length != segments.length) {
                continue;
            }
            String param = null;
            boolean matches = true;
            for (int i = 0; i < template.length && matches; i++) {
                if (template[i].startsWith("{")) {
                    // a parameter is one non-empty segment (an alias with '/' comes percent-encoded)
                    matches = !segments[i].isEmpty();
                    param = segments[i];
                } else {
                    matches = template[i].equals(segments[i]);
                }
            }
            if (matches) {
                return new Match(r, param);
            }
        }
        return null;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String method = request.getMethod();
        try {
            response.getHeaders().put("X-Content-Type-Options", "nosniff");
            if (request.getLength() > settings.limits().maxBodyBytes()) {
                throw new ProblemException(Problem.http(413, "the request body is " + request.getLength()
                        + " bytes; at most " + settings.limits().maxBodyBytes() + " are accepted"));
            }
            Match match = route(request.getHttpURI().getPath());
            Scope needed = match == null ? Scope.READ : match.route().scope;
            if (needed != null) {
                authorize(request, response, needed);
            }
            if (match == null) {
                throw new ProblemException(Problem.http(404, "no endpoint at this path; the API is described at "
                        + "/v1/openapi.json"));
            }
            if (!match.route().allows(method)) {
                response.getHeaders().put(HttpHeader.ALLOW, match.route().allowHeader());
                throw new ProblemException(Problem.http(405, match.route().template + " answers "
                        + match.route().allowHeader() + ", not " + Query.printable(method)));
            }
            dispatch(match, request, response, callback);
        } catch (ProblemException e) {
            problem(response, callback, e.problem);
        } catch (Query.BadQuery e) {
            problem(response, callback, Problem.of("bad-parameter", "Bad parameter", 400, e.getMessage()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, method + " " + request.getHttpURI().getPath() + " failed", e);
            if (response.isCommitted()) {
                callback.failed(e);
            } else {
                response.getHeaders().remove(CURSOR_HEADER);
                problem(response, callback, Problem.http(500, "the agent could not answer; its log says why"));
            }
        }
        return true;
    }

    private void dispatch(Match m, Request request, Response response, Callback callback) {
        switch (m.route()) {
            case HEALTH -> {
                Query.parse(request.getHttpURI().getQuery(), Set.of());
                send(response, callback, 200, "text/plain; charset=utf-8", "ok\n");
            }
            case READY -> {
                Query.parse(request.getHttpURI().getQuery(), Set.of());
                if (!service.ready()) {
                    response.getHeaders().put(HttpHeader.RETRY_AFTER, "5");
                    throw new ProblemException(Problem.of("not-ready", "Not ready", 503,
                            "the first probe cycle has not completed yet"));
                }
                send(response, callback, 200, "text/plain; charset=utf-8", "ready\n");
            }
            case METRICS -> {
                Query.parse(request.getHttpURI().getQuery(), Set.of());
                send(response, callback, 200, METRICS_TYPE, metrics.get());
            }
            case OPENAPI -> send(response, callback, 200, JSON, ByteBuffer.wrap(openapi));
            case DEVICES -> devices(request, response, callback);
            case DEVICE -> device(Query.decodeSegment(m.param()), request, response, callback);
            case CAPABILITIES -> capabilities(request, response, callback);
            case CHANGES -> changes(request, response, callback);
            case WATCH -> watch(request, response, callback);
            case PROBE_RUN -> probeRun(Query.decodeSegment(m.param()), request, response, callback);
            default -> throw new IllegalStateException(m.route().toString());
        }
    }

    // ---- authentication

    /**
     * Lets the request through, or throws the 401/403 problem. Without a token file every request
     * passes (only a loopback address, or an explicit --insecure, gets there).
     */
    private void authorize(Request request, Response response, Scope needed) {
        if (tokens == null) {
            return;
        }
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        String token = bearer(header);
        if (token == null) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, REALM);
            LOG.fine(() -> "401 (no bearer token) for " + request.getMethod() + " " + request.getHttpURI().getPath()
                    + " from " + Request.getRemoteAddr(request));
            throw new ProblemException(Problem.http(401, header == null ? "this endpoint needs an 'Authorization: "
                    + "Bearer TOKEN' header" : "the Authorization header is not 'Bearer TOKEN'"));
        }
        Optional<Scope> scope = tokens.scopeOf(token);
        if (scope.isEmpty()) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, REALM + ", error=\"invalid_token\"");
            LOG.fine(() -> "401 (unknown token) for " + request.getMethod() + " " + request.getHttpURI().getPath()
                    + " from " + Request.getRemoteAddr(request));
            throw new ProblemException(Problem.http(401, "the bearer token is not one of this agent's"));
        }
        if (!scope.get().allows(needed)) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, REALM + ", error=\"insufficient_scope\", scope=\""
                    + needed.label() + "\"");
            throw new ProblemException(Problem.http(403, "this endpoint needs a token with the '" + needed.label()
                    + "' scope; this one has '" + scope.get().label() + "'"));
        }
    }

    /** The token of an {@code Authorization: Bearer TOKEN} header (RFC 6750 section 2.1), or null. */
    static String bearer(String header) {
        if (header == null) {
            return null;
        }
        String h = header.strip();
        int space = h.indexOf(' ');
        if (space < 0 || !h.substring(0, space).equalsIgnoreCase("Bearer")) {
            return null;
        }
        String token = h.substring(space + 1).strip();
        return token.isEmpty() || token.indexOf(' ') >= 0 ? null : token;
    }

    // ---- devices

    private void devices(Request request, Response response, Callback callback) {
        Query q = Query.parse(request.getHttpURI().getQuery(), Set.of("selector"));
        String selectorText = q.get("selector");
        Selector selector = selector(selectorText);
        String type = negotiate(request, List.of(JSON, XML));
        StateSnapshot snap = service.current();
        response.getHeaders().put(CURSOR_HEADER, snap.cursor().encoded());
        byte[] body = listings.get(snap, selectorText, type);
        if (body == null) {
            body = listing(snap, selector, type).getBytes(StandardCharsets.UTF_8);
            listings.put(snap, selectorText, type, body);
        }
        send(response, callback, 200, type.equals(XML) ? XML + "; charset=utf-8" : JSON, ByteBuffer.wrap(body));
    }

    private String listing(StateSnapshot snap, Selector selector, String type) {
        DeviceTree tree = snap.tree();
        List<Device> devices = selector == null ? tree.devices() : selector.select(tree);
        if (type.equals(XML)) {
            Set<String> chosen = selector == null ? null : ListSummary.names(devices);
            return NodeDeviceXmlExporter.devices(libvirtView(tree), d -> chosen == null || chosen.contains(d.name()));
        }
        // no exclusions: the agent's tree holds every device its probes found
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("cursor", snap.cursor().encoded());
        doc.put("devices", devices);
        doc.put("summary", ListSummary.of(devices));
        return ApiJson.document(doc);
    }

    private void device(String key, Request request, Response response, Callback callback) {
        Query.parse(request.getHttpURI().getQuery(), Set.of());
        String type = negotiate(request, List.of(JSON, XML));
        StateSnapshot snap = service.current();
        DeviceTree tree = snap.tree();
        Lookup lookup = tree.lookup(key);
        if (lookup instanceof Lookup.NotFound nf) {
            throw new ProblemException(Problem.of("unknown-device", "Unknown device", 404, "no device '"
                    + Query.printable(key) + "'" + (nf.suggestions().isEmpty() ? ""
                    : "; did you mean " + String.join(", ", nf.suggestions()) + "?"))
                    .with("suggestions", nf.suggestions()));
        }
        if (lookup instanceof Lookup.Ambiguous amb) {
            throw new ProblemException(Problem.of("ambiguous-alias", "Ambiguous alias", 409, "'" + Query.printable(key)
                    + "' is an alias of several devices: " + String.join(", ", amb.candidates())
                    + "; ask for one of them by name").with("candidates", amb.candidates()));
        }
        Device device = ((Lookup.Found) lookup).device();
        response.getHeaders().put(CURSOR_HEADER, snap.cursor().encoded());
        if (type.equals(XML)) {
            Optional<Device> inView = libvirtView(tree).get(device.name());
            if (inView.isEmpty()) {
                throw new ProblemException(Problem.of("not-a-libvirt-device", "No libvirt form", 406,
                        LibvirtView.exclusion(device).orElse(device.name() + " is not a libvirt node device")
                                + "; ask for application/json").with("device", device.name()));
            }
            send(response, callback, 200, XML + "; charset=utf-8", NodeDeviceXmlExporter.device(inView.get()));
            return;
        }
        send(response, callback, 200, JSON, JsonExporter.device(device));
    }

    private void capabilities(Request request, Response response, Callback callback) {
        Query.parse(request.getHttpURI().getQuery(), Set.of());
        String type = negotiate(request, List.of(JSON, XML));
        StateSnapshot snap = service.current();
        Capabilities caps = snap.capabilities();
        if (caps == null) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "5");
            throw new ProblemException(Problem.of("not-ready", "Not ready", 503,
                    "the capabilities probe has not run yet"));
        }
        if (type.equals(XML)) {
            if (caps.host().cpu() == null || caps.host().cpu().arch() == null) {
                // libvirt's document requires the host architecture; making one up would be worse than saying so
                throw new ProblemException(Problem.of("no-host-arch", "No libvirt form", 406, "the capabilities XML "
                        + "needs the host CPU architecture, which could not be read; ask for application/json"));
            }
            send(response, callback, 200, XML + "; charset=utf-8", CapabilitiesXmlExporter.write(caps));
            return;
        }
        send(response, callback, 200, JSON, JsonExporter.capabilities(caps));
    }

    // ---- changes

    private void changes(Request request, Response response, Callback callback) {
        Query q = Query.parse(request.getHttpURI().getQuery(), Set.of("since", "selector", "limit"));
        String selectorText = q.get("selector");
        Selector selector = selector(selectorText);
        int limit = limit(q.get("limit"));
        String since = q.get("since");
        if (since != null) {
            cursor(since);
        }
        ReadResult<ChangeEvent> result;
        try {
            result = service.changes(since, limit);
        } catch (MalformedCursorException e) {
            throw new ProblemException(malformedCursor(e));
        }
        if (result instanceof ReadResult.Resync<ChangeEvent> resync) {
            throw new ProblemException(ApiJson.resync(resync, selectorText));
        }
        ReadResult.Page<ChangeEvent> page = (ReadResult.Page<ChangeEvent>) result;
        DeviceMatcher matcher = selector == null ? DeviceMatcher.ALL : selector;
        List<Map<String, Object>> events = new ArrayList<>();
        for (JournalEntry<ChangeEvent> e : page.entries()) {
            ChangeEvent seen = SubscriberView.view(matcher, e.value());
            if (seen != null) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("cursor", e.cursor().encoded());
                item.put("time", e.appended().toString());
                item.put("event", seen);
                events.add(item);
            }
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("events", events);
        doc.put("next", page.next().encoded());
        doc.put("head", page.head().encoded());
        doc.put("more", page.more());
        response.getHeaders().put(CURSOR_HEADER, page.head().encoded());
        send(response, callback, 200, JSON, ApiJson.document(doc));
    }

    private static int limit(String text) {
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        if (text.isEmpty() || text.length() > 6 || !text.chars().allMatch(c -> c >= '0' && c <= '9')
                || Integer.parseInt(text) < 1 || Integer.parseInt(text) > MAX_LIMIT) {
            throw new ProblemException(Problem.of("bad-parameter", "Bad parameter", 400, "limit must be a whole "
                    + "number from 1 to " + MAX_LIMIT + ", not '" + Query.printable(text) + "'")
                    .with("parameter", "limit"));
        }
        return Integer.parseInt(text);
    }

    // ---- watch

    private void watch(Request request, Response response, Callback callback) {
        Query q = Query.parse(request.getHttpURI().getQuery(), Set.of("selector", "since"));
        String selectorText = q.get("selector");
        Selector selector = selector(selectorText);
        String lastEventId = request.getHeaders().get("Last-Event-ID");
        // the browser's EventSource sends Last-Event-ID on reconnection: it is newer than the URL's since
        String from = lastEventId != null && !lastEventId.isBlank() ? lastEventId.strip() : q.get("since");
        Cursor cursor = from == null || from.isEmpty() ? null : cursor(from);
        if (!streams.reserve()) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "30");
            throw new ProblemException(Problem.of("too-many-subscribers", "Too many subscribers", 429,
                    "this agent serves at most " + settings.limits().maxSubscribers() + " watch streams at once")
                    .with("limit", settings.limits().maxSubscribers()));
        }
        EventStream stream = new EventStream(service, response, callback, request.getComponents().getExecutor(),
                selector == null ? DeviceMatcher.ALL : selector, selectorText, settings.queueSize(), streams);
        EventStream registered = streams.register(stream);
        try {
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, Sse.MEDIA_TYPE + "; charset=utf-8");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
            // reverse proxies such as nginx would otherwise buffer the stream
            response.getHeaders().put("X-Accel-Buffering", "no");
            keepStreamOpen(request);
            AgentService.Subscription sub = service.subscribe(registered);
            registered.start(sub, cursor);
        } catch (RuntimeException e) {
            registered.abandon();
            throw e;
        }
    }

    /**
     * A stream is quiet between heartbeats, and a client that stops reading is caught by the
     * streams' own stall check ({@link Streams#closeStalled}): Jetty's idle timeout is off for it.
     */
    private static void keepStreamOpen(Request request) {
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        endPoint.setIdleTimeout(0);
    }

    // ---- probes

    private void probeRun(String id, Request request, Response response, Callback callback) {
        Query.parse(request.getHttpURI().getQuery(), Set.of());
        if (!service.requestRun(id)) {
            List<String> known = service.probes().stream().map(ProbeStatus::id).toList();
            throw new ProblemException(Problem.of("unknown-probe", "Unknown probe", 404, "no probe '"
                    + Query.printable(id) + "'; this agent runs " + (known.isEmpty() ? "none" : String.join(", ", known)))
                    .with("probes", known));
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("probe", id);
        doc.put("status", "requested");
        send(response, callback, 202, JSON, ApiJson.document(doc));
    }

    // ---- shared

    /** The selector of a request, or null without one. */
    private Selector selector(String text) {
        if (text == null) {
            return null;
        }
        int max = settings.limits().maxSelectorLength();
        if (text.length() > max) {
            throw new ProblemException(Problem.of("selector-too-long", "Selector too long", 400, "the selector is "
                    + text.length() + " characters; at most " + max + " are accepted").with("limit", max));
        }
        try {
            return Selector.parse(text);
        } catch (SelectorSyntaxException e) {
            throw new ProblemException(Problem.of("bad-selector", "Bad selector", 400, e.getMessage())
                    .with("column", e.column()));
        }
    }

    private static Cursor cursor(String text) {
        try {
            return Cursor.parse(text);
        } catch (MalformedCursorException e) {
            throw new ProblemException(malformedCursor(e));
        }
    }

    private static Problem malformedCursor(MalformedCursorException e) {
        return Problem.of("malformed-cursor", "Malformed cursor", 400, e.getMessage());
    }

    private static String negotiate(Request request, List<String> offered) {
        String accept = request.getHeaders().get(HttpHeader.ACCEPT);
        return Negotiation.choose(accept, offered).orElseThrow(() -> new ProblemException(Problem.http(406,
                "this endpoint answers " + String.join(" or ", offered)).with("acceptable", offered)));
    }

    private LibvirtView libvirtView(DeviceTree tree) {
        ViewCache c = libvirtView.get();
        if (c != null && c.tree() == tree) {
            return c.view();
        }
        LibvirtView view = LibvirtView.of(tree);
        libvirtView.set(new ViewCache(tree, view));
        return view;
    }

    static void problem(Response response, Callback callback, Problem p) {
        send(response, callback, p.status(), Problem.MEDIA_TYPE, p.json() + "\n");
    }

    static void send(Response response, Callback callback, int status, String type, String body) {
        send(response, callback, status, type, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)));
    }

    static void send(Response response, Callback callback, int status, String type, ByteBuffer body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        if (status < 300 || status == 410) {
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        }
        response.write(true, body, callback);
    }
}
