package io.hostdev.agent.core;

import io.hostdev.agent.journal.FsyncPolicy;
import io.hostdev.agent.journal.JournalConfig;
import io.hostdev.agent.journal.JournalEntry;
import io.hostdev.model.Device;
import io.hostdev.model.Facts;
import io.hostdev.model.Overlay;
import io.hostdev.model.change.ChangeEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static io.hostdev.agent.core.NetHost.await;
import static io.hostdev.agent.core.NetHost.deviceName;
import static io.hostdev.agent.core.NetHost.netPath;
import static io.hostdev.agent.core.NetHost.schedule;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Targeted reprobes and overlays in the core: real Quartz, a real journal, the real sysfs probe
 * over a fixture host the tests change. The interval is an hour, so only a reprobe or an overlay
 * can explain an event.
 */
class AgentCoreReprobeTest {

    static {
        NetHost.quietLogs();
    }

    static final Duration HOUR = AgentCoreTest.HOUR;
    static final Duration WAIT = AgentCoreTest.WAIT;

    @TempDir
    Path tmp;

    NetHost host;
    Path state;
    final List<AgentCore> cores = new ArrayList<>();
    final List<ChangeEvent> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void host() {
        host = new NetHost(tmp.resolve("root")).nic("eth0", 1).nic("eth1", 2);
        state = tmp.resolve("state");
    }

    @AfterEach
    void closeAll() {
        cores.forEach(AgentCore::close);
    }

    AgentCore started(AgentProbe.Devices probe) {
        AgentCore c = AgentCore.open(new AgentCore.Options(state, JournalConfig.DEFAULTS.withFsync(FsyncPolicy.NEVER),
                Duration.ofSeconds(5)), List.of(probe));
        cores.add(c);
        c.subscribe(batch -> batch.stream().map(JournalEntry::value).forEach(seen::add));
        c.start();
        await(WAIT, "the first run", c::ready);
        seen.clear();
        return c;
    }

    static long runs(AgentCore core) {
        return AgentCoreTest.runs(core, "sysfs");
    }

    Device device(AgentCore core, String iface, int index) {
        return core.current().tree().get(deviceName(iface, index)).orElseThrow();
    }

    List<String> kinds(String name) {
        return seen.stream().filter(e -> e.name().equals(name)).map(e -> e.kind().json()).toList();
    }

    @Nested
    class Reprobes {

        @Test
        void aNewInterfaceIsPublishedByAReprobeOfItsPathAloneWithTheUeventSource() {
            AgentCore core = started(host.devicesWithReprobes(HOUR, WAIT));
            host.nic("eth2", 3);

            core.reprobe(Set.of(netPath("eth2")), true);

            String eth2 = deviceName("eth2", 3);
            await(WAIT, "eth2 added", () -> !kinds(eth2).isEmpty());
            assertThat(kinds(eth2)).containsExactly("added");
            assertThat(device(core, "eth2", 3).sources()).containsExactly("sysfs", "uevent");
            assertThat(device(core, "eth0", 1).sources()).containsExactly("sysfs");
            assertThat(runs(core)).as("full runs").isEqualTo(1);
        }

        @Test
        void aRemovedInterfaceIsPublishedByAReprobeOfItsGonePath() {
            AgentCore core = started(host.devicesWithReprobes(HOUR, WAIT));
            host.remove("eth1");

            core.reprobe(Set.of(netPath("eth1")), true);

            String eth1 = deviceName("eth1", 2);
            await(WAIT, "eth1 removed", () -> !kinds(eth1).isEmpty());
            assertThat(kinds(eth1)).containsExactly("removed");
            assertThat(runs(core)).as("full runs").isEqualTo(1);
        }

