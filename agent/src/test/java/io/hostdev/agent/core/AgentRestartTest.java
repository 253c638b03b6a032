package io.hostdev.agent.core;

import io.hostdev.agent.journal.JournalEntry;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.change.ChangeEvent;
import io.hostdev.model.change.Patch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static io.hostdev.agent.core.NetHost.await;
import static io.hostdev.agent.core.NetHost.deviceName;
import static io.hostdev.agent.core.NetHost.summary;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent in child JVMs on one state directory, stopped every way it can be — {@code kill -9},
 * dying between a journal append and its snapshot, SIGTERM to the real {@code hostdev agent} —
 * while the fixture host changes when no agent runs. Afterwards the journal must tell every change
 * exactly once, in one epoch with no gap: replayed from the bare root it is the host as it is.
 */
class AgentRestartTest {

    static {
        NetHost.quietLogs();
    }

    static final Duration WAIT = ChildJvm.WAIT;

    @TempDir
    Path tmp;

    final List<Process> children = new ArrayList<>();

    @AfterEach
    void killChildren() {
        children.forEach(Process::destroyForcibly);
    }

    Child core(Path root, Path state, String... extra) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(AgentChild.class.getName(), root.toString(), state.toString(), "100"));
        cmd.addAll(List.of(extra));
        return new Child(cmd);
    }

    /** A child this test destroys when it ends. */
    final class Child {
        final ChildJvm jvm;
        final Process process;
        final List<String> lines;

        Child(List<String> command) throws IOException {
            jvm = new ChildJvm(command);
            process = jvm.process;
            lines = jvm.lines;
            children.add(process);
        }

        void awaitLine(String prefix) {
            jvm.awaitLine(prefix);
        }

        void terminate() {
            jvm.terminate();
        }

        int awaitExit() throws InterruptedException {
            return jvm.awaitExit();
        }
    }

    @Test
    void killedHaltedAndRestartedTheJournalTellsEveryChangeExactlyOnce() throws Exception {
        NetHost host = new NetHost(tmp.resolve("root")).nic("eth0", 1).nic("eth1", 2);
        Path state = tmp.resolve("state");

        Child a = core(host.root, state);
        a.awaitLine("ready 3");
        host.nic("eth2", 3);
        a.awaitLine("event 4 added " + deviceName("eth2", 3));
        // listeners hear of a batch before the snapshot that includes it is written: kill after it,
        // so that the restart below starts from the snapshot (the halted child further down covers the gap)
        StateStore store = new StateStore(state, false);
        await(WAIT, "the snapshot at sequence 4", () -> sequence(store) == 4);
        a.process.destroyForcibly();
        assertThat(a.awaitExit()).isEqualTo(137);

        host.remove("eth1");
        Child b = core(host.root, state);
        b.awaitLine("startup SNAPSHOT 0");
        b.awaitLine("event 5 removed " + deviceName("eth1", 2));
        b.terminate();
        b.awaitExit();
        assertThat(b.lines).contains("closed");

        // dies after appending a batch, before writing the snapshot that includes it
        Child c = core(host.root, state, "1");
        c.awaitLine("ready 5");
        host.nic("eth3", 4);
        assertThat(c.awaitExit()).isEqualTo(AgentChild.HALTED);
        assertThat(c.lines).contains("event 6 added " + deviceName("eth3", 4));

        host.remove("eth2");
        Child d = core(host.root, state);
        d.awaitLine("startup SNAPSHOT 1");
        d.awaitLine("event 7 removed " + deviceName("eth2", 3));
        d.terminate();
        d.awaitExit();

        List<JournalEntry<ChangeEvent>> all = NetHost.journal(state);
        assertThat(all).extracting(JournalEntry::sequence).containsExactlyElementsOf(
                LongStream.rangeClosed(1, 7).boxed().toList());
        assertThat(all).extracting(e -> e.cursor().epoch()).containsOnly(all.get(0).cursor().epoch());
        assertThat(summary(all)).containsExactly(
                "added " + deviceName("eth0", 1),
                "added " + deviceName("eth1", 2),
                "updated computer",
                "added " + deviceName("eth2", 3),
                "removed " + deviceName("eth1", 2),
                "added " + deviceName("eth3", 4),
                "removed " + deviceName("eth2", 3));
        DeviceTree replayed = Patch.apply(AgentCore.bareRoot(), all.stream().map(JournalEntry::value).toList());
        assertThat(replayed.devices()).isEqualTo(host.read().devices());
    }

    @Test
    void theAgentCommandStopsCleanlyOnSigtermAndARestartContinuesTheSequence() throws Exception {
        NetHost host = new NetHost(tmp.resolve("root")).nic("eth0", 1).nic("eth1", 2);
        Path state = tmp.resolve("state");
        StateStore store = new StateStore(state, false);
        List<String> agent = List.of("io.hostdev.agent.cli.Main", "agent", "--root", host.root.toString(),
                "--state-dir", state.toString(), "--interval", "sysfs=100ms", "--disable-probe", "capabilities",
                "--listen", "127.0.0.1:0");

        Child first = new Child(agent);
        await(WAIT, "the first tree in the snapshot", () -> sequence(store) == 3);
        first.terminate();
        assertThat(first.awaitExit()).isEqualTo(143);
        assertThat(first.lines).anyMatch(l -> l.startsWith("hostdev: agent " + first.process.pid() + " started"));

        host.remove("eth0");
        Child second = new Child(agent);
        await(WAIT, "the removal in the snapshot", () -> sequence(store) == 4);
        second.terminate();
        assertThat(second.awaitExit()).isEqualTo(143);

        List<JournalEntry<ChangeEvent>> all = NetHost.journal(state);
        assertThat(all).hasSize(4);
        assertThat(summary(all).get(3)).isEqualTo("removed " + deviceName("eth0", 1));
        assertThat(((StateStore.Loaded.Found) store.load()).saved().cursor()).isEqualTo(all.get(3).cursor());
    }

    static long sequence(StateStore store) {
        return store.load() instanceof StateStore.Loaded.Found f ? f.saved().cursor().sequence() : -1;
    }
}
