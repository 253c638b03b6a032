package io.hostdev.agent.http;

import io.hostdev.model.Device;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.cap.Capability;
import io.hostdev.model.cap.GenericCapability;
import io.hostdev.model.cap.IdName;
import io.hostdev.model.cap.NetCapability;
import io.hostdev.model.cap.PciAddress;
import io.hostdev.model.cap.PciCapability;
import io.hostdev.model.cap.SystemCapability;
import io.hostdev.model.host.Capabilities;
import io.hostdev.model.host.Host;
import io.hostdev.model.host.HostCpu;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Small hand-built hosts: a PCI NIC with eth0, a bridge br0 whose MAC eth0's port shares (one
 * alias, two devices), a TPM that only the generic capability describes (no libvirt form), and any
 * number of veth interfaces to add and remove.
 */
final class TestHost {

    static final String ETH0 = "net_eth0_02_fc_00_00_00_01";
    static final String BR0 = "net_br0_02_fc_00_00_00_01";
    static final String PCI = "pci_0000_00_03_0";
    static final String TPM = "tpm_tpm0";
    static final String SHARED_MAC = "02:fc:00:00:00:01";

    private TestHost() {
    }

    /** The base host plus veth interfaces with these names (as {@code net_NAME_...} devices). */
    static DeviceTree tree(String... veths) {
        List<Device> devices = new ArrayList<>(List.of(
                new Device("computer", null, null, null, null, null, null, List.of(), List.of(),
                        List.of(SystemCapability.of("KVM", null, null)), false),
                device(PCI, "computer", "pci", "pci", "virtio-pci",
                        List.of("0000:00:03.0", "/sys/devices/pci0000:00/0000:00:03.0"), pci("0000:00:03.0")),
                device(ETH0, PCI, "net", null, null, List.of("eth0", SHARED_MAC), net("eth0", SHARED_MAC)),
                device(BR0, "computer", "net", null, null, List.of("br0", SHARED_MAC), net("br0", SHARED_MAC)),
                device(TPM, "computer", "tpm", null, null, List.of("/dev/tpm0"),
                        GenericCapability.of("tpm", Map.of("description", "TPM 2.0 device")))));
        for (String v : veths) {
            devices.add(veth(v));
        }
        return DeviceTree.of(devices);
    }

    /** The base host plus one device with 200 long aliases: its events are about 8 KiB of JSON. */
    static DeviceTree treeWithBigDevice() {
        List<Device> devices = new ArrayList<>(tree().devices());
        List<String> aliases = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            aliases.add(String.format("/dev/disk/by-id/wwn-0x5000c500a1b2c3d4-part%03d", i));
        }
        devices.add(device("block_big", "computer", "block", null, null, aliases,
                GenericCapability.of("block", Map.of("size", "1"))));
        return DeviceTree.of(devices);
    }

    static String vethName(String iface) {
        return "net_" + iface + "_" + mac(iface).replace(':', '_');
    }

    static Device veth(String iface) {
        return device(vethName(iface), "computer", "net", null, null, List.of(iface, mac(iface)), net(iface, mac(iface)));
    }

    /** A locally administered MAC derived from the name, so that names and MACs stay in step. */
    private static String mac(String iface) {
        int h = iface.hashCode();
        return String.format("02:aa:%02x:%02x:%02x:%02x", (h >>> 24) & 0xff, (h >>> 16) & 0xff, (h >>> 8) & 0xff,
                h & 0xff);
    }

    static Capabilities capabilities(String arch) {
        HostCpu cpu = new HostCpu(arch, "GenuineIntel", "Test CPU", 6, 85, 4, null, List.of("vmx"),
                new HostCpu.Topology(1, 1, 1, 2, 1), List.of(4L), 2);
        return new Capabilities(new Host("b9bd1c3c-5b0e-4b4b-8a1a-3a0b1f2e4d5c", "dmi", cpu, null, null, List.of(),
                List.of(), List.of(), null, null), List.of());
    }

    private static Device device(String name, String parent, String subsystem, String bus, String driver,
                                 List<String> aliases, Capability cap) {
        return new Device(name, parent, "/sys/devices/virtual/" + name, subsystem, bus, null, driver, List.of(),
                aliases, List.of(cap), false);
    }

    private static PciCapability pci(String address) {
        PciAddress a = PciAddress.parse(address).orElseThrow();
        return new PciCapability(a, new IdName("0x1af4", "Red Hat, Inc."), IdName.of("0x1000"), null, null,
                new IdName("0x020000", "Ethernet controller"), "0x00", null, null, null, null, List.of(), false);
    }

    private static NetCapability net(String iface, String mac) {
        return new NetCapability(iface, mac, 2, 1500, new NetCapability.Link("up", null), NetCapability.Kind.VETH,
                null, null, null, null, null, null);
    }
}
