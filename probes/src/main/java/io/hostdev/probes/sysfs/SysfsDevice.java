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

    /** {@code DEVTYPE}, or {@code null} when absent or not a plausible kernel token. */
    public String devtype() {
        return token(uevent.get("DEVTYPE"));
    }

    /** {@code DRIVER}, or {@code null} when absent or not a plausible driver name. */
    public String driver() {
        return token(uevent.get("DRIVER"));
    }

    /**
     * {@code DEVNAME}, relative to {@code /dev}, e.g. {@code vda} or {@code input/event0}; {@code null}
     * when absent or when it would not name a node below {@code /dev} (absolute, {@code .} or
     * {@code ..} segments, control characters).
     */
    public String devname() {
        String name = uevent.get("DEVNAME");
        if (name == null || name.isEmpty() || name.length() > MAX_TOKEN || name.startsWith("/") || name.endsWith("/")
                || hasControl(name)) {
            return null;
        }
        for (String segment : name.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return null;
            }
        }
        return name;
    }

    /** Longer than any name the kernel gives a driver, devtype or node (NAME_MAX). */
    static final int MAX_TOKEN = 255;

    /** A kernel identifier: 1 to 255 characters, no '/', whitespace or control characters. */
    static String token(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_TOKEN || value.indexOf('/') >= 0
                || hasControl(value)) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isWhitespace(value.charAt(i))) {
                return null;
            }
        }
        return value;
    }

    private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\ufffd') {
                return true;
            }
        }
        return false;
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
