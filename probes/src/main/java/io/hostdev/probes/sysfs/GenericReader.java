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

    static boolean skipped(String name) {
        return SKIPPED.contains(name) || SKIPPED_PATTERN.matcher(name).matches();
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
            if (skipped(name)) {
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
