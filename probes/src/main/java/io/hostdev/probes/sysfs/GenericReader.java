package io.hostdev.probes.sysfs;

import io.hostdev.model.cap.GenericCapability;
import io.hostdev.probes.HostFiles;

import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The fallback for devices without a typed reader: the subsystem and every readable attribute
 * file directly in the device directory. Binary attributes and triggers are skipped by name:
 * reading them is slow ({@code config} costs milliseconds in a VM), large, or pointless.
 *
 * <p>Readings are skipped too: statistics and sensor values that change by themselves, from one
 * probe to the next, are not properties of a device. Kept, they would make every cycle an
 * "updated" event (a NUMA node's {@code meminfo} alone changes every few seconds) and drown the
 * change journal and its watchers in noise. Metrics are their place. Which: {@link #reading}.
 */
final class GenericReader {

    static final String ID = "sysfs.generic";

    /** At most this many attributes per device, in name order. */
    static final int MAX_ATTRIBUTES = 128;

    /** Each value is capped at this many bytes. */
    static final int VALUE_CAP = 4096;

    private static final Set<String> SKIPPED = Set.of(
            "uevent", "config", "rom", "vpd", "eeprom", "nvmem", "descriptors", "remove", "rescan", "reset",
            "new_id", "remove_id", "bind", "unbind", "driver_override", "modalias_raw", "trigger");
    private static final Pattern SKIPPED_PATTERN = Pattern.compile("resource\\d+(_wc)?|.*_raw");

    private GenericReader() {
    }

    /**
     * Readings, by subsystem (kernel ABI documents in Documentation/ABI): a NUMA node's memory and
     * event counters (testing/sysfs-devices-system-node... {@code meminfo}, {@code numastat},
     * {@code vmstat}); a backing device's dirty-page limits, recomputed from free memory
     * (testing/sysfs-class-bdi, {@code min_bytes}/{@code max_bytes}); a thermal zone's
     * temperature (thermal sysfs {@code temp}); a power supply's charge, energy, current and
     * voltage now ({@code *_now}, {@code capacity}, {@code *_avg}).
     */
    private static final java.util.Map<String, Set<String>> READINGS = java.util.Map.of(
            "node", Set.of("meminfo", "numastat", "vmstat"),
            "bdi", Set.of("min_bytes", "max_bytes"),
            "thermal", Set.of("temp"),
            "power_supply", Set.of("capacity", "capacity_level", "temp"));
    /**
     * Readings in any subsystem: block-style I/O counters ({@code stat}, {@code inflight}), hwmon
     * sensor values (Documentation/hwmon/sysfs-interface: {@code temp1_input}, {@code fan2_input},
     * {@code power1_average}, {@code *_highest}/{@code *_lowest} history), power-supply values
     * now/average.
     */
    private static final Set<String> COUNTERS = Set.of("stat", "inflight");
    private static final Pattern READING_PATTERN = Pattern.compile(
            ".+_(input|average|average_highest|average_lowest|highest|lowest|now|avg)");

    static boolean skipped(String name) {
        return SKIPPED.contains(name) || SKIPPED_PATTERN.matcher(name).matches();
    }

    /** Whether attribute {@code name} of a {@code subsystem} device is a reading, not a property. */
    static boolean reading(String subsystem, String name) {
        Set<String> bySubsystem = subsystem == null ? null : READINGS.get(subsystem);
        return (bySubsystem != null && bySubsystem.contains(name)) || COUNTERS.contains(name)
                || READING_PATTERN.matcher(name).matches();
    }

    static GenericCapability read(SysfsDevice device, ScanContext context) {
        HostFiles files = context.files();
        List<String> names = new ArrayList<>(files.list(device.dir()));
        names.sort(null);
        TreeMap<String, String> attributes = new TreeMap<>();
        for (String name : names) {
            if (attributes.size() == MAX_ATTRIBUTES) {
                break;
            }
            if (skipped(name) || reading(device.subsystem(), name)) {
                continue;
            }
            BasicFileAttributes a = files.stat(device.attr(name));
            if (a == null || !a.isRegularFile()) {
                continue;
            }
            String value = files.read(device.attr(name));
            if (value != null) {
                attributes.put(name, value.length() > VALUE_CAP ? value.substring(0, VALUE_CAP) : value);
            }
        }
        return new GenericCapability(device.subsystem(), attributes);
    }
}
