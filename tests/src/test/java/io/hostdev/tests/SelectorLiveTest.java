package io.hostdev.tests;

import io.hostdev.agent.cli.Cli;
import io.hostdev.model.Device;
import io.hostdev.probes.HostRoot;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The three selector commands on the machine the tests run on, each answer checked against sysfs itself.
 * Other tests on the machine may add loop devices or links meanwhile, so sysfs is read before and after the
 * listing: what the listing shows must lie between the two readings.
 */
class SelectorLiveTest {

    static final HostRoot LIVE = HostRoot.live();

    @Test
    void busPciAndCapNetListsExactlyThePciBackedInterfaces() throws IOException {
        Set<String> before = pciBackedInterfaces();
        assumeTrue(!before.isEmpty(), "no PCI-backed network interface on this machine: skipped");
        List<Device> listed = list("bus='pci' and cap='net'");
        Set<String> after = pciBackedInterfaces();
        Set<String> interfaces = new TreeSet<>();
        for (Device d : listed) {
            interfaces.add(d.capability(io.hostdev.model.cap.NetCapability.class).orElseThrow().interfaceName());
        }
        assertBetween(interfaces, before, after);
        assertThat(listed).allSatisfy(d -> assertThat(d.subsystem()).isEqualTo("net"));
    }

    @Test
    void storageWithASizeListsExactlyTheBlockDevicesWithANonZeroSize() throws IOException {
        Set<String> before = sizedBlockDevices();
        assumeTrue(!before.isEmpty(), "no block device with a size on this machine: skipped");
        List<Device> listed = list("cap='storage' and storage.size > 0");
        Set<String> after = sizedBlockDevices();
        Set<String> blocks = new TreeSet<>();
        for (Device d : listed) {
            String block = d.capability(io.hostdev.model.cap.StorageCapability.class).orElseThrow().block();
            blocks.add(block.substring(block.lastIndexOf('/') + 1));
        }
        assertBetween(blocks, before, after);
    }

    @Test
    void anUnfinishedSelectorFailsWithAPositionedMessage() {
        assumeTrue(Files.isDirectory(LIVE.sys().resolve("class")), "no sysfs on this machine: skipped");
        CliRunner.Result r = CliRunner.run("list", "--selector", "bus='pci' and");
        assertThat(r.exitCode()).isEqualTo(Cli.USAGE);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("hostdev: bad selector: at column 14: expected a condition after 'and', "
                + "found end of input\n").endsWith("               ^\n");
    }

    /** {@code hostdev list --output json --selector S}: the matching devices (no tree: their parents are not listed). */
    private static List<Device> list(String selector) throws IOException {
        CliRunner.Result r = CliRunner.run("list", "--output", "json", "--selector", selector);
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<Device> out = new java.util.ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode d : io.hostdev.model.ModelJson.reader().readTree(r.out()).get("devices")) {
            out.add(io.hostdev.model.ModelJson.reader().treeToValue(d, Device.class));
        }
        return out;
    }

    /** Every listed name was there before or after, and everything there both times was listed. */
    private static void assertBetween(Set<String> listed, Set<String> before, Set<String> after) {
        Set<String> either = new TreeSet<>(before);
        either.addAll(after);
        Set<String> both = new TreeSet<>(before);
        both.retainAll(after);
        assertThat(either).containsAll(listed);
        assertThat(listed).containsAll(both);
    }

    /** Interfaces whose sysfs directory lies below a PCI function. */
    private static Set<String> pciBackedInterfaces() throws IOException {
        Set<String> out = new TreeSet<>();
        for (Path p : list(LIVE.sys().resolve("class/net"))) {
            Path real = p.toRealPath();
            for (Path a = real.getParent(); a != null; a = a.getParent()) {
                if (Files.isSymbolicLink(a.resolve("subsystem"))
                        && Files.readSymbolicLink(a.resolve("subsystem")).getFileName().toString().equals("pci")) {
                    out.add(p.getFileName().toString());
                    break;
                }
            }
        }
        return out;
    }

    /** Block devices whose {@code size} (512-byte sectors) is above zero. */
    private static Set<String> sizedBlockDevices() throws IOException {
        Set<String> out = new TreeSet<>();
        for (Path p : list(LIVE.sys().resolve("class/block"))) {
            try {
                if (Long.parseLong(Files.readString(p.resolve("size")).strip()) > 0) {
                    out.add(p.getFileName().toString());
                }
            } catch (IOException | NumberFormatException gone) {
                // a device removed meanwhile: not there
            }
        }
        return out;
    }

    private static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
