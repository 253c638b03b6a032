package io.hostdev.model;

import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a device's place in the tree adds to it: its ancestors' names (nearest first, ending with
 * {@code computer}) and the buses on its path — its own bus, if it has one, and every ancestor's.
 * Selectors read {@code bus} and {@code under(...)} from here, and change events carry it, so a
 * selector can be evaluated against an event without the tree it came from.
 */
public record DeviceContext(List<String> ancestors, SortedSet<String> buses) {

    public DeviceContext {
        ancestors = ancestors == null ? List.of() : List.copyOf(ancestors);
        buses = buses == null ? java.util.Collections.emptySortedSet()
                : java.util.Collections.unmodifiableSortedSet(new TreeSet<>(buses));
    }

    public static final DeviceContext ROOT = new DeviceContext(List.of(), new TreeSet<>());

    /** The context of a child of a device whose context is this one. */
    public DeviceContext child(Device parent, Device child) {
        List<String> a = new java.util.ArrayList<>(ancestors.size() + 1);
        a.add(parent.name());
        a.addAll(ancestors);
        TreeSet<String> b = new TreeSet<>(buses);
        if (child.bus() != null) {
            b.add(child.bus());
        }
        return new DeviceContext(a, b);
    }
}
