package io.hostdev.probes.sysfs;

import io.hostdev.model.Device;
import io.hostdev.model.DeviceTree;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.HostRoot;
import io.hostdev.probes.testing.FakeSysfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SysfsProbeTest {

    @TempDir
    Path root;

    SysfsScan scan() {
        return new SysfsProbe().probe(HostFiles.of(HostRoot.of(root)));
    }

    @Test
    void everyBusAndClassMemberBecomesANodeUnderItsNearestDeviceAncestor() {
        FakeSysfs fs = new FakeSysfs(root);
        fs.busDevice("pci0000:00/0000:00:03.0", "pci").uevent("PCI_SLOT_NAME=0000:00:03.0");
        fs.busDevice("pci0000:00/0000:00:03.0/virtio2", "virtio").driver("virtio", "virtio_net");
        fs.classDevice("pci0000:00/0000:00:03.0/virtio2/net/eth0", "net").uevent("INTERFACE=eth0");
        fs.classDevice("virtual/tty/ttyS0", "tty").uevent("MAJOR=4", "MINOR=64", "DEVNAME=ttyS0").attr("type", "4");
        // pci0000:00 has no subsystem: it is not a device, so the PCI function hangs under computer

        DeviceTree tree = scan().tree();

        assertThat(tree.devices()).extracting(Device::name).contains("computer", "virtio_virtio2", "tty_ttyS0");
        Device virtio = tree.get("virtio_virtio2").orElseThrow();
        assertThat(virtio.driver()).isEqualTo("virtio_net");
        assertThat(virtio.subsystem()).isEqualTo("virtio");
        assertThat(virtio.path()).isEqualTo("/sys/devices/pci0000:00/0000:00:03.0/virtio2");
        assertThat(tree.ancestors(virtio.name())).extracting(Device::name).last().isEqualTo("computer");
        Device tty = tree.get("tty_ttyS0").orElseThrow();
        assertThat(tty.parent()).isEqualTo("computer");
        assertThat(tty.devnodes()).containsExactly("/dev/ttyS0");
        assertThat(tty.aliases()).contains("/dev/ttyS0", "/sys/devices/virtual/tty/ttyS0");
        assertThat(tty.capabilityTypes()).containsExactly("generic");
    }

    @Test
    void parentDoesNotDependOnEnumerationOrder() {
        FakeSysfs fs = new FakeSysfs(root);
        // 'aaa' sorts before the bus device that contains it
        fs.classDevice("platform/zz/aaa", "misc");
        fs.busDevice("platform/zz", "platform");
        DeviceTree tree = scan().tree();
        assertThat(tree.get("misc_aaa").orElseThrow().parent()).isEqualTo("platform_zz");
    }

    @Test
    void excludedSubsystemsAreCountedAndTheirChildrenMoveUp() {
        FakeSysfs fs = new FakeSysfs(root);
        fs.busDevice("system/memory/memory0", "memory");
        fs.busDevice("system/memory/memory1", "memory");
        fs.busDevice("platform/x", "platform");
        fs.classDevice("platform/x/tty/ttyX", "tty");
        SysfsScan scan = new SysfsProbe(new SysfsProbe.Options(Set.of("memory", "platform"), null))
                .probe(HostFiles.of(HostRoot.of(root)));
        assertThat(scan.excluded()).containsEntry("memory", 2).containsEntry("platform", 1);
        assertThat(scan.tree().get("tty_ttyX").orElseThrow().parent()).isEqualTo("computer");
        assertThat(scan.tree().size()).isEqualTo(2);
    }

    @Test
    void aMemberWhoseDirectoryVanishedIsSkippedAndCounted() throws Exception {
        FakeSysfs fs = new FakeSysfs(root);
        fs.classDevice("virtual/net/veth9", "net");
        fs.symlink("sys/class/net/gone0", "../../devices/virtual/net/gone0");
        SysfsScan scan = scan();
        assertThat(scan.vanished()).isEqualTo(1);
        assertThat(scan.tree().devices()).extracting(Device::path).doesNotContain("/sys/devices/virtual/net/gone0");
    }

    @Test
    void linksLeadingOutOfSysDevicesAreReportedNotFollowed() throws Exception {
        FakeSysfs fs = new FakeSysfs(root);
        fs.classDevice("virtual/misc/ok", "misc");
        fs.symlink("sys/class/misc/escape", "../../../../../../../etc");
        fs.symlink("sys/class/misc/notalink-target", "../../devices");
        Files.createDirectories(root.resolve("sys/class/misc/realdir"));
        SysfsScan scan = scan();
        assertThat(scan.tree().size()).isEqualTo(2);
        assertThat(scan.problems()).anySatisfy(p -> assertThat(p).contains("/sys/class/misc/escape points outside"))
                .anySatisfy(p -> assertThat(p).contains("/sys/class/misc/realdir is not a symbolic link"));
    }

    @Test
    void anEmptyRootGivesJustTheComputer() {
        SysfsScan scan = scan();
        assertThat(scan.tree().devices()).extracting(Device::name).containsExactly("computer");
    }

    @Test
    void clashingNamesGetSuffixesInPathOrder() {
        FakeSysfs fs = new FakeSysfs(root);
        fs.classDevice("virtual/misc/a-b", "misc");
        fs.classDevice("virtual/misc/a.b", "misc");
        DeviceTree tree = scan().tree();
        assertThat(tree.get("misc_a_b").orElseThrow().path()).isEqualTo("/sys/devices/virtual/misc/a-b");
        assertThat(tree.get("misc_a_b_2").orElseThrow().path()).isEqualTo("/sys/devices/virtual/misc/a.b");
    }

    @Test
    void symlinkLoopsInAndAroundDevicesEnd() throws Exception {
        FakeSysfs fs = new FakeSysfs(root);
        FakeSysfs.Dev d = fs.classDevice("virtual/misc/looper", "misc").attr("ok", "1");
        Files.createSymbolicLink(d.dir().resolve("a"), Path.of("b"));
        Files.createSymbolicLink(d.dir().resolve("b"), Path.of("a"));
        Files.createSymbolicLink(d.dir().resolve("self"), Path.of("."));
        Files.createSymbolicLink(d.dir().resolve("up"), Path.of(".."));
        fs.symlink("sys/class/misc/ring", "ring");
        fs.symlink("sys/class/tty/ringA", "ringB").symlink("sys/class/tty/ringB", "ringA");

        SysfsScan scan = scan();

        assertThat(scan.tree().size()).isEqualTo(2);
        io.hostdev.model.cap.GenericCapability g = scan.tree().get("misc_looper").orElseThrow()
                .capability(io.hostdev.model.cap.GenericCapability.class).orElseThrow();
        assertThat(g.attributes()).containsOnlyKeys("ok");
        assertThat(scan.problems()).anySatisfy(p -> assertThat(p).contains("/sys/class/misc/ring points outside"))
                .anySatisfy(p -> assertThat(p).contains("/sys/class/tty/ringA points outside"));
    }

    @Test
    void devicesVanishingWhileScannedNeverBreakTheScan() throws Exception {
        FakeSysfs fs = new FakeSysfs(root);
        fs.busDevice("platform/steady", "platform").attr("modalias", "platform:steady");
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger churned = new java.util.concurrent.atomic.AtomicInteger();
        Thread churn = new Thread(() -> {
            int i = 0;
            while (!stop.get()) {
                String name = "hot" + (i++ % 20);
                Path dev = root.resolve("sys/devices/virtual/net").resolve(name);
                try {
                    if (Files.exists(dev)) {
                        Files.deleteIfExists(root.resolve("sys/class/net").resolve(name));
                        try (var walk = Files.walk(dev)) {
                            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                        }
                    } else {
                        fs.classDevice("virtual/net/" + name, "net").uevent("INTERFACE=" + name)
                                .attr("address", "02:00:00:00:00:01").attr("mtu", "1500");
                    }
                    churned.incrementAndGet();
                } catch (Exception e) {
                    // racing our own deletes is the point; keep churning
                }
            }
        });
        churn.start();
        int rounds = 0;
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
        try {
            // scan until the churn has really happened under us, however loaded the machine is
            while ((rounds < 50 || churned.get() < 100) && System.nanoTime() < deadline) {
                SysfsScan scan = scan();
                assertThat(scan.tree().get("platform_steady")).isPresent();
                assertThat(scan.tree().get("platform_steady").orElseThrow()
                        .capability(io.hostdev.model.cap.GenericCapability.class).orElseThrow().attributes())
                        .containsEntry("modalias", "platform:steady");
                rounds++;
            }
        } finally {
            stop.set(true);
            churn.join();
        }
        assertThat(churned.get()).as("devices appeared and vanished during %d scans", rounds).isGreaterThanOrEqualTo(100);
    }
}
