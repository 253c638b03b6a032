package io.hostdev.agent.testing;

import io.hostdev.agent.http.AgentHttpServer;
import io.hostdev.agent.http.HttpSettings;
import io.hostdev.agent.service.AgentService;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The agent's real HTTP server ({@link AgentHttpServer}) over a test's {@link AgentService}, on a
 * loopback port that stays the same across {@link #stop()} and {@link #start()}: what a client sees
 * when the agent restarts while the service (journal, tree) goes on.
 */
public final class AgentEndpoint implements AutoCloseable {

    private final AgentService service;
    private final Supplier<String> metrics;
    private HttpSettings settings;
    private AgentHttpServer server;
    private String url;

    private AgentEndpoint(AgentService service, Supplier<String> metrics, HttpSettings settings) {
        this.service = service;
        this.metrics = metrics;
        this.settings = settings;
    }

    /** Serves {@code service} on a free loopback port with the default settings, {@code /metrics} empty. */
    public static AgentEndpoint serve(AgentService service) {
        return serve(service, () -> "", s -> s);
    }

    /** Serves {@code service} with {@code HttpSettings.loopback(0)} changed by {@code settings}. */
    public static AgentEndpoint serve(AgentService service, UnaryOperator<HttpSettings> settings) {
        return serve(service, () -> "", settings);
    }

    /**
     * @param metrics  what {@code GET /metrics} answers, computed per scrape
     * @param settings changes to {@code HttpSettings.loopback(0)} (the port is kept at 0: one is picked)
     */
    public static AgentEndpoint serve(AgentService service, Supplier<String> metrics,
                                      UnaryOperator<HttpSettings> settings) {
        AgentEndpoint e = new AgentEndpoint(service, metrics, settings.apply(HttpSettings.loopback(0)));
        e.start();
        return e;
    }

    /** Starts the server (again), on the port it had before. */
    public synchronized void start() {
        if (server != null) {
            throw new IllegalStateException("already serving at " + url);
        }
        server = new AgentHttpServer(service, settings, metrics).start();
        url = server.url();
        HttpSettings s = settings;
        // a restart must come back where clients look for it
        settings = new HttpSettings(s.host(), server.port(), s.tls(), s.tokenFile(), s.insecure(), s.limits(),
                s.heartbeat(), s.queueSize());
    }

    /** Stops the server as the agent does on SIGTERM: each open stream gets its last comment, then the port closes. */
    public synchronized void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** {@code http://127.0.0.1:PORT} (or https), also while stopped. */
    public synchronized String url() {
        return url;
    }

    public synchronized int port() {
        return settings.port();
    }

    /** Watch streams the running server holds open now (0 while stopped). */
    public synchronized int subscribers() {
        return server == null ? 0 : server.subscribers();
    }

    /**
     * Writes a token file ({@code SCOPE TOKEN} lines, docs/security.md) readable by its owner only, as
     * an operator keeps it (the agent warns about any other mode).
     */
    public static Path tokenFile(Path file, String contents) {
        try {
            Files.writeString(file, contents);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
