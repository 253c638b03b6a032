package io.hostdev.exporters.libvirt;

import io.hostdev.exporters.libvirt.testing.LibvirtSchemas;
import io.hostdev.model.Device;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.cap.Capability;
import io.hostdev.model.cap.DrmCapability;
import io.hostdev.model.cap.GenericCapability;
import io.hostdev.model.cap.IdName;
import io.hostdev.model.cap.NetCapability;
import io.hostdev.model.cap.PciAddress;
import io.hostdev.model.cap.PciCapability;
import io.hostdev.model.cap.StorageCapability;
import io.hostdev.model.cap.SystemCapability;
import io.hostdev.model.cap.VirtioCapability;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LibvirtViewTest {

    static Device dev(String name, String parent, Capability... caps) {
        return new Device(name, parent, null, null, null, null, List.of(), List.of(), List.of(caps));
    }

    static PciCapability pci(int slot) {
        return new PciCapability(new PciAddress(0, 0, slot, 0), IdName.of("0x1af4"), IdName.of("0x1041"), null, null,
                null, null, null, null, null, null, List.of(), false);
    }

    static NetCapability net(String iface, NetCapability.Kind kind) {
        return new NetCapability(iface, "02:fc:00:00:00:01", null, null, null, kind, null, null, null, null, null,
                null);
    }

    static StorageCapability disk(String node, StorageCapability.Kind kind) {
        return new StorageCapability(kind, node, 0L, 512, false, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The small VM's shape: libvirt's parents skip the virtio level, and acpi/platform devices drop out. */
    static DeviceTree smallVm() {
        return DeviceTree.of(List.of(
                dev("computer", null, SystemCapability.of(null, null, null)),
                dev("pci_0000_00_02_0", "computer", pci(2)),
                dev("virtio_virtio1", "pci_0000_00_02_0", new VirtioCapability(2, "block", "0x1af4")),
                dev("block_vda", "virtio_virtio1", disk("/dev/vda", StorageCapability.Kind.DISK)),
                dev("block_vda1", "block_vda", disk("/dev/vda1", StorageCapability.Kind.PARTITION)),
                dev("pci_0000_00_03_0", "computer", pci(3)),
                dev("virtio_virtio2", "pci_0000_00_03_0", new VirtioCapability(1, "net", "0x1af4")),
                dev("net_eth0_02_fc_00_00_00_01", "virtio_virtio2", net("eth0", NetCapability.Kind.PHYSICAL)),
                dev("platform_serial8250", "computer", GenericCapability.of("platform", Map.of())),
                dev("tty_ttyS0", "platform_serial8250", GenericCapability.of("tty", Map.of())),
                dev("drm_card0", "platform_serial8250", DrmCapability.node("primary")),
                dev("drm_card0_HDMI_A_1", "drm_card0", new DrmCapability("connector", "HDMI-A-1", null, null)),
                dev("net_br0_02_fc_00_00_00_01", "computer", net("br0", NetCapability.Kind.BRIDGE))));
    }

    @Test
    void parentsAreTheNearestAncestorsInTheView() {
        LibvirtView view = LibvirtView.of(smallVm());
        assertThat(view.get("block_vda")).map(Device::parent).hasValue("pci_0000_00_02_0");
        assertThat(view.get("net_eth0_02_fc_00_00_00_01")).map(Device::parent).hasValue("pci_0000_00_03_0");
        assertThat(view.get("block_vda1")).map(Device::parent).hasValue("block_vda");
        assertThat(view.get("drm_card0")).map(Device::parent).hasValue("computer");
        assertThat(view.get("computer")).map(Device::parent).isEmpty();
    }

    @Test
    void devicesWithoutALibvirtFormAreLeftOutAndTheOrderIsTheTrees() {
        LibvirtView view = LibvirtView.of(smallVm());
        assertThat(view.devices()).extracting(Device::name).containsExactly("computer", "net_br0_02_fc_00_00_00_01",
                "pci_0000_00_02_0", "block_vda", "block_vda1", "pci_0000_00_03_0", "net_eth0_02_fc_00_00_00_01",
                "drm_card0");
        assertThat(view.size()).isEqualTo(8);
        assertThat(view.get("virtio_virtio2")).isEmpty();
    }

    @Test
    void theReasonNamesEveryCapabilityThatHasNoForm() {
        DeviceTree tree = smallVm();
        assertThat(LibvirtView.exclusion(tree.get("virtio_virtio2").orElseThrow())).hasValue(
                "virtio_virtio2 is not a libvirt node device: libvirt's node-device XML has no capability for virtio");
        assertThat(LibvirtView.exclusion(tree.get("drm_card0_HDMI_A_1").orElseThrow())).hasValueSatisfying(
                why -> assertThat(why).contains("connector", "primary, control and render"));
        assertThat(LibvirtView.exclusion(dev("x", "computer"))).hasValue(
                "x is not a libvirt node device: it has no capability");
        assertThat(LibvirtView.exclusion(tree.get("block_vda").orElseThrow())).isEmpty();
    }

    @Test
    void theListingHoldsEachDocumentOfTheViewIndentedOneLevel() {
        LibvirtView view = LibvirtView.of(smallVm());
        String listing = NodeDeviceXmlExporter.devices(view);
        assertThat(LibvirtSchemas.deviceDocuments(listing))
                .containsExactlyElementsOf(view.devices().stream().map(NodeDeviceXmlExporter::device).toList());
        assertThat(listing).startsWith("<devices>\n  <device>\n    <name>computer</name>\n").endsWith("</devices>\n");
    }

    @Test
    void theRootIsInTheViewEvenWithoutASystemCapability() {
        LibvirtView view = LibvirtView.of(DeviceTree.of(List.of(dev("computer", null),
                dev("tty_ttyS0", "computer", GenericCapability.of("tty", Map.of())))));
        assertThat(view.devices()).extracting(Device::name).containsExactly("computer");
        assertThat(NodeDeviceXmlExporter.devices(view)).isEqualTo("""
                <devices>
                  <device>
                    <name>computer</name>
                  </device>
                </devices>
                """);
    }
}
