package io.hostdev.agent.testing;

import io.hostdev.model.Device;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.cap.Capability;
import io.hostdev.model.cap.NetCapability;
import io.hostdev.model.cap.PciAddress;
import io.hostdev.model.cap.PciCapability;
import io.hostdev.model.cap.StorageCapability;

import java.util.ArrayList;
import java.util.List;

/** Small device trees built from records, for tests that need exact devices rather than a host. */
public final class Trees {

    private final List<Device> devices = new ArrayList<>();

    private Trees() {
        devices.add(new Device(DeviceTree.ROOT, null, null, null, null, null, null, List.of(), List.of(),
                List.of(), false));
    }

    public static Trees computer() {
        return new Trees();
    }

    public Trees add(Device d) {
        devices.add(d);
        return this;
    }

    public DeviceTree build() {
        return DeviceTree.of(devices);
    }

    /** A PCI function at {@code address} (short or long form) under the root. */
    public static Device pci(String address, PciCapability.Link link, PciCapability.Sriov sriov) {
        PciAddress a = PciAddress.parse(address).orElseThrow();
        PciCapability cap = new PciCapability(a, null, null, null, null, null, null, null, null, link, sriov,
                List.of(), false);
        return new Device(a.libvirtName(), DeviceTree.ROOT, "/sys/devices/pci0000:00/" + a, "pci", "pci",
                null, null, List.of(), List.of(a.toString()), List.<Capability>of(cap), false);
    }

    public static PciCapability.Link link(Double maxSpeed, Integer maxWidth, Double speed, Integer width) {
        return new PciCapability.Link(new PciCapability.LinkState(maxSpeed, maxWidth),
                new PciCapability.LinkState(speed, width));
    }

    /** A network interface under {@code parent}, with operstate and speed in Mbit/s. */
    public static Device net(String iface, String parent, String state, Long speed) {
        NetCapability cap = new NetCapability(iface, "52:54:00:00:00:01", 2, 1500,
                state == null && speed == null ? null : new NetCapability.Link(state, speed),
                NetCapability.Kind.PHYSICAL, null, null, null, null, null, null);
        return new Device("net_" + iface, parent, "/sys/class/net/" + iface, "net", null, null, null, List.of(),
                List.of(iface), List.<Capability>of(cap), false);
    }

    /** A disk with a device node and a size in bytes. */
    public static Device disk(String block, Long size) {
        StorageCapability cap = new StorageCapability(StorageCapability.Kind.DISK, block, size, 512, false, false,
                false, null, null, null, null, null, null, null, null, null);
        return new Device("block_" + block, DeviceTree.ROOT, "/sys/block/" + block, "block", null, "disk", null,
                List.of("/dev/" + block), List.of(), List.<Capability>of(cap), false);
    }

    /** A device of a subsystem with no typed capability the facts know. */
    public static Device other(String name, String subsystem, String bus) {
        return new Device(name, DeviceTree.ROOT, "/sys/devices/" + name, subsystem, bus, null, null, List.of(),
                List.of(), List.<Capability>of(), false);
    }
}
