package io.hostdev.agent.core;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The "done when" on the live machine: {@code hostdev agent} probing this host, and an open
 * {@code hostdev watch --selector "cap='net'"}; a veth pair made with {@code ip link add} shows up on
 * the watch within one probe interval, and so does its deletion. Root only (creating links needs
 * CAP_NET_ADMIN); skips with a message otherwise.
 */
class AgentLiveHotplugTest {

    /**
     * The sysfs probe's interval for this test; the default jitter adds up to a second. The probing cap
     * is lifted ({@code probes.maxShare=100%}) so that a slow scan on a loaded machine cannot stretch it.
     */
    private static final Duration INTERVAL = Duration.ofSeconds(2);
    /** What may come on top of the interval and its jitter: the probe itself, the JVMs on a busy 2-core VM. */
    private static final Duration SLACK = Duration.ofSeconds(5);

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path tmp;

    private final List<ChildJvm> children = new ArrayList<>();
    private final String a = "hdw" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt()) + "a";
    private final String b = a.substring(0, a.length() - 1) + "b";

    @AfterEach
    void cleanUp() throws Exception {
        exec("ip", "link", "del", a);
        children.forEach(ChildJvm::kill);
    }

    @Test
    void aVethPairAppearsOnAnOpenNetWatchWithinOneIntervalAndSoDoesItsDeletion() throws Exception {
        Duration[] latency = hotplug("--set", "probes.sysfs.uevents=false");
        Duration bound = INTERVAL.plusSeconds(1).plus(SLACK);
        assertThat(latency[0]).as("the addition reached the watch").isLessThan(bound);
        assertThat(latency[1]).as("the removal reached the watch").isLessThan(bound);
    }

    @Test
    void withKernelUeventsItIsTheScanNotTheIntervalThatTakesTime() throws Exception {
        // an interval of an hour: only a uevent can have started the scans that found the pair
        Duration[] latency = hotplug("--interval", "sysfs=1h");
        assertThat(latency[0]).as("the addition reached the watch").isLessThan(SLACK);
        assertThat(latency[1]).as("the removal reached the watch").isLessThan(SLACK);
    }

    /** Adds and deletes a veth pair under an agent started with {@code extra}; the two latencies seen on a watch. */
    private Duration[] hotplug(String... extra) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "not root: live hotplug through the agent skipped");
        assumeTrue(exec("ip", "-V") == 0, "no iproute2 'ip': live hotplug through the agent skipped");
        assumeTrue(Files.isDirectory(Path.of("/").resolve("sys").resolve("class").resolve("net")),
                "no sysfs net class here: live hotplug skipped");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port;
        List<String> args = new ArrayList<>(List.of("agent", "--state-dir", tmp.resolve("state").toString(),
                "--listen", "127.0.0.1:" + port, "--interval", "sysfs=" + INTERVAL.toMillis() + "ms",
                "--disable-probe", "capabilities", "--set", "probes.maxShare=100%"));
        args.addAll(List.of(extra));
        ChildJvm agent = child(args.toArray(String[]::new));
        agent.awaitLine("hostdev: agent " + agent.process.pid() + " started");
        awaitCurl(url + "/readyz");
        // from the listing's cursor, so that nothing depends on when the watch's stream opens
        String cursor = new com.fasterxml.jackson.databind.ObjectMapper().readTree(get(url + "/v1/devices")).get("cursor")
                .asText();
        ChildJvm watch = child("watch", "--url", url, "--selector", "cap='net'", "--since", cursor);

        long added = System.nanoTime();
        assertThat(exec("ip", "link", "add", a, "type", "veth", "peer", "name", b)).isZero();
        Duration addLatency = awaitWatchLine(watch, l -> l.startsWith("added net_" + a + "_"), added);
        awaitWatchLine(watch, l -> l.startsWith("added net_" + b + "_"), added);

        long removed = System.nanoTime();
        assertThat(exec("ip", "link", "del", a)).isZero();
        Duration removeLatency = awaitWatchLine(watch, l -> l.startsWith("removed net_" + a + "_"), removed);
        awaitWatchLine(watch, l -> l.startsWith("removed net_" + b + "_"), removed);

        System.out.printf("veth on the watch after %d ms, its removal after %d ms (agent %s)%n",
                addLatency.toMillis(), removeLatency.toMillis(), String.join(" ", extra));
        assertThat(watch.lines()).filteredOn(l -> l.contains(a) || l.contains(b)).hasSize(4);
        return new Duration[] {addLatency, removeLatency};
    }

    private Duration awaitWatchLine(ChildJvm watch, Predicate<String> line, long since) {
        watch.awaitLine("a watch line", line);
        return Duration.ofNanos(System.nanoTime() - since);
    }

    private ChildJvm child(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("io.hostdev.agent.cli.Main"));
        cmd.addAll(List.of(args));
        ChildJvm c = new ChildJvm(cmd);
        children.add(c);
        return c;
    }

    private static void awaitCurl(String url) {
        NetHost.await(ChildJvm.WAIT, url, () -> {
            try {
                return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }

    private static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s", url).isEqualTo(200);
        return r.body();
    }

    private static int exec(String... cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            return -1;
        }
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
