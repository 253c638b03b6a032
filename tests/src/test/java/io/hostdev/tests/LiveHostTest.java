package io.hostdev.tests;

import io.hostdev.model.Device;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.Lookup;
import io.hostdev.model.cap.NetCapability;
import io.hostdev.probes.HostRoot;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * hostdev against the machine the tests run on: invariants that must hold on any Linux host, and,
 * when root, real devices created and removed between two listings.
 */
class LiveHostTest {

    static final HostRoot LIVE = HostRoot.live();

    @BeforeAll
    static void needsSysfs() {
        assumeTrue(Files.isDirectory(LIVE.sys().resolve("class")), "no sysfs on this machine: live tests skipped");
    }

    @Nested
    class Invariants {

        final DeviceTree tree = CliRunner.listTree();

        @Test
        void everyPciFunctionIsListedUnderItsLibvirtName() throws IOException {
            Path pciDevices = LIVE.sys().resolve("bus/pci/devices");
            assumeTrue(Files.isDirectory(pciDevices), "no PCI bus on this machine");
            List<String> addresses;
            try (Stream<Path> s = Files.list(pciDevices)) {
                addresses = s.map(p -> p.getFileName().toString()).sorted().toList();
            }
            assertThat(addresses).isNotEmpty();
            for (String address : addresses) {
                String name = "pci_" + address.replaceAll("[^0-9a-fA-F]", "_");
                Device d = tree.get(name).orElseThrow(() -> new AssertionError("PCI " + address + " not listed as " + name));
                assertThat(d.subsystem()).isEqualTo("pci");
                assertThat(d.path()).isEqualTo(LIVE.hostPath(pciDevices.resolve(address).toRealPath()));
                assertThat(tree.lookup(address)).isEqualTo(new Lookup.Found(d));
            }
        }

        @Test
        void everyDirectoryUnderSysDevicesWithASubsystemIsANode() throws IOException {
            Set<String> listed = new HashSet<>();
            tree.devices().forEach(d -> listed.add(d.path()));
            List<String> missing = new ArrayList<>();
            try (Stream<Path> walk = Files.walk(LIVE.sys().resolve("devices"))) {
                walk.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                        .filter(p -> Files.isSymbolicLink(p.resolve("subsystem")))
                        .map(LIVE::hostPath)
                        .filter(p -> !listed.contains(p))
                        .forEach(missing::add);
            }
            // a device that appeared after the listing is not a miss: it must still exist *and* be new
            missing.removeIf(p -> !Files.isDirectory(LIVE.fromHostPath(p)));
            assertThat(missing).as("devices in sysfs that the listing dropped").isEmpty();
            assertThat(tree.size()).isGreaterThan(1);
        }

        @Test
        void theParentIsTheNearestEnclosingDevice() {
            Map<String, Device> byPath = new HashMap<>();
            tree.devices().stream().filter(d -> d.path() != null).forEach(d -> byPath.put(d.path(), d));
            for (Device d : tree.devices()) {
                if (d.isRoot()) {
                    assertThat(d.name()).isEqualTo(DeviceTree.ROOT);
                    continue;
                }
                String expected = DeviceTree.ROOT;
                for (String p = parentOf(d.path()); p != null; p = parentOf(p)) {
                    if (byPath.containsKey(p)) {
                        expected = byPath.get(p).name();
                        break;
                    }
                }
                assertThat(d.parent()).as("parent of %s", d.name()).isEqualTo(expected);
            }
        }

        @Test
        void everyInterfaceAndBlockDeviceResolvesByItsAliases() throws IOException {
            try (Stream<Path> s = Files.list(LIVE.sys().resolve("class/net"))) {
                for (Path p : s.toList()) {
                    String iface = p.getFileName().toString();
                    Lookup l = tree.lookup(iface);
                    assertThat(l).as("interface %s", iface).isInstanceOf(Lookup.Found.class);
                    assertThat(((Lookup.Found) l).device().subsystem()).isEqualTo("net");
                }
            }
            Path block = LIVE.sys().resolve("class/block");
            if (Files.isDirectory(block)) {
                try (Stream<Path> s = Files.list(block)) {
                    for (Path p : s.toList()) {
                        String devnode = LIVE.hostPath(LIVE.dev().resolve(p.getFileName().toString()));
                        assertThat(tree.lookup(devnode)).as("block device %s", devnode)
                                .isInstanceOf(Lookup.Found.class);
                    }
                }
            }
        }