        @Test
        void theUeventSourceStaysThroughFullRunsAndRestartsAndLeavesWithTheDevice() {
            AgentCore core = started(host.devicesWithReprobes(HOUR, WAIT));
            host.nic("eth2", 3);
            core.reprobe(Set.of(netPath("eth2")), true);
            String eth2 = deviceName("eth2", 3);
            await(WAIT, "eth2 added", () -> !kinds(eth2).isEmpty());

            core.requestRun("sysfs");
            await(WAIT, "a second full run", () -> runs(core) >= 2);
            assertThat(kinds(eth2)).as("a full run keeps the provenance: no event").containsExactly("added");

            long head = core.current().cursor().sequence();
            core.close();
            AgentCore again = started(host.devicesWithReprobes(HOUR, WAIT));
            assertThat(device(again, "eth2", 3).sources()).as("after a restart").containsExactly("sysfs", "uevent");
            assertThat(again.current().cursor().sequence()).as("events of the first run after the restart")
                    .isEqualTo(head);

            host.remove("eth2");
            again.reprobe(Set.of(netPath("eth2")), true);
            await(WAIT, "eth2 removed", () -> kinds(eth2).contains("removed"));
            host.nic("eth2", 3);
            again.requestRun("sysfs");
            await(WAIT, "eth2 back", () -> kinds(eth2).size() == 2);
            assertThat(device(again, "eth2", 3).sources()).as("back, found by a full run").containsExactly("sysfs");
        }

        @Test
        void aReprobeThatCannotTellAsksForAFullRun() {
            AgentCore core = started(new AgentProbe.Devices("sysfs", schedule(HOUR, WAIT), host.reader(),
                    (tree, paths) -> null));
            host.nic("eth2", 3);

            core.reprobe(Set.of(netPath("eth2")), true);

            await(WAIT, "a full run", () -> runs(core) >= 2);
            assertThat(kinds(deviceName("eth2", 3))).containsExactly("added");
        }

        @Test
        void aFailingReprobeAsksForAFullRunAndMarksNothingStale() {
            AgentCore core = started(new AgentProbe.Devices("sysfs", schedule(HOUR, WAIT), host.reader(),
                    (tree, paths) -> {
                        throw new IllegalStateException("broken on purpose");
                    }));
            host.nic("eth2", 3);

            core.reprobe(Set.of(netPath("eth2")), true);

            await(WAIT, "a full run", () -> runs(core) >= 2);
            assertThat(kinds(deviceName("eth2", 3))).containsExactly("added");
            assertThat(core.current().tree().devices()).noneMatch(Device::stale);
        }

