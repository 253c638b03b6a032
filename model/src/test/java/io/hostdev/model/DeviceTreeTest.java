package io.hostdev.model;

import io.hostdev.model.cap.NetCapability;
import io.hostdev.model.cap.PciAddress;
import io.hostdev.model.cap.PciCapability;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeviceTreeTest {

    static Device dev(String name, String parent, String... aliases) {
        return new Device(name, parent, null, null, null, null, List.of(), List.of(aliases), List.of());
    }

    static List<Device> sample() {
        return List.of(
                dev("computer", null),
                dev("pci_0000_00_10_0", "computer", "0000:00:10.0", "00:10.0"),
                dev("pci_0000_00_03_0", "computer", "0000:00:03.0", "00:03.0"),
                dev("virtio_virtio2", "pci_0000_00_03_0"),
                dev("net_eth0_02_fc_00_00_00_01", "virtio_virtio2", "eth0", "02:fc:00:00:00:01"),
                dev("net_br0_02_fc_00_00_00_01", "computer", "br0", "02:fc:00:00:00:01"),
                dev("block_vda", "pci_0000_00_10_0", "/dev/vda"));
    }

    @Nested
    class Order {
        @Test
        void isPreOrderWithNaturallySortedSiblingsWhateverTheInputOrder() {
            List<Device> shuffled = new ArrayList<>(sample());
            Collections.shuffle(shuffled, new Random(7));
            assertThat(DeviceTree.of(shuffled).devices()).extracting(Device::name).containsExactly(
                    "computer",
                    "net_br0_02_fc_00_00_00_01",
                    "pci_0000_00_03_0", "virtio_virtio2", "net_eth0_02_fc_00_00_00_01",
                    "pci_0000_00_10_0", "block_vda");
        }

        @Test
        void subtreeAndAncestorsFollowParents() {
            DeviceTree t = DeviceTree.of(sample());
            assertThat(t.subtree("pci_0000_00_03_0")).extracting(Device::name)
                    .containsExactly("pci_0000_00_03_0", "virtio_virtio2", "net_eth0_02_fc_00_00_00_01");
            assertThat(t.ancestors("net_eth0_02_fc_00_00_00_01")).extracting(Device::name)
                    .containsExactly("virtio_virtio2", "pci_0000_00_03_0", "computer");
            assertThat(t.subtree("nope")).isEmpty();
            assertThat(t.root().name()).isEqualTo("computer");
        }
    }

    @Nested
    class Validation {
        @Test
        void duplicateNamesAreRejected() {
            assertThatThrownBy(() -> DeviceTree.of(List.of(dev("computer", null), dev("a", "computer"),
                    dev("a", "computer")))).hasMessageContaining("duplicate device name: a");
        }

        @Test
        void unknownParentIsRejected() {
            assertThatThrownBy(() -> DeviceTree.of(List.of(dev("computer", null), dev("a", "ghost"))))
                    .hasMessageContaining("a has unknown parent ghost");
        }

        @Test
        void cyclesAreRejected() {
            assertThatThrownBy(() -> DeviceTree.of(List.of(dev("computer", null), dev("a", "b"), dev("b", "a"))))
                    .hasMessageContaining("not reachable").hasMessageContaining("[a, b]");
        }

        @Test
        void exactlyOneRoot() {
            assertThatThrownBy(() -> DeviceTree.of(List.of(dev("computer", null), dev("other", null))))
                    .hasMessageContaining("two root devices");
            assertThatThrownBy(() -> DeviceTree.of(List.of())).hasMessageContaining("no devices");
        }
    }

    @Nested
    class Lookups {
        final DeviceTree tree = DeviceTree.of(sample());

        @Test
        void byNameAndEveryAliasForm() {
            for (String key : List.of("pci_0000_00_03_0", "0000:00:03.0", "00:03.0", "0000:00:03.0".toUpperCase())) {
                assertThat(tree.lookup(key)).isEqualTo(new Lookup.Found(tree.get("pci_0000_00_03_0").orElseThrow()));
            }
            assertThat(tree.lookup("eth0")).isInstanceOf(Lookup.Found.class);
            assertThat(tree.lookup("/dev/vda")).extracting(l -> ((Lookup.Found) l).device().name())
                    .isEqualTo("block_vda");
        }

        @Test
        void sharedAliasIsAmbiguousAndNamesTheCandidates() {
            assertThat(tree.lookup("02:FC:00:00:00:01")).isEqualTo(new Lookup.Ambiguous("02:FC:00:00:00:01",
                    List.of("net_br0_02_fc_00_00_00_01", "net_eth0_02_fc_00_00_00_01")));
        }

        @Test
        void unknownKeySuggestsCloseNames() {
            Lookup l = tree.lookup("eth1");
            assertThat(l).isInstanceOf(Lookup.NotFound.class);
            assertThat(((Lookup.NotFound) l).suggestions()).contains("eth0");
            assertThat(tree.lookup("")).isInstanceOf(Lookup.NotFound.class);
        }
    }

    @Test
    void editDistanceStopsAtTheLimit() {
        assertThat(Suggestions.editDistance("eth0", "eth1", 3)).isEqualTo(1);
        assertThat(Suggestions.editDistance("kitten", "sitting", 5)).isEqualTo(3);
        assertThat(Suggestions.editDistance("a", "abcdefgh", 3)).isEqualTo(3);
    }

    @Test
    void countsBySubsystemSkipTheRoot() {
        Device root = dev("computer", null);
        Device pci = new Device("pci_0000_00_03_0", "computer", "/sys/devices/pci0000:00/0000:00:03.0", "pci", null,
                null, List.of(), List.of(), List.of(new PciCapability(PciAddress.parse("00:03.0").orElseThrow(),
                null, null, null, null, null, null, null, null, null, null, List.of(), false)));
        Device net = new Device("net_lo_00_00_00_00_00_00", "computer", null, "net", null, null, List.of(), List.of(),
                List.of(new NetCapability("lo", null, 1, 65536, null, NetCapability.Kind.LOOPBACK, null, null, null,
                        null, null, null)));
        assertThat(DeviceTree.of(List.of(root, pci, net)).countBySubsystem()).containsExactly(
                org.assertj.core.api.Assertions.entry("net", 1), org.assertj.core.api.Assertions.entry("pci", 1));
    }

    @Test
    void contextHoldsAncestorsNearestFirstAndTheBusesOnThePath() {
        Device root = dev("computer", null);
        Device pci = new Device("pci_0000_00_03_0", "computer", null, "pci", "pci", null, null, List.of(), List.of(),
                List.of(), false);
        Device virtio = new Device("virtio_virtio2", "pci_0000_00_03_0", null, "virtio", "virtio", null, null, List.of(),
                List.of(), List.of(), false);
        Device eth0 = new Device("net_eth0", "virtio_virtio2", null, "net", null, null, null, List.of(), List.of(),
                List.of(), false);
        DeviceTree t = DeviceTree.of(List.of(eth0, virtio, root, pci));
        DeviceContext c = t.context("net_eth0");
        assertThat(c.ancestors()).containsExactly("virtio_virtio2", "pci_0000_00_03_0", "computer");
        assertThat(c.buses()).containsExactly("pci", "virtio");
        assertThat(t.context("pci_0000_00_03_0").buses()).containsExactly("pci");
        assertThat(t.context("computer")).isEqualTo(new DeviceContext(List.of(), new java.util.TreeSet<>()));
        assertThat(t.context("nope")).isNull();
    }
}
