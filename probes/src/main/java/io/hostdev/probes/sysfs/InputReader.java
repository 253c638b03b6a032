package io.hostdev.probes.sysfs;

import io.hostdev.model.cap.Capability;
import io.hostdev.model.cap.InputCapability;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.SysfsValues;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Input devices and their handler nodes ({@code sysfs.input}), the members of
 * {@code sys/class/input} (kernel ABI: Documentation/ABI/testing/sysfs-class-input). An
 * {@code inputN} device reads {@code name}, {@code phys}, {@code uniq} and {@code id/bustype},
 * {@code id/vendor}, {@code id/product}, {@code id/version}; the nodes that handlers create below it
 * ({@code eventN}, {@code mouseN} and the shared {@code mice}, {@code jsN}) carry only their kind,
 * since everything else about them is their parent's.
 */
final class InputReader implements CapabilityReader {

    static final String ID = "sysfs.input";

    static final String DEVICE = "device";
    static final String EVENT = "event";
    static final String MOUSE = "mouse";
    static final String JOYSTICK = "joystick";

    private static final Pattern INPUT = Pattern.compile("input\\d+");
    private static final Pattern EVENT_NODE = Pattern.compile("event\\d+");
    private static final Pattern MOUSE_NODE = Pattern.compile("mouse\\d+|mice");
    private static final Pattern JOYSTICK_NODE = Pattern.compile("js\\d+");

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String subsystem() {
        return "input";
    }

    @Override
    public Capability read(SysfsDevice device, ScanContext context) {
        String kind = kind(device.sysname());
        if (kind == null) {
            return null;
        }
        if (!DEVICE.equals(kind)) {
            return new InputCapability(kind, null, null, null, null, null, null, null);
        }
        HostFiles files = context.files();
        Path ids = device.attr("id");
        return new InputCapability(kind,
                SysfsValues.text(files.read(device.attr("name"))),
                SysfsValues.text(files.read(device.attr("phys"))),
                SysfsValues.text(files.read(device.attr("uniq"))),
                inputId(files.read(ids.resolve("bustype"))),
                inputId(files.read(ids.resolve("vendor"))),
                inputId(files.read(ids.resolve("product"))),
                inputId(files.read(ids.resolve("version"))));
    }

    /** The kind of a member of the input class by its name; handlers not listed here stay generic. */
    static String kind(String sysname) {
        if (sysname == null) {
            return null;
        }
        if (INPUT.matcher(sysname).matches()) {
            return DEVICE;
        }
        if (EVENT_NODE.matcher(sysname).matches()) {
            return EVENT;
        }
        if (MOUSE_NODE.matcher(sysname).matches()) {
            return MOUSE;
        }
        return JOYSTICK_NODE.matcher(sysname).matches() ? JOYSTICK : null;
    }

    /**
     * One of the {@code id/} attributes, which the kernel prints as 16-bit hex without a prefix
     * ({@code 0011}): read as hex, never as the decimal it resembles.
     */
    static String inputId(String raw) {
        return SysfsValues.hexId(raw, 4, 0xffff);
    }
}
