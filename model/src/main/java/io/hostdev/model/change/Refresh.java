package io.hostdev.model.change;

import io.hostdev.model.Device;
import io.hostdev.model.DeviceTree;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The tree to publish after a probe cycle: "stale, not removed". A failed read keeps every device
 * of the previous tree and marks it {@code stale}, so its diff is one {@code stale: false → true}
 * update per device and never a {@code removed}; the next successful read replaces the tree, which
 * clears the marks ({@code stale: true → false}, with whatever else really changed).
 *
 * <p>Today one source (sysfs) builds the whole tree. When several sources contribute devices
 * (D-Bus bridges), a failure of one must mark only that source's devices: {@link #markStale} takes
 * the predicate that says which devices a source owns, and a success of that source replaces only
 * its devices. See docs/changes.md.
 */
public final class Refresh {

    private Refresh() {
    }

    /**
     * @param previous the tree published last, {@code null} before the first successful read
     * @return the tree to publish now; {@code null} only while no read has succeeded yet
     */
    public static DeviceTree apply(DeviceTree previous, ProbeOutcome outcome) {
        Objects.requireNonNull(outcome, "outcome");
        if (outcome instanceof ProbeOutcome.Success s) {
            return clearStale(s.tree());
        }
        return previous == null ? null : markStale(previous, d -> true);
    }

    /** The same tree with the devices {@code owned} selects marked stale; the tree itself if none changes. */
    public static DeviceTree markStale(DeviceTree tree, Predicate<Device> owned) {
        return withStale(tree, owned, true);
    }

    /** A probe never reports stale devices; clearing anyway makes "a success clears it" hold by construction. */
    static DeviceTree clearStale(DeviceTree tree) {
        return withStale(tree, d -> true, false);
    }

    private static DeviceTree withStale(DeviceTree tree, Predicate<Device> which, boolean stale) {
        List<Device> devices = tree.devices();
        List<Device> out = new ArrayList<>(devices.size());
        boolean changed = false;
        for (Device d : devices) {
            Device e = which.test(d) ? d.withStale(stale) : d;
            changed |= e != d;
            out.add(e);
        }
        return changed ? DeviceTree.of(out) : tree;
    }
}
