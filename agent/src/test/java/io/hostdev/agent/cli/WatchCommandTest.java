package io.hostdev.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.hostdev.agent.testing.ContractServer;
import io.hostdev.agent.testing.JournalBackedService;
import io.hostdev.agent.testing.Trees;
import io.hostdev.model.Device;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.ModelJson;
import io.hostdev.model.change.ChangeEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code hostdev watch --url} against a real HTTP endpoint (the test-only {@link ContractServer}): the
 * real command runs on its own thread while the test changes the service's tree and cuts the stream.
 */
class WatchCommandTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path state;

    JournalBackedService service;
    ContractServer server;

    @BeforeEach
    void serve() {
        service = JournalBackedService.open(state, Trees.computer()
                .add(Trees.pci("00:03.0", null, null))
                .add(Trees.net("eth0", "pci_0000_00_03_0", "up", 1000L))
                .build());
        server = ContractServer.start(service, () -> "", null, Duration.ofMillis(100), null);
    }

    @AfterEach
    void stop() {
        server.close();
        service.close();
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
        Lines out = new Lines();
        Lines err = new Lines();
        List<String> all = new ArrayList<>(List.of("watch", "--url", server.url()));
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
        server.resyncStreams();

        assertThat(w.exit()).isEqualTo(RemoteOptions.RESYNC);
        assertThat(w.out().lines()).containsExactly("added net_eth1", "updated net_eth1 net.link.state",
                "removed net_eth1");
        assertThat(w.err().text()).startsWith("hostdev: resync needed: this subscriber fell behind")
                .contains("list again, then watch --since " + service.current().cursor().encoded());
    }

    @Test
    void jsonLinesCarryEachEventsCursor() throws Exception {
        Watching w = watch("--output", "json");
        await("the subscription", () -> service.subscribers() == 1);

        String head = cycle(d -> plus(d, Trees.other("ttyS1", "tty", null)));
        await("a line", () -> w.out().lines().size() >= 1);
        server.resyncStreams();
        w.exit();

        JsonNode line = ModelJson.reader().readTree(w.out().lines().get(0));
        assertThat(line.get("cursor").asText()).isEqualTo(head);
        ChangeEvent event = ModelJson.reader().forType(ChangeEvent.class).readValue(line.get("event"));
        assertThat(event.kind()).isEqualTo(ChangeEvent.Kind.ADDED);
        assertThat(event.name()).isEqualTo("ttyS1");
        assertThat(w.out().lines()).hasSize(1);
    }

    @Test
    void aDroppedStreamIsResumedFromTheLastEventIdWithNothingLostOrRepeated() throws Exception {
        Watching w = watch();
        await("the subscription", () -> service.subscribers() == 1);
        String first = cycle(d -> plus(d, Trees.other("ttyS1", "tty", null)));
        await("the first line", () -> w.out().lines().size() == 1);

        server.dropStreams();
        await("the stream to close", () -> service.subscribers() == 0);
        // while the watcher is away
        cycle(d -> plus(d, Trees.other("ttyS2", "tty", null)));
        await("the second line", () -> w.out().lines().size() == 2);
        await("the new subscription", () -> service.subscribers() == 1);
        cycle(d -> without(d, "ttyS1"));
        await("the third line", () -> w.out().lines().size() == 3);
        server.resyncStreams();

        assertThat(w.exit()).isEqualTo(RemoteOptions.RESYNC);
        assertThat(w.out().lines()).containsExactly("added ttyS1", "added ttyS2", "removed ttyS1");
        assertThat(server.lastEventIds()).containsExactly("", first);
        assertThat(w.err().text()).contains("hostdev: watch: the agent closed the stream; reconnecting in ");
    }

    @Test
    void sinceReplaysTheHistoryThenFollowsLive() throws Exception {
        String start = service.current().cursor().encoded();
        cycle(d -> plus(d, Trees.other("ttyS1", "tty", null)));

        Watching w = watch("--since", start);
        await("the first line", () -> w.out().lines().size() == 1);
        await("the subscription", () -> service.subscribers() == 1);
        cycle(d -> plus(d, Trees.other("ttyS2", "tty", null)));
        await("the second line", () -> w.out().lines().size() == 2);
        server.resyncStreams();
        w.exit();

        assertThat(w.out().lines()).containsExactly("added ttyS1", "added ttyS2");
        assertThat(server.requests().get(0).getRawQuery()).isEqualTo("since=" + start);
    }

    @Test
    void heartbeatsAreFollowedSilently() throws Exception {
        Watching w = watch();
        await("the subscription", () -> service.subscribers() == 1);

        Thread.sleep(500);
        server.resyncStreams();
        w.exit();

        assertThat(w.out().text()).isEmpty();
    }

    @Test
    void aCursorTooOldIsAResyncExit3(@TempDir Path other) throws Exception {
        String foreign;
        try (JournalBackedService elsewhere = JournalBackedService.open(other, service.current().tree())) {
            List<Device> devices = plus(new ArrayList<>(service.current().tree().devices()),
                    Trees.other("ttyS9", "tty", null));
            foreign = elsewhere.update(DeviceTree.of(devices)).encoded();
        }

        Watching w = watch("--since", foreign);

        assertThat(w.exit()).isEqualTo(RemoteOptions.RESYNC);
        assertThat(w.err().text()).startsWith("hostdev: resync needed: ");
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
