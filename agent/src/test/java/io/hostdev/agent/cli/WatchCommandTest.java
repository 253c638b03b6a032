package io.hostdev.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.hostdev.agent.http.HttpSettings;
import io.hostdev.agent.journal.JournalConfig;
import io.hostdev.agent.testing.AgentEndpoint;
import io.hostdev.agent.testing.JournalBackedService;
import io.hostdev.agent.testing.TcpProxy;
import io.hostdev.agent.testing.Trees;
import io.hostdev.model.Device;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.ModelJson;
import io.hostdev.model.change.ChangeEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code hostdev watch --url} against the agent's real HTTP server: the real command runs on its own
 * thread while the test changes the service's tree, restarts the server, or cuts the connection
 * with a {@link TcpProxy}.
 *
 * <p>A watch ends only on a resync; the tests end theirs as the agent ends a subscriber that fell
 * behind ({@link #fallBehind}).
 */
@Timeout(120)
class WatchCommandTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Raw events one stream may have waiting: small, so that {@link #fallBehind} can overflow it. */
    private static final int QUEUE = 8;
    /** The selector of the watches that would otherwise see every device: all but {@link #fallBehind}'s. */
    private static final String NOT_BURST = "subsystem!='burst'";

    @TempDir
    Path dir;

    JournalBackedService service;
    AgentEndpoint agent;
    TcpProxy proxy;

    @BeforeEach
    void serve() {
        serve(JournalConfig.DEFAULTS, s -> s);
    }

    void serve(JournalConfig journal, UnaryOperator<HttpSettings> settings) {
        stop();
        service = JournalBackedService.open(dir.resolve("state-" + System.nanoTime()), Trees.computer()
                .add(Trees.pci("00:03.0", null, null))
                .add(Trees.net("eth0", "pci_0000_00_03_0", "up", 1000L))
                .build(), journal, Clock.systemUTC());
        agent = AgentEndpoint.serve(service, s -> settings.apply(s.withQueueSize(QUEUE)));
    }

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (agent != null) {
            agent.close();
        }
        if (service != null) {
            service.close();
        }
    }

    /** Lines written to a stream, as they come. */
    static final class Lines extends OutputStream {
        private final StringBuilder text = new StringBuilder();

        @Override
        public synchronized void write(int b) {
            text.append((char) b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            text.append(new String(b, off, len, StandardCharsets.UTF_8));
        }

        synchronized List<String> lines() {
            List<String> out = new ArrayList<>(List.of(text.toString().split("\n", -1)));
            out.remove(out.size() - 1);
            return out;
        }

        synchronized String text() {
            return text.toString();
        }
    }

    /** The real CLI on another thread. */
    record Watching(CompletableFuture<Integer> code, Lines out, Lines err) {
        int exit() throws Exception {
            return code.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    Watching watch(String... args) {
        return watchAt(agent.url(), args);
    }

    static Watching watchAt(String url, String... args) {
        Lines out = new Lines();
        Lines err = new Lines();
        List<String> all = new ArrayList<>(List.of("watch", "--url", url));
        all.addAll(List.of(args));
        CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> Cli.run(all.toArray(String[]::new),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
        return new Watching(code, out, err);
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    /** A probe cycle: the current tree changed by {@code change}; the new head. */
    String cycle(UnaryOperator<List<Device>> change) {
        return service.update(DeviceTree.of(change.apply(new ArrayList<>(service.current().tree().devices()))))
                .encoded();
    }

    /**
     * One cycle with far more events than a stream's queue holds: the agent sends every open watch
     * {@code event: resync} and closes it, so the watch ends (exit 3). The devices have the subsystem
     * {@code burst}, outside every selector here, so none of them is printed, even when a heartbeat's
     * write happens to take some of them off the queue first. The new head.
     */
    String fallBehind() {
        return cycle(d -> {
            for (int i = 0; i < QUEUE * 8; i++) {
                d.add(Trees.other("burst" + i + "_" + System.nanoTime(), "burst", null));
            }
            return d;
        });
    }

    static List<Device> plus(List<Device> devices, Device... more) {
        devices.addAll(List.of(more));
        return devices;
    }

    static List<Device> without(List<Device> devices, String name) {
        devices.removeIf(d -> d.name().equals(name));
        return devices;
    }

    static List<Device> replaced(List<Device> devices, Device d) {
        devices.replaceAll(x -> x.name().equals(d.name()) ? d : x);
        return devices;
    }

    @Test
    void aNetSelectorSeesExactlyTheNetChangesInOrderOneLineEach() throws Exception {
        Watching w = watch("--selector", "cap='net'");
        await("the subscription", () -> service.subscribers() == 1);

        cycle(d -> plus(d, Trees.net("eth1", "pci_0000_00_03_0", "up", 1000L), Trees.other("ttyS1", "tty", null)));
        cycle(d -> replaced(d, Trees.net("eth1", "pci_0000_00_03_0", "down", 1000L)));
        cycle(d -> without(d, "ttyS1"));
        cycle(d -> without(d, "net_eth1"));
        await("three lines", () -> w.out().lines().size() >= 3);
        String head = fallBehind();

        assertThat(w.exit()).isEqualTo(RemoteOptions.RESYNC);
        assertThat(w.out().lines()).containsExactly("added net_eth1", "updated net_eth1 net.link.state",
                "removed net_eth1");
        assertThat(w.err().text()).startsWith("hostdev: resync needed: this stream fell more than " + QUEUE
                + " events behind").contains("list again, then watch --since " + head + "\n").hasLineCount(1);
    }

    @Test
    void jsonLinesCarryEachEventsCursor() throws Exception {
        Watching w = watch("--output", "json", "--selector", NOT_BURST);
        await("the subscription", () -> service.subscribers() == 1);

        String head = cycle(d -> plus(d, Trees.other("ttyS1", "tty", null)));
        await("a line", () -> w.out().lines().size() >= 1);
        fallBehind();
        w.exit();

        JsonNode line = ModelJson.reader().readTree(w.out().lines().get(0));
        assertThat(line.get("cursor").asText()).isEqualTo(head);
        ChangeEvent event = ModelJson.reader().forType(ChangeEvent.class).readValue(line.get("event"));
        assertThat(event.kind()).isEqualTo(ChangeEvent.Kind.ADDED);
        assertThat(event.name()).isEqualTo("ttyS1");
        assertThat(w.out().lines()).hasSize(1);
    }

    @Test
    void anAgentRestartIsResumedWithNothingLostOrRepeated() throws Exception {
        Watching w = watch("--selector", NOT_BURST);
        await("the subscription", () -> service.subscribers() == 1);
        cycle(d -> plus(d, Trees.other("ttyS1", "tty", null)));
        await("the first line", () -> w.out().lines().size() == 1);

        agent.stop();
        // while no agent serves: the watcher can only learn of it from the journal, by its last event id
        cycle(d -> plus(d, Trees.other("ttyS2", "tty", null)));
        agent.start();
        await("the second line", () -> w.out().lines().size() == 2);
        await("the new subscription", () -> service.subscribers() == 1);
        cycle(d -> without(d, "ttyS1"));
        await("the third line", () -> w.out().lines().size() == 3);
        fallBehind();

        assertThat(w.exit()).isEqualTo(RemoteOptions.RESYNC);
        assertThat(w.out().lines()).containsExactly("added ttyS1", "added ttyS2", "removed ttyS1");
        assertThat(w.err().text()).contains("hostdev: watch: the agent closed the stream; reconnecting in ");
    }

    @Test
    void aCutConnectionIsResumedFromTheLastEventId() throws Exception {
        proxy = TcpProxy.to(agent.port());
        Watching w = watchAt(proxy.url(), "--selector", NOT_BURST);
        await("the subscription", () -> service.subscribers() == 1);
        String first = cycle(d -> plus(d, Trees.other("ttyS1", "tty", null)));
        await("the first line", () -> w.out().lines().size() == 1);

        proxy.down();
        // the agent may still write this to the cut connection: it is lost on the way
        cycle(d -> plus(d, Trees.other("ttyS2", "tty", null)));
        proxy.up();
        await("the second line", () -> w.out().lines().size() == 2);
        cycle(d -> without(d, "ttyS1"));
        await("the third line", () -> w.out().lines().size() == 3);
        fallBehind();

        assertThat(w.exit()).isEqualTo(RemoteOptions.RESYNC);
        assertThat(w.out().lines()).containsExactly("added ttyS1", "added ttyS2", "removed ttyS1");
        List<TcpProxy.Request> watches = proxy.requests("/v1/watch");
        assertThat(watches).hasSizeGreaterThanOrEqualTo(2);
        assertThat(watches.get(0).header("Last-Event-ID")).isNull();
        assertThat(watches.subList(1, watches.size())).allSatisfy(r -> {
            assertThat(r.header("Last-Event-ID")).isEqualTo(first);
            // the cursor goes in the header only: a since= would say less, and could contradict it
            assertThat(r.rawQuery()).doesNotContain("since=");
        });
        assertThat(w.err().text()).contains("hostdev: watch: ").contains("; reconnecting in ");
    }

    @Test
    void sinceReplaysTheHistoryThenFollowsLive() throws Exception {
        proxy = TcpProxy.to(agent.port());
        String start = service.current().cursor().encoded();
        cycle(d -> plus(d, Trees.other("ttyS1", "tty", null)));

        Watching w = watchAt(proxy.url(), "--since", start, "--selector", NOT_BURST);
        await("the first line", () -> w.out().lines().size() == 1);
        await("the subscription", () -> service.subscribers() == 1);
        cycle(d -> plus(d, Trees.other("ttyS2", "tty", null)));
        await("the second line", () -> w.out().lines().size() == 2);
        fallBehind();
        w.exit();

        assertThat(w.out().lines()).containsExactly("added ttyS1", "added ttyS2");
        assertThat(proxy.requests("/v1/watch").get(0).rawQuery())
                .isEqualTo("selector=subsystem%21%3D%27burst%27&since=" + start);
    }

    @Test
    void heartbeatsKeepAQuietStreamOpenSilently() throws Exception {
        serve(JournalConfig.DEFAULTS, s -> s.withHeartbeat(Duration.ofMillis(200)));
        // without the heartbeats, a second of silence would make the watcher reconnect
        Watching w = watch("--idle-timeout", "1", "--selector", NOT_BURST);
        await("the subscription", () -> service.subscribers() == 1);

        Thread.sleep(2500);
        fallBehind();

        assertThat(w.exit()).isEqualTo(RemoteOptions.RESYNC);
        assertThat(w.out().text()).isEmpty();
        assertThat(w.err().lines()).hasSize(1);
        assertThat(w.err().lines().get(0)).startsWith("hostdev: resync needed: ");
    }

    @Test
    void aCursorFromAnotherJournalIsAResyncExit3(@TempDir Path other) throws Exception {
        String foreign;
        try (JournalBackedService elsewhere = JournalBackedService.open(other, service.current().tree())) {
            List<Device> devices = plus(new ArrayList<>(service.current().tree().devices()),
                    Trees.other("ttyS9", "tty", null));
            foreign = elsewhere.update(DeviceTree.of(devices)).encoded();
        }

        Watching w = watch("--since", foreign);

        assertThat(w.exit()).isEqualTo(RemoteOptions.RESYNC);
        assertThat(w.err().text()).startsWith("hostdev: resync needed: ")
                .endsWith("; list again, then watch --since " + service.current().cursor().encoded() + "\n");
        assertThat(w.out().text()).isEmpty();
    }

    @Test
    void aCursorTheJournalNoLongerHoldsIsAResyncExit3() throws Exception {
        serve(JournalConfig.DEFAULTS.withMaxRecords(2).withSegmentRecords(1), s -> s);
        String old = cycle(d -> plus(d, Trees.other("ttyS1", "tty", null)));
        for (int i = 2; i <= 5; i++) {
            int n = i;
            cycle(d -> plus(d, Trees.other("ttyS" + n, "tty", null)));
        }

        Watching w = watch("--since", old);

        assertThat(w.exit()).isEqualTo(RemoteOptions.RESYNC);
        assertThat(w.err().text()).startsWith("hostdev: resync needed: ")
                .endsWith("; list again, then watch --since " + service.current().cursor().encoded() + "\n");
        assertThat(w.out().text()).isEmpty();
    }

    @Test
    void aBadSelectorIsAUsageErrorWithTheColumn() throws Exception {
        Watching w = watch("--selector", "cap = = 'net'");

        assertThat(w.exit()).isEqualTo(Cli.USAGE);
        assertThat(w.err().lines()).hasSize(3);
        assertThat(w.err().lines().get(0)).startsWith("hostdev: bad selector: at column 7");
        assertThat(w.err().lines().get(2)).isEqualTo("        ^");
    }

    @Test
    void theTokenFileOpensTheStreamAndWithoutItTheRefusalIsOneLine() throws Exception {
        String token = "r3ad-t0ken-0123456789";
        Path tokens = AgentEndpoint.tokenFile(dir.resolve("tokens"), "read " + token + "\n");
        serve(JournalConfig.DEFAULTS, s -> s.withTokenFile(tokens));

        Watching refused = watch();
        Watching allowed = watch("--token-file", tokens.toString(), "--selector", NOT_BURST);
        await("the subscription", () -> service.subscribers() == 1);
        cycle(d -> plus(d, Trees.other("ttyS1", "tty", null)));
        await("a line", () -> allowed.out().lines().size() == 1);
        fallBehind();

        assertThat(refused.exit()).isEqualTo(Cli.FAILED);
        assertThat(refused.err().text()).isEqualTo("hostdev: this endpoint needs an 'Authorization: Bearer TOKEN' "
                + "header\n");
        assertThat(allowed.exit()).isEqualTo(RemoteOptions.RESYNC);
        assertThat(allowed.out().lines()).containsExactly("added ttyS1");
        assertThat(refused.err().text() + allowed.err().text() + allowed.out().text()).doesNotContain(token);
    }

    @Test
    void anAgentThatStaysAwayIsGivenUpAfterTheRetries() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Lines out = new Lines();
        Lines err = new Lines();

        int code = Cli.run(new String[] {"watch", "--url", "http://127.0.0.1:" + port, "--retries", "1"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).isEqualTo(Cli.FAILED);
        assertThat(err.lines()).hasSize(2);
        assertThat(err.lines().get(0)).startsWith("hostdev: watch: cannot reach the agent at http://127.0.0.1:" + port
                + ": connection refused; reconnecting in ");
        assertThat(err.lines().get(1)).isEqualTo("hostdev: gave up following http://127.0.0.1:" + port
                + "/v1/watch after 2 attempts: cannot reach the agent at http://127.0.0.1:" + port
                + ": connection refused");
    }

    @Test
    void watchNeedsAnAgent() {
        RemoteCliTest.Run r = RemoteCliTest.run("watch");

        assertThat(r.code()).isEqualTo(Cli.USAGE);
        assertThat(r.err()).contains("give its --url");
    }
}
