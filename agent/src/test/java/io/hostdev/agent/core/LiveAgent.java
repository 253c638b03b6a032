package io.hostdev.agent.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hostdev.agent.cli.Cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real agent ({@code hostdev agent}, a child JVM) probing this machine, and the three ways a
 * client sees its devices: an open {@code hostdev watch --output json} (a child JVM of its own),
 * {@code hostdev list --url} (the CLI, in this JVM) and {@code GET /v1/devices/NAME}. For the live
 * hotplug tests, which change the real host with {@code ip} and {@code losetup}; {@link #exec} runs those.
 */
final class LiveAgent implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    final String url;
    /** The agent's start line: it says whether kernel uevents trigger its scans. */
    final String started;
    private final List<ChildJvm> children = new ArrayList<>();

    private LiveAgent(String url, ChildJvm agent, String started) {
        this.url = url;
        this.started = started;
        children.add(agent);
    }

    /** Skips the calling test, with a message, unless it runs as root on a machine with sysfs. */
    static void assumeRoot() {
        assumeTrue("root".equals(System.getProperty("user.name")), "not root: live hotplug through the agent skipped");
        assumeTrue(Files.isDirectory(Path.of("/").resolve("sys").resolve("class").resolve("net")),
                "no sysfs net class here: live hotplug skipped");
    }

    /** Skips the calling test, with a message, unless {@code versionCommand} (e.g. {@code ip -V}) succeeds. */
    static void assumeTool(String... versionCommand) throws IOException, InterruptedException {
        assumeTrue(exec(versionCommand) == 0, "no '" + versionCommand[0] + "' here: live hotplug through the agent skipped");
    }

    /**
     * Starts {@code hostdev agent} on this machine with its state in {@code stateDir}, on a free
     * loopback port, the capabilities probe off, the probing cap lifted (a slow scan on a loaded
     * machine must not stretch the interval), then {@code extra}; returns once it is ready.
     */
    static LiveAgent start(Path stateDir, String... extra) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> args = new ArrayList<>(List.of("agent", "--state-dir", stateDir.toString(),
                "--listen", "127.0.0.1:" + port, "--disable-probe", "capabilities", "--set", "probes.maxShare=100%"));
        args.addAll(List.of(extra));
        ChildJvm child = cli(args);
        try {
            LiveAgent agent = new LiveAgent("http://127.0.0.1:" + port, child,
                    child.awaitLine("hostdev: agent " + child.process.pid() + " started"));
            NetHost.await(ChildJvm.WAIT, agent.url + "/readyz", () -> agent.status("/readyz") == 200);
            return agent;
        } catch (RuntimeException | AssertionError e) {
            child.kill();
            throw e;
        }
    }

    /**
     * Opens {@code hostdev watch --url URL --selector S --output json} from the current listing's
     * cursor, so that no event is missed, and returns once the agent counts its stream: a latency
     * measured from then on does not include the watch JVM's start.
     */
    Watch watch(String selector) throws IOException, InterruptedException {
        String cursor = JSON.readTree(get("/v1/devices")).get("cursor").asText();
        double before = subscribers();
        ChildJvm c = cli(List.of("watch", "--url", url, "--selector", selector, "--since", cursor, "--output", "json"));
        children.add(c);
        try {
            NetHost.await(ChildJvm.WAIT, "the agent's hostdev_subscribers to count the watch", () -> {
                try {
                    return subscribers() > before;
                } catch (IOException e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the watch said " + c.lines(), e);
        }
        return new Watch(c);
    }

    /** The {@code hostdev_subscribers} gauge of {@code /metrics}: the watch streams open now. */
    private double subscribers() throws IOException, InterruptedException {
        return get("/metrics").lines().filter(l -> l.startsWith("hostdev_subscribers "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1).trim()))
                .findFirst().orElseThrow(() -> new AssertionError("no hostdev_subscribers in /metrics"));
    }

    /** {@code hostdev list --url URL --selector S --output json}: the devices it prints. */
    List<JsonNode> list(String selector) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.run(new String[] {"list", "--url", url, "--selector", selector, "--output", "json"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as("hostdev list --url %s --selector %s; it said %s", url, selector,
                err.toString(StandardCharsets.UTF_8)).isZero();
        try {
            List<JsonNode> devices = new ArrayList<>();
            JSON.readTree(out.toByteArray()).get("devices").forEach(devices::add);
            return devices;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The device {@code list --url --selector S} prints under {@code name}, if it does. */
    Optional<JsonNode> listed(String selector, String name) {
        return list(selector).stream().filter(d -> name.equals(d.path("name").asText())).findFirst();
    }

    /** {@code GET /v1/devices/NAME}: the device on 200, empty on 404; anything else fails. */
    Optional<JsonNode> device(String name) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/v1/devices/"
                    + URLEncoder.encode(name, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 404) {
                return Optional.empty();
            }
            assertThat(r.statusCode()).as("GET /v1/devices/%s: %s", name, r.body()).isEqualTo(200);
            return Optional.of(JSON.readTree(r.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Kills the agent and every watch (SIGKILL: their state directories are thrown away). */
    @Override
    public void close() {
        children.forEach(ChildJvm::kill);
    }

    private int status(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url + path)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s", path).isEqualTo(200);
        return r.body();
    }

    private static ChildJvm cli(List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("io.hostdev.agent.cli.Main"));
        cmd.addAll(args);
        return new ChildJvm(cmd);
    }

    /** Runs a host command, output discarded; its exit code, or -1 when it cannot start or takes over 30 s. */
    static int exec(String... cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            return -1;
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    /** Runs a host command that must succeed; fails with its output otherwise. */
    static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail(String.join(" ", cmd) + " failed: " + out);
        }
    }

    /** An open {@code hostdev watch --output json}: its events as they come. */
    static final class Watch {

        private final ChildJvm process;

        Watch(ChildJvm process) {
            this.process = process;
        }

        /**
         * Waits at most {@code max} for an event that {@code event} accepts (the watch line's
         * {@code event} member: {@code kind}, {@code name}, {@code before}, {@code after}, {@code changes})
         * and returns the first such.
         */
        JsonNode await(String what, Predicate<JsonNode> event, Duration max) {
            String line = process.awaitLine(what, l -> {
                JsonNode e = parse(l);
                return e != null && event.test(e);
            }, max);
            return parse(line);
        }

        /** Every event so far. */
        List<JsonNode> events() {
            return process.lines().stream().map(Watch::parse).filter(e -> e != null).toList();
        }

        /** The event of a watch line, or null for a line that is none (a reconnection notice). */
        private static JsonNode parse(String line) {
            if (!line.startsWith("{")) {
                return null;
            }
            try {
                JsonNode e = JSON.readTree(line).get("event");
                return e != null && e.isObject() ? e : null;
            } catch (IOException e) {
                return null;
            }
        }
    }
}
