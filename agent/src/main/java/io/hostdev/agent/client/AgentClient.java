package io.hostdev.agent.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.hostdev.exporters.ListSummary;
import io.hostdev.model.Device;
import io.hostdev.model.ModelJson;
import io.hostdev.model.change.ChangeEvent;
import io.hostdev.model.host.Capabilities;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A client of a running agent's HTTP API (docs/http-api.md), on the JDK's {@link HttpClient}:
 * listings, one device, the capabilities document, the change history and the change stream
 * ({@link #watch}). Answers are parsed into the model, so callers render them with the same
 * exporters as local results. Error answers throw {@link ApiException} with the agent's problem;
 * transport failures throw {@link ClientException}. The token is sent as {@code Authorization:
 * Bearer} and appears in no message. Redirects are not followed (they would carry the token
 * elsewhere).
 */
public final class AgentClient {

    static final String JSON = "application/json";
    static final String XML = "application/xml";
    static final String EVENT_STREAM = "text/event-stream";

    private static final ObjectReader READER = ModelJson.reader();

    private final URI base;
    private final String token;
    private final Duration timeout;
    private final HttpClient http;

    private AgentClient(URI base, String token, SSLContext ssl, Duration timeout) {
        this.base = base;
        this.token = token;
        this.timeout = timeout;
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout);
        if (ssl != null) {
            b.sslContext(ssl);
        }
        this.http = b.build();
    }

    /**
     * A client of the agent at {@code url} ({@code http://HOST:PORT} or {@code https://...}, with an
     * optional path prefix).
     *
     * @param tokenFile the bearer token's file ({@link TokenFile}); null to send none
     * @param caCert    PEM certificates to trust for an {@code https} URL instead of the JDK's CAs; null for those
     * @param timeout   how long to wait for a connection and for each answer's headers
     * @throws ClientException saying what is wrong with the URL, the token file or the CA file
     */
    public static AgentClient create(String url, Path tokenFile, Path caCert, Duration timeout) {
        URI base = baseUri(url);
        if (caCert != null && !"https".equals(base.getScheme())) {
            throw new ClientException("--cacert is for https:// URLs; " + url + " is not one");
        }
        String token = tokenFile == null ? null : TokenFile.read(tokenFile);
        SSLContext ssl = caCert == null ? null : PemTrust.context(caCert);
        return new AgentClient(base, token, ssl, Objects.requireNonNull(timeout, "timeout"));
    }

    static URI baseUri(String url) {
        String text = url == null ? "" : url.strip();
        String lower = text.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
            throw new ClientException("the agent's URL must start with http:// or https://, not '" + url + "'");
        }
        URI u;
        try {
            u = new URI(text);
        } catch (java.net.URISyntaxException e) {
            throw new ClientException("not a URL: " + url + " (" + e.getReason() + ")");
        }
        String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new ClientException("the agent's URL must start with http:// or https://, not '" + url + "'");
        }
        if (u.getHost() == null) {
            throw new ClientException("the agent's URL has no host: " + url);
        }
        if (u.getRawQuery() != null || u.getRawFragment() != null) {
            throw new ClientException("the agent's URL must not have a query or fragment: " + url);
        }
        if (u.getRawUserInfo() != null) {
            // credentials in a URL end up in shell history and process lists: the token file is the way
            throw new ClientException("the agent's URL must not carry credentials; use --token-file");
        }
        String path = u.getRawPath() == null ? "" : u.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return URI.create(scheme + "://" + u.getRawAuthority() + path);
    }

    /** The agent's base URL, as given. */
    public URI base() {
        return base;
    }

    /** A listing: the devices a selector matches (every device for null), their summary, and its cursor. */
    public Listing devices(String selector) {
        JsonNode doc = json(get("/v1/devices" + query("selector", selector), JSON));
        try {
            List<Device> devices = Arrays.asList(READER.treeToValue(doc.path("devices"), Device[].class));
            JsonNode summary = doc.get("summary");
            return new Listing(text(doc, "cursor"), devices == null ? List.of() : devices,
                    summary == null || !summary.isObject() ? null : summary(summary));
        } catch (IOException | IllegalArgumentException e) {
            throw unexpected("/v1/devices", e);
        }
    }

    /** A listing's summary; empty counts are omitted from the JSON (as every empty value). */
    private static ListSummary summary(JsonNode node) {
        return new ListSummary(node.path("total").asInt(), counts(node.get("by_subsystem")), counts(node.get("excluded")));
    }

    private static Map<String, Integer> counts(JsonNode node) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        if (node != null) {
            node.fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asInt()));
        }
        return counts;
    }

    /** The listing as libvirt's node-device XML ({@code <devices>}). */
    public String devicesXml(String selector) {
        return get("/v1/devices" + query("selector", selector), XML).body();
    }

    /** One device by name or alias. */
    public Device device(String key) {
        String path = "/v1/devices/" + encode(key);
        try {
            return READER.treeToValue(json(get(path, JSON)), Device.class);
        } catch (IOException | IllegalArgumentException e) {
            throw unexpected(path, e);
        }
    }

    /** One device's libvirt node-device XML document. */
    public String deviceXml(String key) {
        return get("/v1/devices/" + encode(key), XML).body();
    }

    public Capabilities capabilities() {
        try {
            return READER.treeToValue(json(get("/v1/capabilities", JSON)), Capabilities.class);
        } catch (IOException | IllegalArgumentException e) {
            throw unexpected("/v1/capabilities", e);
        }
    }

    /** The capabilities document as libvirt's XML. */
    public String capabilitiesXml() {
        return get("/v1/capabilities", XML).body();
    }

    /**
     * The events after {@code since} (null: from the oldest retained) in the selector's view, at most
     * {@code limit} raw events read (null: the agent's default).
     */
    public ChangesPage changes(String since, String selector, Integer limit) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("since", since);
        params.put("selector", selector);
        params.put("limit", limit == null ? null : limit.toString());
        JsonNode doc = json(get("/v1/changes" + query(params), JSON));
        try {
            List<ChangesPage.Entry> entries = new ArrayList<>();
            for (JsonNode e : doc.path("events")) {
                JsonNode time = e.get("time");
                entries.add(new ChangesPage.Entry(text(e, "cursor"), time == null || time.isNull() ? null : time,
                        READER.treeToValue(e.get("event"), ChangeEvent.class)));
            }
            return new ChangesPage(entries, text(doc, "next"), text(doc, "head"), doc.path("more").asBoolean(false),
                    doc);
        } catch (IOException | IllegalArgumentException e) {
            throw unexpected("/v1/changes", e);
        }
    }

    /** A change stream, not yet connected: {@link Watch#run} connects and follows it. */
    public Watch watch(String selector, String since) {
        return new Watch(this, selector, since);
    }

    // ---------------------------------------------------------------------------------------------

    HttpRequest.Builder request(String pathAndQuery, String accept) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .header("Accept", accept)
                .header("User-Agent", "hostdev-cli");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    HttpClient http() {
        return http;
    }

    Duration timeout() {
        return timeout;
    }

    private HttpResponse<String> get(String pathAndQuery, String accept) {
        HttpRequest req = request(pathAndQuery, accept).timeout(timeout).GET().build();
        HttpResponse<String> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException("interrupted while waiting for " + base);
        }
        if (resp.statusCode() >= 400) {
            throw new ApiException(Problem.parse(resp.statusCode(), resp.body()));
        }
        if (resp.statusCode() != 200) {
            throw new ClientException("the agent answered " + pathAndQuery + " with HTTP " + resp.statusCode()
                    + ", expected 200");
        }
        return resp;
    }

    /** One line saying why the agent could not be reached. */
    ClientException unreachable(IOException e) {
        String why = e instanceof HttpConnectTimeoutException ? "connection timed out"
                : e instanceof HttpTimeoutException ? "no answer within " + timeout.toSeconds() + " s"
                : e instanceof ConnectException ? "connection refused"
                : e instanceof javax.net.ssl.SSLHandshakeException ? "TLS handshake failed: " + rootMessage(e)
                : rootMessage(e);
        return new ClientException("cannot reach the agent at " + base + ": " + why, e);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m.replaceAll("[\\r\\n]+", " ");
    }

    private JsonNode json(HttpResponse<String> resp) {
        try {
            return READER.readTree(resp.body());
        } catch (IOException e) {
            throw unexpected(resp.uri().getPath(), e);
        }
    }

    private ClientException unexpected(String path, Exception e) {
        return new ClientException("the agent's answer to " + path + " is not what docs/http-api.md says: "
                + rootMessage(e), e);
    }

    private static String text(JsonNode node, String key) {
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }

    static String query(String name, String value) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(name, value);
        return query(m);
    }

    static String query(Map<String, String> params) {
        StringBuilder sb = new StringBuilder();
        params.forEach((k, v) -> {
            if (v != null) {
                sb.append(sb.length() == 0 ? '?' : '&').append(k).append('=').append(encode(v));
            }
        });
        return sb.toString();
    }

    /**
     * Percent-encodes everything but RFC 3986's unreserved characters: spaces as {@code %20} (not
     * {@code +}, which not every server decodes in a query), {@code /} in a path segment as {@code %2F}.
     */
    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
                .replace("%7E", "~");
    }
}
