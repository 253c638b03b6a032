package io.hostdev.agent.metrics;

import io.hostdev.model.Device;
import io.hostdev.model.DeviceMatcher;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.cap.NetCapability;
import io.hostdev.model.cap.PciCapability;
import io.hostdev.model.cap.StorageCapability;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Facts about single devices that operators alert on, derived from the device tree (never read from
 * the host: the tree holds what was read, this is a view of it). One series per device and fact,
 * labelled with the device's name and one identity label an operator recognises: the PCI address,
 * the interface name or the device node. Nothing else (no vendor names, no paths), so a series'
 * identity changes only when the device does.
 */
final class DeviceFacts {

    /** One exported fact: a gauge family. */
    enum Fact {
        PCI_LINK_DEGRADED("hostdev.pci.link.degraded", "pci_address",
                "1 when the PCIe link runs below its capability (current_link_speed or current_link_width below "
                        + "max_link_*), 0 at full speed and width"),
        PCI_SRIOV_VFS_ENABLED("hostdev.pci.sriov.vfs.enabled", "pci_address",
                "SR-IOV virtual functions enabled on a physical function (sriov_numvfs)"),
        PCI_SRIOV_VFS_SUPPORTED("hostdev.pci.sriov.vfs.supported", "pci_address",
                "SR-IOV virtual functions a physical function supports (sriov_totalvfs)"),
        NET_LINK_UP("hostdev.net.link.up", "interface",
                "1 when the interface's operstate is up, 0 when it is down, dormant, testing or not present"),
        NET_LINK_SPEED("hostdev.net.link.speed.bytes.per.second", "interface",
                "Link speed the driver reports, in bytes per second"),
        STORAGE_SIZE("hostdev.storage.size.bytes", "devnode", "Size of the block device in bytes");

        final String meterName;
        final String identityLabel;
        final String help;

        Fact(String meterName, String identityLabel, String help) {
            this.meterName = meterName;
            this.identityLabel = identityLabel;
            this.help = help;
        }
    }

    /** One series: its fact, the device name, the identity label's value ("" when the device has none), the value. */
    record Sample(Fact fact, String device, String identity, double value) {
    }

    /**
     * The samples of the matching devices, in tree order and, per device, in {@link Fact} order; at
     * most {@code cap}, the rest counted in {@code dropped}.
     */
    record Collected(List<Sample> samples, int dropped) {
        Collected {
            samples = List.copyOf(samples);
        }
    }

    private static final double MBIT_IN_BYTES = 1_000_000 / 8.0;

    private DeviceFacts() {
    }

    static Collected collect(DeviceTree tree, DeviceMatcher matcher, int cap) {
        List<Sample> kept = new ArrayList<>();
        int dropped = 0;
        for (Device d : tree.devices()) {
            if (!matcher.matches(d, tree.context(d.name()))) {
                continue;
            }
            for (Sample s : of(d)) {
                if (kept.size() < cap) {
                    kept.add(s);
                } else {
                    dropped++;
                }
            }
        }
        return new Collected(kept, dropped);
    }

    /** Every fact the device has, in {@link Fact} order; none for a device without pci, net or storage. */
    static List<Sample> of(Device d) {
        List<Sample> out = new ArrayList<>();
        d.capability(PciCapability.class).ifPresent(pci -> {
            String address = pci.address() == null ? "" : pci.address().toString();
            Integer degraded = linkDegraded(pci.link());
            if (degraded != null) {
                out.add(new Sample(Fact.PCI_LINK_DEGRADED, d.name(), address, degraded));
            }
            PciCapability.Sriov sriov = pci.sriov();
            // a VF has an sriov block too (its PF); only a PF has counts
            if (sriov != null && sriov.numVfs() != null) {
                out.add(new Sample(Fact.PCI_SRIOV_VFS_ENABLED, d.name(), address, sriov.numVfs()));
            }
            if (sriov != null && sriov.totalVfs() != null) {
                out.add(new Sample(Fact.PCI_SRIOV_VFS_SUPPORTED, d.name(), address, sriov.totalVfs()));
            }
        });
        d.capability(NetCapability.class).ifPresent(net -> {
            String iface = net.interfaceName() == null ? "" : net.interfaceName();
            NetCapability.Link link = net.link();
            Integer up = link == null ? null : linkUp(link.state());
            if (up != null) {
                out.add(new Sample(Fact.NET_LINK_UP, d.name(), iface, up));
            }
            Double speed = link == null ? null : speedBytesPerSecond(link.speed());
            if (speed != null) {
                out.add(new Sample(Fact.NET_LINK_SPEED, d.name(), iface, speed));
            }
        });
        d.capability(StorageCapability.class).ifPresent(storage -> {
            if (storage.size() != null) {
                String devnode = d.devnodes().isEmpty() ? "" : d.devnodes().get(0);
                out.add(new Sample(Fact.STORAGE_SIZE, d.name(), devnode, storage.size()));
            }
        });
        return out;
    }

    /**
     * 1 when the current link is slower or narrower than the maximum, 0 when it is not, null when no
     * pair of values can be compared (no link, or the kernel reported either side unknown). Only the
     * components known on both sides count: a known width at full value with an unknown speed is 0.
     */
    static Integer linkDegraded(PciCapability.Link link) {
        if (link == null || link.max() == null || link.current() == null) {
            return null;
        }
        PciCapability.LinkState max = link.max();
        PciCapability.LinkState cur = link.current();
        boolean compared = false;
        boolean degraded = false;
        if (max.speed() != null && cur.speed() != null) {
            compared = true;
            degraded = cur.speed() < max.speed();
        }
        if (max.width() != null && cur.width() != null) {
            compared = true;
            degraded |= cur.width() < max.width();
        }
        return compared ? (degraded ? 1 : 0) : null;
    }

    /**
     * From the kernel's {@code operstate} (RFC 2863 names, Documentation/networking/operstates.rst):
     * 1 for {@code up}, null for {@code unknown} (loopback and many virtual links never report a state:
     * calling them down would page someone), 0 for everything else.
     */
    static Integer linkUp(String operstate) {
        if (operstate == null || operstate.isBlank()) {
            return null;
        }
        return switch (operstate.strip().toLowerCase(Locale.ROOT)) {
            case "up" -> 1;
            case "unknown" -> null;
            default -> 0;
        };
    }

    /** Mbit/s as the kernel reports it, in bytes per second; null when unknown or not positive. */
    static Double speedBytesPerSecond(Long mbits) {
        return mbits == null || mbits <= 0 ? null : mbits * MBIT_IN_BYTES;
    }
}
