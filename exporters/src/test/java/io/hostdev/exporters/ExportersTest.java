package io.hostdev.exporters;

import io.hostdev.model.Device;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.ModelJson;
import io.hostdev.model.cap.IdName;
import io.hostdev.model.cap.NetCapability;
import io.hostdev.model.cap.PciAddress;
import io.hostdev.model.cap.PciCapability;
import io.hostdev.model.cap.StorageCapability;
import io.hostdev.model.cap.UsbInterfaceCapability;
import io.hostdev.model.cap.VirtioCapability;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ExportersTest {

    static Device dev(String name, String parent, String subsystem, String driver, List<io.hostdev.model.cap.Capability> caps) {
        return new Device(name, parent, null, subsystem, null, driver, List.of(), List.of(), caps);
    }

    static DeviceTree tree() {
        PciCapability nic = new PciCapability(PciAddress.parse("00:03.0").orElseThrow(),
                new IdName("0x1af4", "Red Hat, Inc."), new IdName("0x1041", "Virtio 1.0 network device"),
                null, null, new IdName("0x020000", null), null, null, null, null, null, List.of(), false);
        return DeviceTree.of(List.of(
                dev("computer", null, null, null, List.of()),
                dev("pci_0000_00_03_0", "computer", "pci", "virtio-pci", List.of(nic)),
                dev("virtio_virtio2", "pci_0000_00_03_0", "virtio", "virtio_net",
                        List.of(new VirtioCapability(1, "net", "0x1af4"))),
                dev("net_eth0_02_fc_00_00_00_01", "virtio_virtio2", "net", null,
                        List.of(new NetCapability("eth0", "02:fc:00:00:00:01", 4, 1500, new NetCapability.Link("up", 1000L),
                                NetCapability.Kind.PHYSICAL, null, null, null, null, null, null))),
                dev("pci_0000_00_04_0", "computer", "pci", null, List.of()),
                dev("block_vda", "computer", "block", null, List.of(new StorageCapability(StorageCapability.Kind.DISK,
                        "/dev/vda", 274877906944L, 512, false, true, false, null, null, null, null, null, null, null, null, null)))));
    }

    @Test
    void treeIsDrawnLikeVirshWithDescriptionsAndAFooter() {
        String text = TreeExporter.render(tree(), new ListSummary(6, Map.of("pci", 2, "net", 1), Map.of("memory", 192)));
        assertThat(text).isEqualTo("""
                computer
                  +- block_vda  disk 256.0 GiB
                  +- pci_0000_00_03_0  Red Hat, Inc. Virtio 1.0 network device [virtio-pci]
                  |   +- virtio_virtio2  virtio net [virtio_net]
                  |       +- net_eth0_02_fc_00_00_00_01  eth0 up 1000Mb/s 02:fc:00:00:00:01
                  +- pci_0000_00_04_0

                6 devices; by subsystem: net 1, pci 2; excluded: memory 192
                """);
    }

    @Test
    void tableHasOneAlignedRowPerDevice() {
        String text = TableExporter.render(tree().devices(), null);
        List<String> lines = text.lines().toList();
        assertThat(lines).hasSize(7);
        assertThat(lines.get(0)).startsWith("NAME").contains("SUBSYSTEM", "PARENT", "DESCRIPTION");
        int column = lines.get(0).indexOf("SUBSYSTEM");
        assertThat(lines.subList(1, lines.size())).allSatisfy(l -> assertThat(l.charAt(column - 1)).isEqualTo(' '));
        assertThat(lines.get(1)).startsWith("computer").contains(" - ");
        assertThat(text).doesNotEndWith(" \n");
    }

    @Test
    void summaryNamesExclusionsOrSaysNone() {
        ListSummary none = new ListSummary(3, Map.of("pci", 2), Map.of());
        assertThat(none.oneLine()).isEqualTo("3 devices; by subsystem: pci 2; excluded: none");
        assertThat(none.table()).isEqualTo("SUBSYSTEM  DEVICES\npci        2\ntotal      3\nexcluded: none\n");
        ListSummary some = new ListSummary(1, Map.of(), Map.of("tty", 68, "memory", 192));
        assertThat(some.table()).endsWith("excluded: memory 192, tty 68\n");
        assertThat(new ListSummary(1, Map.of(), Map.of()).oneLine()).startsWith("1 device;");
    }

    @Nested
    class Descriptions {
        @Test
        void absentNumbersAreLeftOutNotPrintedAsNull() {
            Device usb = dev("usb_1_1_1_0", "computer", "usb", null,
                    List.of(new UsbInterfaceCapability(null, null, null, null, null)));
            Device virtio = dev("virtio_virtio9", "computer", "virtio", null, List.of(new VirtioCapability(null, null, null)));
            assertThat(DeviceDescription.of(usb)).isEqualTo("interface");
            assertThat(DeviceDescription.of(virtio)).isEqualTo("virtio device");
            assertThat(DeviceDescription.of(usb) + DeviceDescription.of(virtio)).doesNotContain("null");
        }

        @Test
        void pciWithoutNamesShowsIdsAndClass() {
            PciCapability bare = new PciCapability(PciAddress.parse("00:00.0").orElseThrow(), IdName.of("0x8086"),
                    IdName.of("0x0d57"), null, null, IdName.of("0x060000"), null, null, null, null, null, List.of(), false);
            assertThat(DeviceDescription.of(dev("pci_0000_00_00_0", "computer", "pci", null, List.of(bare))))
                    .isEqualTo("0x8086 0x0d57 (class 0x060000)");
        }

        @ParameterizedTest
        @CsvSource({"0, 0 B", "1023, 1023 B", "1024, 1.0 KiB", "1572864, 1.5 MiB", "274877906944, 256.0 GiB"})
        void sizesUseBinaryUnits(long bytes, String text) {
            assertThat(DeviceDescription.bytes(bytes)).isEqualTo(text);
        }
    }

    @Test
    void jsonAndYamlListingsAreStableAndCarryTheSummary() throws Exception {
        ListSummary summary = ListSummary.of(tree(), Map.of());
        String json = JsonExporter.devices(tree().devices(), summary);
        assertThat(JsonExporter.devices(tree().devices(), summary)).isEqualTo(json);
        assertThat(ModelJson.reader().readTree(json).get("devices")).hasSize(6);
        assertThat(ModelJson.reader().readTree(json).at("/summary/by_subsystem/pci").asInt()).isEqualTo(2);
        String yaml = YamlExporter.devices(tree().devices(), summary);
        assertThat(yaml).startsWith("devices:\n").contains("- name: \"computer\"", "interface: \"eth0\"",
                        "by_subsystem:", "id: \"0x1af4\"", "address: \"02:fc:00:00:00:01\"")
                .doesNotContain("null", "---");
        assertThat(YamlExporter.device(tree().get("block_vda").orElseThrow())).contains("size: 274877906944");
    }
}
