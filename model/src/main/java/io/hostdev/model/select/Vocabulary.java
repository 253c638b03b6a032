package io.hostdev.model.select;

import io.hostdev.model.Device;
import io.hostdev.model.DeviceContext;
import io.hostdev.model.DeviceMatcher;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.cap.Capability;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a tree offers a selector: the fields, buses and capability types its devices have, each with the number
 * of devices that {@code exists(FIELD)}, {@code bus = 'BUS'} and {@code cap = 'TYPE'} select. Clients read these
 * instead of hard-coding names ({@code hostdev list --fields}, {@code --buses}, {@code --caps}).
 *
 * @param fields field paths, generic attributes by name ({@code generic.attributes.power_state})
 * @param buses  bus names, counting every device whose path to the root crosses the bus
 * @param caps   capability types
 */
public record Vocabulary(SortedMap<String, Integer> fields, SortedMap<String, Integer> buses,
                         SortedMap<String, Integer> caps) {

    public Vocabulary {
        fields = Collections.unmodifiableSortedMap(new TreeMap<>(fields));
        buses = Collections.unmodifiableSortedMap(new TreeMap<>(buses));
        caps = Collections.unmodifiableSortedMap(new TreeMap<>(caps));
    }

    /** The vocabulary of the tree's devices that the matcher selects ({@link DeviceMatcher#ALL} for all). */
    public static Vocabulary of(DeviceTree tree, DeviceMatcher matcher) {
        TreeMap<String, Integer> fields = new TreeMap<>();
        TreeMap<String, Integer> buses = new TreeMap<>();
        TreeMap<String, Integer> caps = new TreeMap<>();
        TreeSet<String> seen = new TreeSet<>();
        for (Device d : tree.devices()) {
            DeviceContext context = tree.context(d.name());
            if (!matcher.matches(d, context)) {
                continue;
            }
            seen.clear();
            Schema.INSTANCE.presentPaths(d, context, seen);
            for (String p : seen) {
                fields.merge(p, 1, Integer::sum);
            }
            for (String b : context.buses()) {
                buses.merge(b, 1, Integer::sum);
            }
            for (Capability c : d.capabilities()) {
                caps.merge(c.type(), 1, Integer::sum);
            }
        }
        return new Vocabulary(fields, buses, caps);
    }
}
