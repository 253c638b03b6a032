package io.hostdev.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One source's facts laid over the device tree that sysfs built (D-Bus services, OSHI). An overlay
 * adds facts to devices sysfs found; it never adds, removes, renames or moves one: sysfs owns the
 * topology, so {@link #over} keeps every device's name, parent, path, subsystem, bus, devtype and
 * driver whatever the overlay returns. Precedence among sources: docs/sources.md.
 */
@FunctionalInterface
public interface Overlay {

    /** No facts. */
    Overlay NONE = d -> d;

    /**
     * The device with this source's facts merged in, and the source among its
     * {@link Device#sources()} when the source knows the device; the same instance when it knows
     * nothing of it.
     */
    Device apply(Device device);

    /** {@code tree} with every overlay applied in order; the same instance when none changed anything. */
    static DeviceTree over(DeviceTree tree, List<Overlay> overlays) {
        if (overlays.isEmpty()) {
            return tree;
        }
        List<Device> out = new ArrayList<>(tree.size());
        boolean changed = false;
        for (Device d : tree.devices()) {
            Device merged = d;
            for (Overlay o : overlays) {
                merged = o.apply(merged);
            }
            if (merged != d) {
                merged = keepTopology(d, merged);
                changed |= !merged.equals(d);
            }
            out.add(merged);
        }
        return changed ? DeviceTree.of(out) : tree;
    }

    private static Device keepTopology(Device original, Device merged) {
        Objects.requireNonNull(merged, "an overlay returned null");
        return new Device(original.name(), original.parent(), original.path(), original.subsystem(), original.bus(),
                original.devtype(), original.driver(), original.devnodes(), merged.aliases(), merged.capabilities(),
                original.stale(), merged.sources());
    }
}
