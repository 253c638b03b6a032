package io.hostdev.probes.dbus;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/** systemd's device units by unit name. */
public record SystemdSnapshot(SortedMap<String, SystemdDeviceUnit> units) {

    public static final SystemdSnapshot EMPTY = new SystemdSnapshot(new TreeMap<>());

    public SystemdSnapshot {
        units = Collections.unmodifiableSortedMap(new TreeMap<>(units));
    }

    /**
     * The units by the sysfs path they track (the key the core merges on), names sorted; a unit
     * without a SysFSPath (systemd knows the name from a dependency but no device is there) is left
     * out.
     */
    public SortedMap<String, List<SystemdDeviceUnit>> bySysfsPath() {
        SortedMap<String, List<SystemdDeviceUnit>> out = new TreeMap<>();
        for (SystemdDeviceUnit u : units.values()) {
            if (u.sysfsPath() != null) {
                out.computeIfAbsent(u.sysfsPath(), k -> new ArrayList<>()).add(u);
            }
        }
        out.replaceAll((k, v) -> List.copyOf(v));
        return Collections.unmodifiableSortedMap(out);
    }
}
