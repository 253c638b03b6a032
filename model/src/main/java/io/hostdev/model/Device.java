package io.hostdev.model;

import io.hostdev.model.cap.Capability;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * One node of the device tree, as read from the host. Absent values are {@code null} (and
 * omitted from JSON); lists are never null, sorted and free of duplicates, so equal devices
 * print byte-identically.
 *
 * @param name         unique name, libvirt's node-device name where libvirt has the device
 * @param parent       name of the parent device; {@code null} only for the root {@code computer}
 * @param path         sysfs path as seen on the host ({@code /sys/devices/...}), not the probe root
 * @param subsystem    the sysfs subsystem (bus or class) the device belongs to
 * @param bus          the subsystem again when it is a bus ({@code sys/bus/...}: pci, usb, virtio, scsi...),
 *                     {@code null} for a class device (net, block, tty...); selectors use it to tell
 *                     "hangs off PCI" from "is PCI"
 * @param devtype      the kernel's {@code DEVTYPE} ({@code disk}, {@code partition}, {@code usb_interface}...)
 * @param driver       the bound driver
 * @param devnodes     device nodes ({@code /dev/vda}) as seen on the host
 * @param aliases      other names that find this device: PCI addresses, interface name, MAC, devnode, path
 * @param capabilities typed capabilities, at most one per type, ordered by type
 * @param stale        true while the source that reported this device fails: the device is kept as
 *                     last seen instead of being removed
 * @param sources      which sources contributed to this record ({@code sysfs}, {@code uevent},
 *                     {@code dbus.udisks2}, {@code dbus.systemd}, {@code dbus.hal}, {@code oshi}), sorted;
 *                     how they merge: docs/sources.md
 */
public record Device(
        String name,
        String parent,
        String path,
        String subsystem,
        String bus,
        String devtype,
        String driver,
        List<String> devnodes,
        List<String> aliases,
        List<Capability> capabilities,
        boolean stale,
        List<String> sources) {

    /** The source of every device the sysfs probe reads. */
    public static final String SYSFS = "sysfs";

    public Device {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("device name is empty");
        }
        devnodes = sortedUnique(devnodes);
        aliases = sortedUnique(aliases);
        capabilities = capabilities == null ? List.of() : sortedByType(capabilities, name);
        sources = sortedUnique(sources);
    }

    /** A device without recorded sources (tests, the bare root). */
    public Device(String name, String parent, String path, String subsystem, String bus, String devtype,
                  String driver, List<String> devnodes, List<String> aliases, List<Capability> capabilities,
                  boolean stale) {
        this(name, parent, path, subsystem, bus, devtype, driver, devnodes, aliases, capabilities, stale, List.of());
    }

    private static List<String> sortedUnique(List<String> values) {
        if (values == null || values.isEmpty()) {
            return List.of();
        }
        TreeSet<String> set = new TreeSet<>(NaturalOrder.INSTANCE);
        for (String v : values) {
            set.add(Objects.requireNonNull(v, "list element"));
        }
        return List.copyOf(set);
    }

    private static List<Capability> sortedByType(List<Capability> caps, String name) {
        List<Capability> sorted = new ArrayList<>(caps);
        sorted.sort(Comparator.comparing(Capability::type));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).type().equals(sorted.get(i - 1).type())) {
                throw new IllegalArgumentException("device " + name + " has two '" + sorted.get(i).type()
                        + "' capabilities");
            }
        }
        return List.copyOf(sorted);
    }

    /** A device that is not a bus member and not stale: the common case in tests and class devices. */
    public Device(String name, String parent, String path, String subsystem, String devtype, String driver,
                  List<String> devnodes, List<String> aliases, List<Capability> capabilities) {
        this(name, parent, path, subsystem, null, devtype, driver, devnodes, aliases, capabilities, false);
    }

    /** The capability of the given record type, if the device has one. */
    public <T extends Capability> Optional<T> capability(Class<T> type) {
        for (Capability c : capabilities) {
            if (type.isInstance(c)) {
                return Optional.of(type.cast(c));
            }
        }
        return Optional.empty();
    }

    /** The capability type names, in order. */
    public List<String> capabilityTypes() {
        return capabilities.stream().map(Capability::type).toList();
    }

    public boolean isRoot() {
        return parent == null;
    }

    public Device withParent(String newParent) {
        return new Device(name, newParent, path, subsystem, bus, devtype, driver, devnodes, aliases, capabilities, stale,
                sources);
    }

    public Device withName(String newName) {
        return new Device(newName, parent, path, subsystem, bus, devtype, driver, devnodes, aliases, capabilities, stale,
                sources);
    }

    public Device withAliases(List<String> newAliases) {
        return new Device(name, parent, path, subsystem, bus, devtype, driver, devnodes, newAliases, capabilities, stale,
                sources);
    }

    public Device withStale(boolean newStale) {
        return newStale == stale ? this
                : new Device(name, parent, path, subsystem, bus, devtype, driver, devnodes, aliases, capabilities, newStale,
                sources);
    }

    public Device withSources(List<String> newSources) {
        return new Device(name, parent, path, subsystem, bus, devtype, driver, devnodes, aliases, capabilities, stale,
                newSources);
    }

    /** This device with {@code source} among its sources (the same instance when it is already). */
    public Device withSource(String source) {
        if (sources.contains(source)) {
            return this;
        }
        List<String> more = new ArrayList<>(sources);
        more.add(source);
        return withSources(more);
    }

    public Device withCapabilities(List<Capability> newCapabilities) {
        return new Device(name, parent, path, subsystem, bus, devtype, driver, devnodes, aliases, newCapabilities, stale,
                sources);
    }

    /** This device with {@code capability} replacing the one of its type, or added. */
    public Device withCapability(Capability capability) {
        List<Capability> next = new ArrayList<>(capabilities.size() + 1);
        for (Capability c : capabilities) {
            if (!c.type().equals(capability.type())) {
                next.add(c);
            }
        }
        next.add(capability);
        return withCapabilities(next);
    }
}
