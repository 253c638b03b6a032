package io.hostdev.model.select;

import io.hostdev.model.Device;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.cap.GenericCapability;
import io.hostdev.model.cap.IdName;
import io.hostdev.model.cap.NetCapability;
import io.hostdev.model.cap.PciAddress;
import io.hostdev.model.cap.PciCapability;
import io.hostdev.model.cap.StorageCapability;
import io.hostdev.model.cap.SystemCapability;
import io.hostdev.model.cap.UsbDeviceCapability;
import io.hostdev.model.cap.VirtioCapability;

import java.util.List;
import java.util.Map;

/**
 * A small host built by hand: a virtio NIC and disk on PCI, an Intel SR-IOV NIC with one VF bound to vfio-pci, a USB
 * NIC, a bridge, a loop device without a size, a stale device and a generic one.
 */
final class SampleHost {

    private SampleHost() {
    }

    static Device device(String name, String parent, String subsystem, String bus, String driver,
                         List<String> aliases, io.hostdev.model.cap.Capability... caps) {
        return new Device(name, parent, parent == null ? null : "/sys/devices/" + name, subsystem, bus, null, driver,
                List.of(), aliases, List.of(caps), false);
    }

    static PciCapability pci(String address, String vendor, String product, Integer totalVfs, Integer numVfs,
                             boolean assignable) {
        PciAddress a = PciAddress.parse(address).orElseThrow();
        return new PciCapability(a, new IdName(vendor, vendor.equals("0x8086") ? "Intel Corporation" : null),
                IdName.of(product), null, null, new IdName("0x020000", "Ethernet controller"), "0x01",
                new PciCapability.IommuGroup(3, List.of(a.toString(), "0000:00:04.1")), 0,
                new PciCapability.Link(new PciCapability.LinkState(8.0, 4), new PciCapability.LinkState(2.5, 1)),
                totalVfs == null ? null : new PciCapability.Sriov(totalVfs, numVfs, List.of(), null),
                List.of(new PciCapability.Resource(0, PciCapability.ResourceKind.MMIO, 0xfe000000L, 0xfe0fffffL, 0x40200L),
                        new PciCapability.Resource(2, PciCapability.ResourceKind.IO, 0xc000L, 0xc03fL, 0x40101L)),
                assignable);
    }

    static NetCapability net(String iface, String mac, Long speed, NetCapability.Kind kind) {
        return new NetCapability(iface, mac, 2, 1500, new NetCapability.Link("up", speed), kind, null, null,
                kind == NetCapability.Kind.BRIDGE ? new NetCapability.Bridge(List.of("veth0", "eth1")) : null,
                null, null, null);
    }

    static StorageCapability storage(String block, Long size, StorageCapability.Kind kind) {
        return new StorageCapability(kind, block, size, 512, false, false, false, null, null, null, null, null, null, null, null, null);
    }

    static DeviceTree tree() {
        return DeviceTree.of(List.of(
                new Device("computer", null, null, null, null, null, null, List.of(), List.of(),
                        List.of(SystemCapability.of("KVM", null, null)), false),
                device("pci_0000_00_03_0", "computer", "pci", "pci", "virtio-pci", List.of("0000:00:03.0"),
                        pci("0000:00:03.0", "0x1af4", "0x1000", null, null, false)),
                device("virtio_virtio2", "pci_0000_00_03_0", "virtio", "virtio", "virtio_net", List.of(),
                        new VirtioCapability(1, "net", "0x1af4")),
                device("net_eth0_02_fc_00_00_00_01", "virtio_virtio2", "net", null, null,
                        List.of("eth0", "02:fc:00:00:00:01"), net("eth0", "02:fc:00:00:00:01", null,
                                NetCapability.Kind.PHYSICAL)),
                device("pci_0000_00_04_0", "computer", "pci", "pci", "ixgbe", List.of("0000:00:04.0"),
                        pci("0000:00:04.0", "0x8086", "0x10fb", 63, 2, false)),
                device("pci_0000_00_04_1", "computer", "pci", "pci", "vfio-pci", List.of("0000:00:04.1"),
                        pci("0000:00:04.1", "0x8086", "0x10ed", null, null, true)),
                device("net_enp0s4_a0_36_9f_00_00_01", "pci_0000_00_04_0", "net", null, null, List.of("enp0s4"),
                        net("enp0s4", "a0:36:9f:00:00:01", 10000L, NetCapability.Kind.PHYSICAL)),
                device("pci_0000_00_05_0", "computer", "pci", "pci", "virtio-pci", List.of(),
                        pci("0000:00:05.0", "0x1af4", "0x1001", null, null, false)),
                device("virtio_virtio3", "pci_0000_00_05_0", "virtio", "virtio", "virtio_blk", List.of(),
                        new VirtioCapability(2, "block", "0x1af4")),
                device("block_vda", "virtio_virtio3", "block", null, null, List.of("/dev/vda"),
                        storage("/dev/vda", 10737418240L, StorageCapability.Kind.DISK)),
                device("block_vda1", "block_vda", "block", null, null, List.of("/dev/vda1"),
                        storage("/dev/vda1", 1048576L, StorageCapability.Kind.PARTITION)),
                device("block_loop0", "computer", "block", null, null, List.of("/dev/loop0"),
                        storage("/dev/loop0", null, StorageCapability.Kind.LOOP)),
                device("usb_1_1", "computer", "usb", "usb", "usb", List.of(),
                        new UsbDeviceCapability(1, 2, new IdName("0x0bda", "Realtek"), IdName.of("0x8153"), "0x00",
                                "3.00", 5000.0, null)),
                device("net_eth1_00_e0_4c_00_00_01", "usb_1_1", "net", null, null, List.of("eth1"),
                        net("eth1", "00:e0:4c:00:00:01", 1000L, NetCapability.Kind.PHYSICAL)),
                device("net_br0_02_00_00_00_00_01", "computer", "net", null, null, List.of("br0"),
                        net("br0", "02:00:00:00:00:01", null, NetCapability.Kind.BRIDGE)),
                device("tpm_tpm0", "computer", "tpm", null, null, List.of(),
                        GenericCapability.of("tpm", Map.of("tpm_version_major", "2", "description", "TPM 2.0 device")))
                        .withStale(true)));
    }

    /** The names of the devices of {@link #tree()} that the selector matches. */
    static List<String> names(String selector) {
        DeviceTree t = tree();
        return Selector.parse(selector).select(t).stream().map(Device::name).toList();
    }
}
