package io.hostdev.probes.uevent;

import io.hostdev.probes.HostRoot;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Locale;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One kernel uevent: what happened ({@code ACTION}) to which device ({@code DEVPATH}, relative to
 * the sysfs root, e.g. {@code /devices/virtual/net/eth0}), with the event's whole environment in
 * {@code properties} (ACTION, DEVPATH, SUBSYSTEM, SEQNUM, DEVTYPE, DRIVER, INTERFACE, IFINDEX,
 * MAJOR, MINOR, DEVNAME, DEVPATH_OLD...). See the kernel's
 * {@code Documentation/ABI/testing/sysfs-uevent} and {@code include/linux/kobject.h}.
 *
 * @param action     the action as sent, e.g. {@code add}; see {@link #kind()}
 * @param devpath    the device's path below the sysfs root, starting with {@code /}
 * @param subsystem  {@code SUBSYSTEM}, null when absent
 * @param seqnum     {@code SEQNUM}, the kernel's global event counter; null when absent or not a number
 * @param devtype    {@code DEVTYPE} (e.g. {@code disk}, {@code partition}, {@code usb_interface}), null when absent
 * @param properties every {@code KEY=VALUE} of the event, sorted by key
 * @param source     who sent it: the kernel itself or udevd after its rules
 */
public record Uevent(String action, String devpath, String subsystem, Long seqnum, String devtype,
                     SortedMap<String, String> properties, Source source) {

    /** Who sent a uevent. */
    public enum Source {
        /** The kernel's multicast group 1: {@code ACTION@DEVPATH} then {@code KEY=VALUE}s. */
        KERNEL,
        /** udevd's multicast group 2, libudev's monitor format, after udev's rules ran. */
        UDEV
    }

    /** The actions the kernel sends ({@code kobject_actions[]} in lib/kobject_uevent.c). */
    public enum Kind {
        ADD, REMOVE, CHANGE, MOVE, ONLINE, OFFLINE, BIND, UNBIND,
        /** An action this code does not know; {@link #action()} keeps its text. */
        OTHER;

        static Kind of(String action) {
            for (Kind k : values()) {
                if (k != OTHER && k.name().toLowerCase(Locale.ROOT).equals(action)) {
                    return k;
                }
            }
            return OTHER;
        }
    }

    public Uevent {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(devpath, "devpath");
        Objects.requireNonNull(source, "source");
        properties = Collections.unmodifiableSortedMap(new TreeMap<>(properties));
    }

    public Kind kind() {
        return Kind.of(action);
    }

    /** A property, or null when the event does not carry it. */
    public String property(String key) {
        return properties.get(key);
    }

    /** For a {@code move}: where the device was before ({@code DEVPATH_OLD}); otherwise null. */
    public String devpathOld() {
        return properties.get("DEVPATH_OLD");
    }

    /**
     * A devpath's directory under {@code root}'s sysfs, e.g. {@code /devices/pci0000:00} →
     * {@code ROOT/sys/devices/pci0000:00}; null when the path would leave the sysfs tree (a
     * {@code ..} component) or is not absolute.
     */
    public static Path sysPath(HostRoot root, String devpath) {
        if (devpath == null || !devpath.startsWith("/")) {
            return null;
        }
        Path sys = root.sys();
        Path p = sys.resolve(devpath.substring(1)).normalize();
        return p.startsWith(sys) ? p : null;
    }
}
