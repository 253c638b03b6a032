package io.hostdev.probes.sysfs;

import java.nio.file.Path;
import java.util.Map;

/**
 * A device as enumerated, before any capability is read: its directory under {@code sys/devices},
 * its subsystem (the bus or class it is a member of) and its parsed {@code uevent}.
 *
 * @param dir       the device directory below the probe root
 * @param hostPath  the same directory as seen on the host, {@code /sys/devices/...}
 * @param sysname   the directory's name, e.g. {@code 0000:00:03.0} or {@code eth0}
 * @param subsystem bus or class name, e.g. {@code pci}, {@code net}
 * @param uevent    the {@code uevent} file's KEY=VALUE pairs; empty when unreadable
 */
public record SysfsDevice(Path dir, String hostPath, String sysname, String subsystem, Map<String, String> uevent) {

    public SysfsDevice {
        uevent = Map.copyOf(uevent);
    }

    public String devtype() {
        return uevent.get("DEVTYPE");
    }

    public String driver() {
        return uevent.get("DRIVER");
    }

    /** {@code DEVNAME}, relative to {@code /dev}, e.g. {@code vda} or {@code input/event0}. */
    public String devname() {
        return uevent.get("DEVNAME");
    }

    public Path attr(String name) {
        return dir.resolve(name);
    }

    /**
     * Parses a {@code uevent} file (kernel ABI: lines of {@code KEY=VALUE}). Lines without '=' are
     * ignored; a repeated key keeps its last value. Never throws.
     */
    static Map<String, String> parseUevent(String text) {
        if (text == null || text.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new java.util.HashMap<>();
        int start = 0;
        int len = text.length();
        while (start < len) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = len;
            }
            int eq = text.indexOf('=', start);
            if (eq > start && eq < end) {
                out.put(text.substring(start, eq), text.substring(eq + 1, end));
            }
            start = end + 1;
        }
        return out;
    }
}
