package io.hostdev.agent.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.hostdev.agent.journal.JournalConfig;
import io.hostdev.agent.service.ProbeStatus;
import io.hostdev.agent.testing.JournalBackedService;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.ModelJson;
import io.hostdev.model.host.Capabilities;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * A running server over a {@link JournalBackedService} that knows the probes {@code capabilities} and
 * {@code sysfs} (never run yet), and a client for it.
 */
final class ApiFixture implements AutoCloseable {

    final JournalBackedService agent;
    final AgentHttpServer server;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    volatile String metricsText = "# HELP hostdev_up 1 while the agent runs\n# TYPE hostdev_up gauge\nhostdev_up 1\n";

    ApiFixture(Path dir, DeviceTree tree, Capabilities caps, UnaryOperator<HttpSettings> settings) {
        this(dir, tree, caps, JournalConfig.DEFAULTS, settings);
    }

    ApiFixture(Path dir, DeviceTree tree, Capabilities caps, JournalConfig journal,
               UnaryOperator<HttpSettings> settings) {
        this.agent = JournalBackedService.open(dir.resolve("journal"), tree, journal, Clock.systemUTC());
        agent.capabilities(caps);
        for (String probe : new String[] {"capabilities", "sysfs"}) {
            agent.probe(new ProbeStatus(probe, null, null, null, false, null, 0, 0));
        }
        this.server = new AgentHttpServer(agent, settings.apply(HttpSettings.loopback(0)), () -> metricsText).start();
    }

    ApiFixture(Path dir) {
        this(dir, TestHost.tree(), TestHost.capabilities("x86_64"), s -> s);
    }

    HttpRequest.Builder request(String target) {
        return HttpRequest.newBuilder(URI.create(server.url() + target)).timeout(Duration.ofSeconds(10));
    }

    HttpResponse<String> get(String target, String... headers) {
        HttpRequest.Builder b = request(target).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b.build());
    }

    HttpResponse<String> send(HttpRequest r) {
        try {
            return client.send(r, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(String body) {
        try {
            return ModelJson.reader().readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.close();
        agent.close();
    }
}
