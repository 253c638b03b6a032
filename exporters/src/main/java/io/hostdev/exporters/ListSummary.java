package io.hostdev.exporters;

import io.hostdev.model.Device;
import io.hostdev.model.DeviceTree;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The footer of a device listing: how many devices, how many per subsystem, and what the
 * configuration excluded, so that nothing is ever left out silently.
 */
public record ListSummary(int total, Map<String, Integer> bySubsystem, Map<String, Integer> excluded) {

    public ListSummary {
        bySubsystem = java.util.Collections.unmodifiableMap(new TreeMap<>(bySubsystem));
        excluded = java.util.Collections.unmodifiableMap(new TreeMap<>(excluded));
    }

    public static ListSummary of(DeviceTree tree, Map<String, Integer> excluded) {
        return new ListSummary(tree.size(), tree.countBySubsystem(), excluded);
    }

    /** The summary of some of a tree's devices (what a selector chose), nothing excluded. */
    public static ListSummary of(List<Device> devices) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Device d : devices) {
            if (d.subsystem() != null) {
                counts.merge(d.subsystem(), 1, Integer::sum);
            }
        }
        return new ListSummary(devices.size(), counts, Map.of());
    }

    /** The names of {@code devices}: which rows a tree view marks as chosen. */
    public static Set<String> names(List<Device> devices) {
        Set<String> names = new HashSet<>();
        devices.forEach(d -> names.add(d.name()));
        return names;
    }

    /** One line: {@code 264 devices; by subsystem: acpi 41, block 10, ...; excluded: none}. */
    public String oneLine() {
        StringBuilder sb = new StringBuilder();
        sb.append(total).append(total == 1 ? " device" : " devices").append("; by subsystem: ");
        appendCounts(sb, bySubsystem);
        sb.append("; excluded: ");
        if (excluded.isEmpty()) {
            sb.append("none");
        } else {
            appendCounts(sb, excluded);
        }
        return sb.toString();
    }

    /** A two-column table, subsystem and count, then the exclusions. */
    public String table() {
        int width = "SUBSYSTEM".length();
        for (String s : bySubsystem.keySet()) {
            width = Math.max(width, s.length());
        }
        String row = "%-" + width + "s  %s\n";
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(row, "SUBSYSTEM", "DEVICES"));
        for (Map.Entry<String, Integer> e : bySubsystem.entrySet()) {
            sb.append(String.format(row, e.getKey(), e.getValue()));
        }
        sb.append(String.format(row, "total", total));
        if (excluded.isEmpty()) {
            sb.append("excluded: none\n");
        } else {
            sb.append("excluded: ");
            appendCounts(sb, excluded);
            sb.append('\n');
        }
        return sb.toString();
    }

    private static void appendCounts(StringBuilder sb, Map<String, Integer> counts) {
        boolean first = true;
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (!first) {
                sb.append(", ");
            }
            sb.append(e.getKey()).append(' ').append(e.getValue());
            first = false;
        }
    }
}
