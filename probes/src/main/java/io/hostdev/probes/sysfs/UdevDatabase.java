package io.hostdev.probes.sysfs;

import io.hostdev.probes.HostFiles;

import java.util.HashMap;
import java.util.Map;

/**
 * udev's database, {@code run/udev/data/{b,c}MAJOR:MINOR}, when udevd runs on the host. libvirt
 * takes a disk's {@code ID_SERIAL} from here for its node-device name; hostdev reads the same so
 * names agree. Absent without udevd (as on small VMs), which is not an error.
 */
final class UdevDatabase {

    private UdevDatabase() {
    }

    /** The {@code E:} properties recorded for a block ('b') or character ('c') device. */
    static Map<String, String> properties(HostFiles files, char kind, String major, String minor) {
        if (major == null || minor == null) {
            return Map.of();
        }
        String text = files.read(files.root().run().resolve("udev").resolve("data")
                .resolve(kind + major + ":" + minor));
        return parse(text);
    }

    static Map<String, String> parse(String text) {
        if (text == null) {
            return Map.of();
        }
        Map<String, String> out = new HashMap<>();
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("E:")) {
                int eq = line.indexOf('=');
                if (eq > 2) {
                    out.put(line.substring(2, eq), line.substring(eq + 1));
                }
            }
        }
        return out;
    }
}
