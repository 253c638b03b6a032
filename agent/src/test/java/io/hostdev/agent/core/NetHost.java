package io.hostdev.agent.core;

import io.hostdev.agent.config.ProbeSchedule;
import io.hostdev.agent.journal.ChangeJournal;
import io.hostdev.agent.journal.JournalConfig;
import io.hostdev.agent.journal.JournalEntry;
import io.hostdev.agent.journal.ReadResult;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.change.ChangeEvent;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.HostRoot;
import io.hostdev.probes.sysfs.SysfsProbe;
import io.hostdev.probes.testing.FakeSysfs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.fail;

/**
 * A fixture host of network interfaces that tests change while an agent probes it: real sysfs
 * files read by the real sysfs probe.
 */
final class NetHost {

    private static final Logger AGENT_LOG = Logger.getLogger("io.hostdev.agent");
    private static final Logger JOURNAL_LOG = Logger.getLogger("io.hostdev.journal");
    private static final Logger QUARTZ_LOG = Logger.getLogger("org.quartz");

    /** The agent warns about the failures these tests cause on purpose; keep the build log readable. */
    static void quietLogs() {
        AGENT_LOG.setLevel(Level.SEVERE);
        JOURNAL_LOG.setLevel(Level.SEVERE);
        QUARTZ_LOG.setLevel(Level.WARNING);
    }

    final Path root;
    final FakeSysfs fs;

    NetHost(Path root) {
        this.root = root;
        this.fs = new FakeSysfs(root);
        fs.dir("sys/devices");
    }

    /**
     * Adds an interface the way a probe running at the same time never sees half of: built in a
     * staging tree of the same shape (relative links stay right), moved in, and its class link, by
     * which the probe finds it, moved in last.
     */
    NetHost nic(String name, int index) {
        return add("net", name, d -> d.uevent("INTERFACE=" + name, "IFINDEX=" + index)
                .attr("address", mac(index)).attr("mtu", "1500").attr("ifindex", Integer.toString(index)));
    }

    /** Adds a terminal, a device no {@code cap='net'} selector matches, as atomically as {@link #nic}. */
    NetHost tty(String name, int minor) {
        return add("tty", name, d -> d.uevent("MAJOR=4", "MINOR=" + minor, "DEVNAME=" + name));
    }

    private NetHost add(String subsystem, String name, java.util.function.Consumer<FakeSysfs.Dev> attributes) {
        Path staging = root.resolveSibling(root.getFileName() + ".staging");
        attributes.accept(new FakeSysfs(staging).classDevice("virtual/" + subsystem + "/" + name, subsystem));
        try {
            Files.createDirectories(root.resolve("sys/devices/virtual").resolve(subsystem));
            Files.createDirectories(root.resolve("sys/class").resolve(subsystem));
            Files.move(staging.resolve("sys/devices/virtual").resolve(subsystem).resolve(name),
                    root.resolve("sys/devices/virtual").resolve(subsystem).resolve(name), StandardCopyOption.ATOMIC_MOVE);
            Files.move(staging.resolve("sys/class").resolve(subsystem).resolve(name),
                    root.resolve("sys/class").resolve(subsystem).resolve(name), StandardCopyOption.ATOMIC_MOVE);
            deleteTree(staging);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Changes an interface's MTU atomically (a reader never sees the file empty). */
    NetHost mtu(String name, int mtu) {
        try {
            Path tmp = root.resolveSibling(root.getFileName() + ".mtu");
            Files.writeString(tmp, mtu + "\n");
            Files.move(tmp, root.resolve("sys/devices/virtual/net").resolve(name).resolve("mtu"),
                    StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Removes an interface: its class link first, so that a probe either sees all of it or none. */
    NetHost remove(String name) {
        return remove("net", name);
    }

    /** Removes a device {@link #tty} added. */
    NetHost removeTty(String name) {
        return remove("tty", name);
    }

    private NetHost remove(String subsystem, String name) {
        try {
            Files.deleteIfExists(root.resolve("sys/class").resolve(subsystem).resolve(name));
            deleteTree(root.resolve("sys/devices/virtual").resolve(subsystem).resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    static String mac(int index) {
        return String.format("52:54:00:00:00:%02x", index);
    }

    /** The device name the probe gives interface {@code name} made by {@link #nic}. */
    static String deviceName(String name, int index) {
        return "net_" + name + "_" + mac(index).replace(':', '_');
    }

    DeviceTree read() {
        return new SysfsProbe().probe(HostFiles.of(HostRoot.of(root))).tree();
    }

    Callable<DeviceTree> reader() {
        SysfsProbe probe = new SysfsProbe();
        return () -> StandardProbes.readTree(probe, HostFiles.of(HostRoot.of(root)));
    }

    AgentProbe.Devices devices(Duration interval, Duration timeout) {
        return new AgentProbe.Devices("sysfs", schedule(interval, timeout), reader());
    }

    /** The sysfs probe with targeted reprobes, as the agent runs it. */
    AgentProbe.Devices devicesWithReprobes(Duration interval, Duration timeout) {
        return new AgentProbe.Devices("sysfs", schedule(interval, timeout), reader(),
                StandardProbes.reread(new SysfsProbe(), HostRoot.of(root)));
    }

    /** The host path of an interface's directory, as a uevent names it. */
    static String netPath(String name) {
        return "/sys/devices/virtual/net/" + name;
    }

    static ProbeSchedule schedule(Duration interval, Duration timeout) {
        return new ProbeSchedule(true, interval, timeout, Duration.ZERO);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Polls until {@code condition} holds; fails after {@code max}. */
    static void await(Duration max, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("waited " + max.toMillis() + " ms for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
    }

    /** Every retained event of the journal in {@code stateDir} (which must not be open). */
    static List<JournalEntry<ChangeEvent>> journal(Path stateDir) {
        try (ChangeJournal j = ChangeJournal.open(stateDir.resolve(AgentCore.JOURNAL_DIR), JournalConfig.DEFAULTS)) {
            return readAll(j);
        }
    }

    static List<JournalEntry<ChangeEvent>> readAll(ChangeJournal j) {
        List<JournalEntry<ChangeEvent>> out = new ArrayList<>();
        ReadResult<ChangeEvent> r = j.read(j.journal().start(), 1000);
        while (true) {
            if (!(r instanceof ReadResult.Page<ChangeEvent> p)) {
                throw new AssertionError("resync reading the whole journal: " + r);
            }
            out.addAll(p.entries());
            if (!p.more()) {
                return out;
            }
            r = j.read(p.next(), 1000);
        }
    }

    static List<String> summary(List<JournalEntry<ChangeEvent>> entries) {
        return entries.stream().map(e -> e.value().kind().json() + " " + e.value().name()).toList();
    }
}
