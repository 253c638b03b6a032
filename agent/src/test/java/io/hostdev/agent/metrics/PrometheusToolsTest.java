package io.hostdev.agent.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import io.hostdev.agent.service.ProbeStatus;
import io.hostdev.agent.testing.AgentEndpoint;
import io.hostdev.agent.testing.JournalBackedService;
import io.hostdev.model.ModelJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The exposition as Prometheus's own tools see it, served by the agent's real HTTP server from
 * {@link AgentMetrics#scrape}: {@code promtool check metrics} finds nothing to say about what
 * {@code GET /metrics} answers, and a real Prometheus server scrapes that endpoint and answers a
 * query with our series. Both come from Debian's {@code prometheus} package (CI installs it);
 * without them these tests skip.
 */
class PrometheusToolsTest {

    @TempDir
    Path dir;

    private JournalBackedService service;
    private AgentMetrics metrics;
    private AgentEndpoint endpoint;

    @BeforeEach
    void start() {
        service = JournalBackedService.open(dir.resolve("state"), io.hostdev.agent.testing.Trees.computer().build());
        metrics = new AgentMetrics(service, MetricsSettings.defaults());
        service.update(AgentMetricsTest.host());
        Instant now = Instant.now();
        service.probe(new ProbeStatus("sysfs", now, now, Duration.ofMillis(20), true, null, 2, 0));
        service.probe(new ProbeStatus("capabilities", now, null, Duration.ofSeconds(10), false, "timeout", 1, 1));
        metrics.recordProbeRun("sysfs", Duration.ofMillis(20), true);
        metrics.recordProbeRun("capabilities", Duration.ofSeconds(10), false);
        endpoint = AgentEndpoint.serve(service, metrics::scrape, s -> s);
        metrics.countSubscribersWith(endpoint::subscribers);
    }

    @AfterEach
    void stop() {
        endpoint.close();
        metrics.close();
        service.close();
    }

    /**
     * The tool on PATH. Absent, the test skips, unless the environment says the tools must be there
     * ({@code HOSTDEV_REQUIRE_PROMETHEUS=1}, which .ci/run sets after installing them): then it fails.
     */
    static Optional<Path> tool(String name) {
        Optional<Path> found = onPath(name);
        String why = name + " is not on PATH (Debian package prometheus)";
        if ("1".equals(System.getenv("HOSTDEV_REQUIRE_PROMETHEUS"))) {
            assertThat(found).as(why + ", and HOSTDEV_REQUIRE_PROMETHEUS=1 says it must be").isPresent();
        }
        assumeTrue(found.isPresent(), why + ": skipped");
        return found;
    }

    static Optional<Path> onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String d : path.split(File.pathSeparator)) {
            Path p = Path.of(d).resolve(tool);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    @Test
    void promtoolFindsNothingToSay() throws Exception {
        Optional<Path> promtool = tool("promtool");
        HttpResponse<String> served = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(endpoint.url() + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("Content-Type")).hasValue(AgentMetrics.CONTENT_TYPE);
        assertThat(served.body()).contains("hostdev_devices_by_capability");
        Path scrape = Files.writeString(dir.resolve("scrape.txt"), served.body());

        Process p = new ProcessBuilder(promtool.get().toString(), "check", "metrics")
                .redirectInput(scrape.toFile())
                .redirectErrorStream(true)
                .start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(said).isEmpty();
        assertThat(p.exitValue()).isZero();
    }

    @Test
    void promtoolWouldComplainAboutABrokenName() throws Exception {
        // the check above can fail: promtool does lint what we feed it
        Optional<Path> promtool = tool("promtool");
        Path scrape = Files.writeString(dir.resolve("bad.txt"),
                "# HELP hostdev_requests Requests\n# TYPE hostdev_requests counter\nhostdev_requests 1\n");

        Process p = new ProcessBuilder(promtool.get().toString(), "check", "metrics")
                .redirectInput(scrape.toFile()).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(said).contains("hostdev_requests");
        assertThat(p.exitValue()).isNotZero();
    }

    @Test
    void aRealPrometheusScrapesOurEndpointAndAnswersWithOurSeries() throws Exception {
        Optional<Path> prometheus = tool("prometheus");
        Path config = Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: hostdev
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(endpoint.port()));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        // Prometheus cannot listen on port 0: take a free port, and another if it was taken meanwhile
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            Process server = new ProcessBuilder(prometheus.get().toString(),
                    "--config.file=" + config,
                    "--storage.tsdb.path=" + Files.createTempDirectory(dir, "tsdb"),
                    "--web.listen-address=127.0.0.1:" + port,
                    "--log.level=warn")
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("prometheus-" + attempt + ".log").toFile())
                    .start();
            try {
                JsonNode result = query(http, server, port,
                        "hostdev_devices_by_capability{job=\"hostdev\",capability=\"net\"}");
                if (result == null && attempt < 3) {
                    continue;
                }
                assertThat(result).as("Prometheus's log: %s",
                        Files.readString(dir.resolve("prometheus-" + attempt + ".log"))).isNotNull();
                assertThat(result).hasSize(1);
                assertThat(result.get(0).get("metric").get("instance").asText())
                        .isEqualTo("127.0.0.1:" + endpoint.port());
                assertThat(result.get(0).get("value").get(1).asText()).isEqualTo("1");
                return;
            } finally {
                server.destroy();
                if (!server.waitFor(10, TimeUnit.SECONDS)) {
                    server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    /**
     * The query's result vector once Prometheus has scraped a sample of it; null when the server exited
     * (its port was taken). Gives up after a minute.
     */
    private static JsonNode query(HttpClient http, Process server, int port, String promql) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            if (!server.isAlive()) {
                return null;
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    JsonNode result = ModelJson.reader().readTree(r.body()).path("data").path("result");
                    if (result.size() > 0) {
                        return result;
                    }
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Prometheus did not answer " + promql + " with a sample within a minute");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
