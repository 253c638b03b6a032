package io.hostdev.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.hostdev.model.ModelJson;
import io.hostdev.probes.testing.FakeSysfs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The real command line, in process, over a small host laid out like sysfs. */
class CliTest {

    @TempDir
    Path root;

    record Run(int code, String out, String err) {
    }

    Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    Run runOnRoot(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--root";
        all[args.length + 1] = root.toString();
        return run(all);
    }

    @BeforeEach
    void host() {
        FakeSysfs fs = new FakeSysfs(root);
        fs.busDevice("pci0000:00/0000:00:03.0", "pci").uevent("PCI_SLOT_NAME=0000:00:03.0", "PCI_ID=1AF4:1041",
                "PCI_CLASS=20000").driver("pci", "virtio-pci");
        fs.busDevice("pci0000:00/0000:00:03.0/virtio2", "virtio").driver("virtio", "virtio_net").attr("device", "0x0001");
        fs.classDevice("pci0000:00/0000:00:03.0/virtio2/net/eth0", "net").uevent("INTERFACE=eth0", "IFINDEX=2")
                .attr("address", "02:fc:00:00:00:01").attr("operstate", "up").attr("mtu", "1500")
                .attr("iflink", "2").attr("ifindex", "2").attr("type", "1")
                .link("device", "sys/devices/pci0000:00/0000:00:03.0/virtio2");
        fs.classDevice("pci0000:00/0000:00:03.0/virtio2/block/vda", "block")
                .uevent("MAJOR=254", "MINOR=0", "DEVNAME=vda", "DEVTYPE=disk").attr("size", "2048");
        fs.classDevice("virtual/tty/ttyS0", "tty").uevent("DEVNAME=ttyS0");
        fs.busDevice("system/memory/memory0", "memory");
        fs.symlink("sys/class/net/eth0-by-path", "../../devices/pci0000:00/0000:00:03.0/virtio2/net/eth0");
    }

    @Nested
    class List {
        @Test
        void treeIsTheDefaultWithTreeFlagAndEndsWithTheSummary() {
            Run r = runOnRoot("list", "--tree");
            assertThat(r.code()).isZero();
            assertThat(r.err()).isEmpty();
            assertThat(r.out()).startsWith("computer\n")
                    .contains("  +- pci_0000_00_03_0", "|   +- virtio_virtio2  virtio net [virtio_net]",
                            "net_eth0_02_fc_00_00_00_01  eth0")
                    .endsWith("7 devices; by subsystem: block 1, memory 1, net 1, pci 1, tty 1, virtio 1; excluded: none\n");
        }

        @Test
        void jsonListsEveryDeviceWithTheSummary() throws Exception {
            Run r = runOnRoot("list", "--output", "json");
            JsonNode doc = ModelJson.reader().readTree(r.out());
            assertThat(doc.get("devices")).hasSize(7);
            assertThat(doc.get("devices").get(0).get("name").asText()).isEqualTo("computer");
            assertThat(doc.at("/summary/total").asInt()).isEqualTo(7);
            assertThat(runOnRoot("list", "-o", "JSON").out()).isEqualTo(r.out());
        }

        @Test
        void yamlAndTableWork() {
            assertThat(runOnRoot("list", "--output", "yaml").out()).startsWith("devices:\n");
            assertThat(runOnRoot("list").out()).startsWith("NAME ").contains("tty_ttyS0");
        }

        @Test
        void excludedSubsystemsAreNamedInTheSummary() {
            Run r = runOnRoot("list", "--summary", "--exclude", "memory,tty");
            assertThat(r.out()).contains("total      5\n").endsWith("excluded: memory 1, tty 1\n");
        }
    }

    @Nested
    class Show {
        @ParameterizedTest
        @ValueSource(strings = {"net_eth0_02_fc_00_00_00_01", "eth0", "02:fc:00:00:00:01", "02:FC:00:00:00:01",
                "/sys/devices/pci0000:00/0000:00:03.0/virtio2/net/eth0", "/sys/class/net/eth0",
                "/sys/class/net/eth0-by-path"})
        void findsTheInterfaceByEveryAlias(String key) throws Exception {
            Run r = runOnRoot("show", key);
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(ModelJson.readDevice(r.out()).name()).isEqualTo("net_eth0_02_fc_00_00_00_01");
        }