        @Test
        void showResolvesAddressesInterfaceMacAndDevnodeToTheRightDevice() throws IOException {
            // a NIC on PCI: its interface and MAC find the netdev; both address forms find its PCI function
            Device nic = tree.devices().stream()
                    .filter(d -> d.capability(NetCapability.class).filter(n -> n.kind() == NetCapability.Kind.PHYSICAL)
                            .isPresent())
                    .filter(d -> tree.ancestors(d.name()).stream().anyMatch(a -> "pci".equals(a.subsystem())))
                    .findFirst().orElse(null);
            assumeTrue(nic != null, "no PCI network interface on this machine");
            NetCapability net = nic.capability(NetCapability.class).orElseThrow();
            Device pci = tree.ancestors(nic.name()).stream().filter(a -> "pci".equals(a.subsystem())).findFirst()
                    .orElseThrow();
            String address = pci.capability(io.hostdev.model.cap.PciCapability.class).orElseThrow().address().toString();
            assertThat(shown(net.interfaceName())).isEqualTo(nic.name());
            assertThat(shown(net.address())).isEqualTo(nic.name());
            assertThat(shown(address)).isEqualTo(pci.name());
            if (address.startsWith("0000:")) {
                assertThat(shown(address.substring(5))).isEqualTo(pci.name());
            }
            Device disk = tree.devices().stream().filter(d -> "disk".equals(d.devtype()) && !d.devnodes().isEmpty())
                    .findFirst().orElse(null);
            if (disk != null) {
                assertThat(shown(disk.devnodes().get(0))).isEqualTo(disk.name());
            }
        }

        private String shown(String key) throws IOException {
            CliRunner.Result r = CliRunner.run("show", key);
            assertThat(r.exitCode()).as("show %s: %s", key, r.err()).isZero();
            return io.hostdev.model.ModelJson.readDevice(r.out()).name();
        }

        private static String parentOf(String path) {
            int slash = path.lastIndexOf('/');
            return slash <= 0 ? null : path.substring(0, slash);
        }
    }

    /** Real devices, created with the system's own tools; root only. */
    @Nested
    class Hotplug {

        @TempDir
        Path tmp;

        @BeforeAll
        static void needsRootAndTools() {
            assumeTrue("root".equals(System.getProperty("user.name")), "not root: live device creation skipped");
            assumeTrue(exec("ip", "-V") == 0, "no iproute2 'ip': live device creation skipped");
        }

        @Test
        void vethPairAppearsAndDisappears() {
            String a = "hdt" + suffix();
            String b = a + "p";
            try {
                assertThat(exec("ip", "link", "add", a, "type", "veth", "peer", "name", b)).isZero();
                DeviceTree after = CliRunner.listTree();
                Device da = found(after, a);
                Device db = found(after, b);
                assertThat(da.name()).startsWith("net_" + a + "_");
                assertThat(da.path()).isEqualTo("/sys/devices/virtual/net/" + a);
                netKindIfTyped(da, NetCapability.Kind.VETH);
                assertThat(db.subsystem()).isEqualTo("net");
            } finally {
                exec("ip", "link", "del", a);
            }
            DeviceTree gone = CliRunner.listTree();
            assertThat(gone.lookup(a)).isInstanceOf(Lookup.NotFound.class);
            assertThat(gone.lookup(b)).isInstanceOf(Lookup.NotFound.class);
        }

        /**
         * A targeted reprobe must give what a full scan gives even when it is told of only one half
         * of a veth pair (the kernel's events for the two can fall into two batches), and when a
         * port joins or leaves a bridge (the port's uevent names the port, not the bridge, whose
         * list of ports changes): the devices that name each other are read together.
         */
        @Test
        void reprobesOfOneHalfOfAVethPairAndOfABridgePortMatchFullScans() {
            io.hostdev.probes.sysfs.SysfsProbe probe = new io.hostdev.probes.sysfs.SysfsProbe();
            io.hostdev.probes.HostFiles files = io.hostdev.probes.HostFiles.of(LIVE);
            String a = "hdr" + suffix();
            String b = a + "p";
            String br = a + "b";
            try {
                DeviceTree before = probe.probe(files).tree();
                assertThat(exec("ip", "link", "add", a, "type", "veth", "peer", "name", b)).isZero();
                DeviceTree both = probe.probe(files).tree();
                var halfTold = probe.reprobe(files, before, java.util.Set.of("/sys/devices/virtual/net/" + a));
                assertThat(halfTold).isNotNull();
                assertSameDevices(halfTold.tree(), both, "after a reprobe of " + a + " alone");

                assertThat(exec("ip", "link", "add", br, "type", "bridge")).isZero();
                DeviceTree withBridge = probe.probe(files).tree();
                assertThat(exec("ip", "link", "set", a, "master", br)).isZero();
                DeviceTree joined = probe.probe(files).tree();
                var portTold = probe.reprobe(files, withBridge, java.util.Set.of("/sys/devices/virtual/net/" + a));
                assertSameDevices(portTold.tree(), joined, "after " + a + " joined " + br);

                assertThat(exec("ip", "link", "set", a, "nomaster")).isZero();
                DeviceTree left = probe.probe(files).tree();
                var leftTold = probe.reprobe(files, joined, java.util.Set.of("/sys/devices/virtual/net/" + a));
                assertSameDevices(leftTold.tree(), left, "after " + a + " left " + br);
            } finally {
                exec("ip", "link", "del", a);
                exec("ip", "link", "del", br);
            }
        }