        @Test
        void aReprobeWaitsForAFullRunInProgressSoReadsNeverOvertakeEachOther() throws Exception {
            AgentCoreTest.Gated gated = new AgentCoreTest.Gated(host.reader());
            AtomicInteger rereads = new AtomicInteger();
            AgentProbe.Reread real = StandardProbes.reread(new io.hostdev.probes.sysfs.SysfsProbe(),
                    io.hostdev.probes.HostRoot.of(host.root));
            AgentCore core = started(new AgentProbe.Devices("sysfs", schedule(HOUR, WAIT), gated, (tree, paths) -> {
                rereads.incrementAndGet();
                return real.reread(tree, paths);
            }));
            gated.gate = new CountDownLatch(1);
            gated.entered = new CountDownLatch(1);
            core.requestRun("sysfs");
            assertThat(gated.entered.await(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isTrue();

            host.nic("eth2", 3);
            core.reprobe(Set.of(netPath("eth2")), true);
            Thread.sleep(300);
            assertThat(rereads).as("rereads while a full run reads").hasValue(0);

            gated.gate.countDown();
            String eth2 = deviceName("eth2", 3);
            // the full run reads after its gate opens, so it finds eth2 first; the reprobe then only
            // adds the kernel's word for it
            await(WAIT, "eth2 added, then announced", () -> kinds(eth2).size() == 2);
            assertThat(kinds(eth2)).containsExactly("added", "updated");
            assertThat(device(core, "eth2", 3).sources()).containsExactly("sysfs", "uevent");
            assertThat(rereads).hasValue(1);
        }

        @Test
        void requestsDuringAReprobeAreMergedIntoOneMore() throws Exception {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch inside = new CountDownLatch(1);
            List<Set<String>> batches = new CopyOnWriteArrayList<>();
            AgentProbe.Reread real = StandardProbes.reread(new io.hostdev.probes.sysfs.SysfsProbe(),
                    io.hostdev.probes.HostRoot.of(host.root));
            AgentCore core = started(new AgentProbe.Devices("sysfs", schedule(HOUR, WAIT), host.reader(),
                    (tree, paths) -> {
                        batches.add(paths);
                        inside.countDown();
                        release.await();
                        return real.reread(tree, paths);
                    }));
            host.nic("eth2", 3).nic("eth3", 4).nic("eth4", 5);
            core.reprobe(Set.of(netPath("eth2")), true);
            assertThat(inside.await(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            core.reprobe(Set.of(netPath("eth3")), true);
            core.reprobe(Set.of(netPath("eth4")), false);
            release.countDown();

            await(WAIT, "eth3 and eth4 added", () -> !kinds(deviceName("eth4", 5)).isEmpty()
                    && !kinds(deviceName("eth3", 4)).isEmpty());
            assertThat(batches).containsExactly(Set.of(netPath("eth2")), Set.of(netPath("eth3"), netPath("eth4")));
            assertThat(device(core, "eth3", 4).sources()).containsExactly("sysfs", "uevent");
            assertThat(device(core, "eth4", 5).sources()).as("asked for by another source").containsExactly("sysfs");
        }
    }

    @Nested
    class Overlays {

        @Test
        void anOverlayIsPublishedAtOnceAndLeavesWithItsSource() {
            AgentCore core = started(host.devicesWithReprobes(HOUR, WAIT));
            String eth0 = deviceName("eth0", 1);

            core.setOverlay("dbus.hal", d -> d.name().equals(eth0)
                    ? d.withSource("dbus.hal").withAliases(List.of("/org/freedesktop/Hal/devices/net_eth0")) : d);

            await(WAIT, "eth0 updated", () -> !kinds(eth0).isEmpty());
            assertThat(device(core, "eth0", 1).sources()).containsExactly("dbus.hal", "sysfs");
            assertThat(device(core, "eth0", 1).aliases()).contains("/org/freedesktop/Hal/devices/net_eth0");
            assertThat(core.current().tree().lookup("/org/freedesktop/Hal/devices/net_eth0"))
                    .isInstanceOf(io.hostdev.model.Lookup.Found.class);

            core.setOverlay("dbus.hal", Overlay.NONE);

            await(WAIT, "eth0 updated back", () -> kinds(eth0).size() == 2);
            assertThat(device(core, "eth0", 1).sources()).containsExactly("sysfs");
            assertThat(runs(core)).as("full runs").isEqualTo(1);
        }

        @Test
        void theFirstSourceInTheDocumentedOrderFillsAFieldWhateverOrderTheyCameIn() {
            AgentCore core = started(host.devicesWithReprobes(HOUR, WAIT));
            String eth0 = deviceName("eth0", 1);
            Overlay hal = fill(eth0, "dbus.hal", "net.link.state", "from-hal");
            Overlay udisks = fill(eth0, "dbus.udisks2", "net.link.state", "from-udisks2");

            core.setOverlay("dbus.hal", hal);
            core.setOverlay("dbus.udisks2", udisks);

            await(WAIT, "eth0 filled by both", () -> device(core, "eth0", 1).sources().size() == 3);
            assertThat(device(core, "eth0", 1).capability(io.hostdev.model.cap.NetCapability.class).orElseThrow()
                    .link().state()).isEqualTo("from-udisks2");
        }

        @Test
        void anOverlayCannotMoveRenameOrDropADevice() {
            AgentCore core = started(host.devicesWithReprobes(HOUR, WAIT));
            String eth0 = deviceName("eth0", 1);
            List<Device> before = core.current().tree().devices();

            core.setOverlay("oshi", d -> d.name().equals(eth0)
                    ? d.withName("hijacked").withParent("nowhere").withSource("oshi") : d);

            await(WAIT, "eth0 updated", () -> !kinds(eth0).isEmpty());
            assertThat(core.current().tree().devices()).extracting(Device::name)
                    .containsExactlyElementsOf(before.stream().map(Device::name).toList());
            assertThat(device(core, "eth0", 1).parent()).isEqualTo(before.stream()
                    .filter(d -> d.name().equals(eth0)).findFirst().orElseThrow().parent());
        }

        private Overlay fill(String name, String source, String field, String value) {
            return d -> d.name().equals(name) ? Facts.fill(d, Map.of(field, value)).withSource(source) : d;
        }
    }
}
