package io.hostdev.exporters.libvirt;

import io.hostdev.model.Device;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.cap.Capability;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The device tree as libvirt's node-device API shows it: every device that has a capability
 * libvirt's node-device XML can express (see {@link NodeDeviceXmlExporter#problem}), plus the root
 * {@code computer}. Each device's parent is its nearest ancestor in hostdev's tree that is itself in
 * the view, so hostdev's finer levels (virtio devices, class devices) drop out and every device
 * libvirt lists gets libvirt's parent: {@code net_eth0_...} hangs under its PCI function, not under
 * {@code virtio_virtio2}.
 *
 * <p>This is a superset of what libvirt lists: libvirt also leaves out partitions, loop, zram and
 * device-mapper devices, bridges, bonds and VLAN interfaces, which the schema can express and
 * hostdev keeps (docs/libvirt-xml.md has the rule and the evidence). None of those is ever the
 * ancestor of a device libvirt lists, so the extra devices do not change any parent libvirt shows.
 */
public final class LibvirtView {

    private final Map<String, Device> devices;

    private LibvirtView(Map<String, Device> devices) {
        this.devices = devices;
    }

    public static LibvirtView of(DeviceTree tree) {
        Set<String> members = new HashSet<>();
        for (Device d : tree.devices()) {
            if (d.isRoot() || exclusion(d).isEmpty()) {
                members.add(d.name());
            }
        }
        Map<String, Device> view = new LinkedHashMap<>();
        for (Device d : tree.devices()) {
            if (members.contains(d.name())) {
                view.put(d.name(), d.isRoot() ? d : d.withParent(nearestMember(tree, d, members)));
            }
        }
        return new LibvirtView(Collections.unmodifiableMap(view));
    }

    private static String nearestMember(DeviceTree tree, Device d, Set<String> members) {
        for (Device a : tree.ancestors(d.name())) {
            if (members.contains(a.name())) {
                return a.name();
            }
        }
        return DeviceTree.ROOT;
    }

    /** The devices of the view in the tree's order, each with its parent in the view. */
    public List<Device> devices() {
        return List.copyOf(devices.values());
    }

    /** The device as the view shows it (its parent replaced by its nearest ancestor in the view). */
    public Optional<Device> get(String name) {
        return Optional.ofNullable(devices.get(name));
    }

    public int size() {
        return devices.size();
    }

    /**
     * Why the device is not in any view: none of its capabilities has a libvirt node-device form.
     * Empty for a device that is (the root always is).
     */
    public static Optional<String> exclusion(Device d) {
        if (d.isRoot()) {
            return Optional.empty();
        }
        List<String> problems = new ArrayList<>();
        for (Capability c : d.capabilities()) {
            Optional<String> problem = NodeDeviceXmlExporter.problem(c);
            if (problem.isEmpty()) {
                return Optional.empty();
            }
            problems.add(problem.get());
        }
        if (problems.isEmpty()) {
            return Optional.of(d.name() + " is not a libvirt node device: it has no capability");
        }
        return Optional.of(d.name() + " is not a libvirt node device: " + String.join("; ", problems));
    }
}
