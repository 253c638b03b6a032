package io.hostdev.agent.http;

import io.hostdev.agent.service.AgentService;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The agent's HTTP API (docs/http-api.md) on Jetty 12's core API: REST endpoints over an
 * {@link AgentService}, Server-Sent Events watch streams that hold no thread while idle, limits,
 * TLS and bearer tokens (docs/security.md).
 *
 * <p>{@link #start()} refuses a non-loopback address unless TLS and a token file are set, or
 * {@code insecure} says otherwise. {@link #close()} ends every watch stream with a last comment,
 * then stops the server.
 */
public final class AgentHttpServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger("io.hostdev.http");
    /** How long {@link #close()} waits for the streams' last frames before it stops the server anyway. */
    static final Duration STREAM_CLOSE_WAIT = Duration.ofSeconds(2);

    private final AgentService service;
    private final HttpSettings settings;
    private final Supplier<String> metrics;
    private final Streams streams;
    private Server server;
    private ServerConnector connector;
    private QueuedThreadPool pool;
    /** Heartbeats and the stall check of the watch streams: one thread for all of them. */
    private ScheduledExecutorService heartbeats;
    private boolean tls;

    /**
     * @param metrics the Prometheus text exposition {@code GET /metrics} answers, computed per scrape
     */
    public AgentHttpServer(AgentService service, HttpSettings settings, Supplier<String> metrics) {
        this.service = Objects.requireNonNull(service, "service");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.streams = new Streams(settings.limits().maxSubscribers());
    }

    /**
     * Checks the security settings, reads the tokens and TLS material, binds and starts serving.
     *
     * @throws HttpSetupException saying what is wrong (never with a secret in it)
     */
    public synchronized AgentHttpServer start() {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        InetSocketAddress address = resolve(settings.host(), settings.port());
        checkExposure(address.getAddress(), settings);
        Tokens tokens = settings.tokenFile() == null ? null : Tokens.load(settings.tokenFile());
        TlsMaterial material = settings.tls() == null ? null : TlsMaterial.load(settings.tls());
        JettyLogging.keepAtWarningOrAbove();

        HttpSettings.Limits limits = settings.limits();
        QueuedThreadPool pool = new QueuedThreadPool(limits.maxThreads(), Math.min(4, limits.maxThreads()));
        pool.setName("hostdev-http");
        pool.setDaemon(true);
        // Jetty would otherwise keep idle threads reserved for its own fast paths
        pool.setReservedThreads(0);
        Server s = new Server(pool);
        s.setStopAtShutdown(false);

        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(limits.maxHeaderBytes());
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // an alias can be a path (/dev/sda, /sys/devices/...): clients send it as one segment with %2F
        http.setUriCompliance(UriCompliance.DEFAULT.with("hostdev", UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
                UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING));
        HttpConnectionFactory h1 = new HttpConnectionFactory(http);
        ServerConnector c;
        if (material != null) {
            http.addCustomizer(new SecureRequestCustomizer(false, false, -1, false));
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStore(material.keyStore());
            ssl.setKeyStorePassword(material.password());
            ssl.setKeyManagerPassword(material.password());
            ssl.setCertAlias(TlsMaterial.ALIAS);
            ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
            c = new ServerConnector(s, 1, 1, new SslConnectionFactory(ssl, h1.getProtocol()), h1);
        } else {
            c = new ServerConnector(s, 1, 1, h1);
        }
        c.setHost(address.getAddress().getHostAddress());
        c.setPort(settings.port());
        c.setIdleTimeout(limits.idleTimeout().toMillis());
        c.setAcceptQueueSize(1024);
        s.addConnector(c);
        s.setHandler(new ApiHandler(service, settings, tokens, metrics, streams, openApiDocument()));
        s.setErrorHandler(new ProblemErrorHandler());
        try {
            s.start();
        } catch (Exception e) {
            stopQuietly(s);
            throw new HttpSetupException("cannot listen on " + settings.host() + ":" + settings.port() + ": " + e, e);
        }
        server = s;
        connector = c;
        this.pool = pool;
        tls = material != null;
        heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hostdev-http-streams");
            t.setDaemon(true);
            return t;
        });
        long beat = settings.heartbeat().toMillis();
        heartbeats.scheduleAtFixedRate(streams::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
        long stallLimit = limits.idleTimeout().toNanos();
        long check = Math.max(100, Math.min(1000, limits.idleTimeout().toMillis() / 4));
        heartbeats.scheduleWithFixedDelay(() -> streams.closeStalled(stallLimit), check, check, TimeUnit.MILLISECONDS);
        LOG.info(() -> "HTTP API listening on " + url() + (tokens == null ? " (no tokens: no authentication)" : "")
                + (settings.insecure() && !address.getAddress().isLoopbackAddress() ? " (insecure, as asked)" : ""));
        return this;
    }

    /**
     * Refuses a non-loopback address without both TLS and tokens, unless {@code insecure}: the
     * API would otherwise hand devices and tokens to anyone on the network.
     */
    static void checkExposure(InetAddress address, HttpSettings settings) {
        if (address.isLoopbackAddress() || settings.insecure()) {
            if (!address.isLoopbackAddress()) {
                LOG.warning("HTTP API on " + address.getHostAddress() + " without "
                        + (settings.tls() == null ? "TLS" : "") + (settings.tls() == null && settings.tokenFile() == null
                        ? " and " : "") + (settings.tokenFile() == null ? "tokens" : "")
                        + " because --insecure was given: anyone who can reach it can read it");
            }
            return;
        }
        if (settings.tls() == null || settings.tokenFile() == null) {
            String missing = settings.tls() == null && settings.tokenFile() == null ? "TLS (a certificate and key) and "
                    + "a token file" : settings.tls() == null ? "TLS (a certificate and key)" : "a token file";
            throw new HttpSetupException("refusing to listen on " + address.getHostAddress() + ", which is not a "
                    + "loopback address, without " + missing + ": configure " + missing + ", listen on 127.0.0.1 or "
                    + "::1, or pass --insecure to accept the risk");
        }
    }

    private static InetSocketAddress resolve(String host, int port) {
        InetSocketAddress a = new InetSocketAddress(host, port);
        if (a.isUnresolved()) {
            throw new HttpSetupException("cannot resolve the listen address '" + host + "'");
        }
        return a;
    }

    private static byte[] openApiDocument() {
        try (InputStream in = AgentHttpServer.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the agent's jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The port the server listens on (the one picked when the settings asked for 0). */
    public synchronized int port() {
        requireStarted();
        return connector.getLocalPort();
    }

    /** The base URL, e.g. {@code https://127.0.0.1:9477}. */
    public synchronized String url() {
        requireStarted();
        String host = connector.getHost();
        String h = host.contains(":") ? "[" + host + "]" : host;
        return (tls ? "https" : "http") + "://" + h + ":" + connector.getLocalPort();
    }

    /** Watch streams open now (a gauge for the metrics). */
    public int subscribers() {
        return streams.count();
    }

    /** Threads of the server's pool running something now (its acceptor and selector always are). */
    synchronized int busyThreads() {
        requireStarted();
        return pool.getBusyThreads();
    }

    /** Threads in the server's pool now, busy or idle. */
    synchronized int poolThreads() {
        requireStarted();
        return pool.getThreads();
    }

    /**
     * Ends every watch stream with a last {@code : closing} comment, waits briefly for them to be
     * written, then stops the server (connections still open are closed).
     */
    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        heartbeats.shutdownNow();
        try {
            if (!streams.shutdown(STREAM_CLOSE_WAIT.toMillis())) {
                LOG.fine(() -> streams.count() + " watch streams did not take their last frame; closing them");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopQuietly(server);
        server = null;
    }

    private static void stopQuietly(Server s) {
        try {
            s.stop();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "stopping the HTTP server: " + e, e);
        }
    }

    private void requireStarted() {
        if (server == null || connector == null) {
            throw new IllegalStateException("the HTTP server is not running");
        }
    }
}