        @ParameterizedTest
        @ValueSource(strings = {"pci_0000_00_03_0", "0000:00:03.0", "00:03.0"})
        void findsThePciFunctionByAddressInBothForms(String key) throws Exception {
            assertThat(ModelJson.readDevice(runOnRoot("show", key).out()).name()).isEqualTo("pci_0000_00_03_0");
        }

        @Test
        void findsTheDiskByDevnodeAndPrintsYaml() {
            Run r = runOnRoot("show", "/dev/vda", "--output", "yaml");
            assertThat(r.code()).isZero();
            assertThat(r.out()).startsWith("name: \"block_vda\"\n").contains("size: 1048576");
        }

        @Test
        void unknownNameFailsWithSuggestions() {
            Run r = runOnRoot("show", "eth1");
            assertThat(r.code()).isEqualTo(Cli.FAILED);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).isEqualTo("hostdev: no device 'eth1'; did you mean eth0?\n");
        }

        @Test
        void treeIsNotAShowFormat() {
            Run r = runOnRoot("show", "eth0", "--output", "tree");
            assertThat(r.code()).isEqualTo(Cli.USAGE);
            assertThat(r.err()).contains("show prints json or yaml");
        }
    }

    @Test
    void aDisabledReaderLeavesItsDevicesListedAsGeneric() throws Exception {
        for (String key : new String[] {"eth0", "02:fc:00:00:00:01", "net_eth0_02_fc_00_00_00_01"}) {
            Run r = runOnRoot("show", key, "--disable", "sysfs.net,sysfs.pci");
            assertThat(r.code()).as(r.err()).isZero();
            io.hostdev.model.Device d = ModelJson.readDevice(r.out());
            assertThat(d.name()).as("names do not depend on which readers run").isEqualTo("net_eth0_02_fc_00_00_00_01");
            assertThat(d.capabilityTypes()).containsExactly("generic");
        }
        assertThat(ModelJson.readDevice(runOnRoot("show", "00:03.0", "--disable", "sysfs.pci").out()).name())
                .isEqualTo("pci_0000_00_03_0");
        Run bad = runOnRoot("list", "--disable", "sysfs.nope");
        assertThat(bad.code()).isEqualTo(Cli.FAILED);
        assertThat(bad.err()).startsWith("hostdev: unknown source 'sysfs.nope'; sources are ").contains("sysfs.pci", "qemu");
    }

    @Test
    void capabilitiesFindEmulatorsInConfiguredDirectoriesWithoutRunningThemOnAFixtureRoot() throws Exception {
        new FakeSysfs(root).file("proc/cpuinfo", "processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: fpu lm\n")
                .file("opt/qemu/bin/qemu-system-aarch64", "#!/bin/sh\nexit 1\n");
        Run r = runOnRoot("capabilities", "--emulator-dir", "/opt/qemu/bin", "--machine-cache", "none");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode guests = ModelJson.reader().readTree(r.out()).get("guests");
        assertThat(guests).hasSize(1);
        assertThat(guests.get(0).get("arch").asText()).isEqualTo("aarch64");
        assertThat(guests.get(0).get("emulator").asText()).isEqualTo("/opt/qemu/bin/qemu-system-aarch64");
        assertThat(guests.get(0).has("machines")).as("a fixture root never runs its emulators").isFalse();
        Run xml = runOnRoot("capabilities", "--output", "xml", "--emulator-dir", "/opt/qemu/bin", "--machine-cache", "none");
        assertThat(xml.out()).contains("<arch>x86_64</arch>", "<arch name='aarch64'>", "<domain type='qemu'/>");
        assertThat(runOnRoot("capabilities", "--output", "table").code()).isEqualTo(Cli.USAGE);
    }

    @Test
    void aRootThatIsNotADirectoryIsAClearFailure() {
        Run r = run("list", "--root", root.resolve("nope").toString());
        assertThat(r.code()).isEqualTo(Cli.FAILED);
        assertThat(r.err()).isEqualTo("hostdev: root " + root.resolve("nope") + " is not a directory\n");
    }

    @Test
    void aRootWithoutSysfsIsAClearFailure() {
        Run r = run("list", "--root", root.resolve("sys/devices").toString());
        assertThat(r.code()).isEqualTo(Cli.FAILED);
        assertThat(r.err()).startsWith("hostdev: no sysfs under ");
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run("list", "--bogus").code()).isEqualTo(Cli.USAGE);
        assertThat(run("frobnicate").code()).isEqualTo(Cli.USAGE);
        assertThat(run().code()).isEqualTo(Cli.USAGE);
        Run help = run("--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("list", "show");
    }
}