        private static void assertSameDevices(DeviceTree actual, DeviceTree expected, String when) {
            java.util.List<String> differ = new java.util.ArrayList<>();
            for (Device e : expected.devices()) {
                Device a = actual.get(e.name()).orElse(null);
                if (!e.equals(a)) {
                    differ.add(e.name() + ": scan " + e + " reprobe " + a);
                }
            }
            actual.devices().stream().filter(a -> expected.get(a.name()).isEmpty())
                    .forEach(a -> differ.add(a.name() + ": only in the reprobe"));
            assertThat(differ).as(when).isEmpty();
        }

        @Test
        void bridgeWithAPortAppearsAndDisappears() {
            String br = "hdb" + suffix();
            String port = "hdp" + suffix();
            try {
                assertThat(exec("ip", "link", "add", br, "type", "bridge")).isZero();
                assertThat(exec("ip", "link", "add", port, "type", "veth", "peer", "name", port + "x")).isZero();
                assertThat(exec("ip", "link", "set", port, "master", br)).isZero();
                DeviceTree after = CliRunner.listTree();
                Device bridge = found(after, br);
                assertThat(bridge.devtype()).isEqualTo("bridge");
                netKindIfTyped(bridge, NetCapability.Kind.BRIDGE);
                bridge.capability(NetCapability.class).filter(n -> n.bridge() != null)
                        .ifPresent(n -> assertThat(n.bridge().ports()).containsExactly(port));
            } finally {
                exec("ip", "link", "del", port);
                exec("ip", "link", "del", br);
            }
            DeviceTree gone = CliRunner.listTree();
            assertThat(gone.lookup(br)).isInstanceOf(Lookup.NotFound.class);
            assertThat(gone.lookup(port)).isInstanceOf(Lookup.NotFound.class);
        }

        @Test
        void loopDeviceAppearsWhenSetUpAndDisappearsWhenRemoved() throws IOException {
            assumeTrue(exec("losetup", "--version") == 0, "no losetup: loop test skipped");
            int n = freeLoopNumber();
            String loop = "loop" + n;
            Path image = tmp.resolve("disk.img");
            try (var f = java.nio.channels.FileChannel.open(image, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.WRITE)) {
                f.truncate(0).write(java.nio.ByteBuffer.wrap(new byte[1]), (1 << 20) - 1);
            }
            Path devnode = LIVE.dev().resolve(loop);
            DeviceTree before = CliRunner.listTree();
            assertThat(before.get("block_" + loop)).isEmpty();
            try {
                assertThat(exec("losetup", devnode.toString(), image.toString())).isZero();
                DeviceTree after = CliRunner.listTree();
                Device d = found(after, "/dev/" + loop);
                assertThat(d.name()).isEqualTo("block_" + loop);
                assertThat(d.subsystem()).isEqualTo("block");
                d.capability(io.hostdev.model.cap.StorageCapability.class).ifPresent(s -> {
                    assertThat(s.size()).isEqualTo(1L << 20);
                    assertThat(s.backingFile()).isEqualTo(image.toString());
                });
            } finally {
                exec("losetup", "-d", devnode.toString());
            }
            // a detached loop device lingers until removed through loop-control; python3 can issue that ioctl
            boolean removed = exec("python3", "-c", "import fcntl,os;fcntl.ioctl(os.open('"
                    + LIVE.dev().resolve("loop-control") + "',os.O_RDWR),0x4C81," + n + ")") == 0;
            try {
                Files.deleteIfExists(devnode);
            } catch (IOException ignored) {
                // the node is only a leftover of losetup
            }
            DeviceTree gone = CliRunner.listTree();
            if (removed) {
                assertThat(gone.get("block_" + loop)).isEmpty();
            } else {
                gone.get("block_" + loop).flatMap(d -> d.capability(io.hostdev.model.cap.StorageCapability.class))
                        .ifPresent(s -> assertThat(s.backingFile()).isNull());
            }
        }

        private int freeLoopNumber() {
            for (int n = 100 + ThreadLocalRandom.current().nextInt(100); ; n++) {
                if (!Files.exists(LIVE.sys().resolve("class/block/loop" + n)) && !Files.exists(LIVE.dev().resolve("loop" + n))) {
                    return n;
                }
            }
        }
    }

    static Device found(DeviceTree tree, String key) {
        Lookup l = tree.lookup(key);
        assertThat(l).as("lookup of %s", key).isInstanceOf(Lookup.Found.class);
        return ((Lookup.Found) l).device();
    }

    /** Until every reader is typed the net capability may be absent; when present it must be right. */
    static void netKindIfTyped(Device d, NetCapability.Kind kind) {
        d.capability(NetCapability.class).ifPresent(n -> assertThat(n.kind()).isEqualTo(kind));
    }

    static String suffix() {
        return Integer.toString(ThreadLocalRandom.current().nextInt(1000, 10000));
    }

    static int exec(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
