package io.hostdev.probes.oshi;

import io.hostdev.model.Device;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.Facts;
import io.hostdev.model.Overlay;
import io.hostdev.model.cap.SystemCapability;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * OSHI's facts laid over the device tree: on {@code computer} ({@link DeviceTree#ROOT}) only, every
 * field goes in where the device has none (sysfs and the sources before {@code oshi} win,
 * docs/sources.md): product, hardware and firmware identity, and the baseboard, memory modules and
 * sensors that only OSHI reads. The device gains the source {@code oshi} whenever OSHI knew
 * anything of it, also when sysfs had every value already. Every other device is returned as it
 * came.
 */
public final class OshiOverlay implements Overlay {

    private final OshiFacts facts;
    private final Map<String, Object> fields;

    private OshiOverlay(OshiFacts facts) {
        this.facts = facts;
        this.fields = fields(facts);
    }

    /** The overlay of these facts; {@link Overlay#NONE} when they hold nothing for the tree. */
    public static Overlay of(OshiFacts facts) {
        Objects.requireNonNull(facts, "facts");
        return facts.knowsAnything() ? new OshiOverlay(facts) : Overlay.NONE;
    }

    /** The facts this overlay lays on the tree. */
    public OshiFacts facts() {
        return facts;
    }

    @Override
    public Device apply(Device device) {
        if (!DeviceTree.ROOT.equals(device.name())) {
            return device;
        }
        Device d = device;
        if (d.capability(SystemCapability.class).isEmpty()) {
            // a computer without its system capability (a tree from another source): give the facts a place
            d = d.withCapability(SystemCapability.of(null, null, null));
        }
        return Facts.fill(d, fields).withSource(OshiProbe.ID);
    }

    /** The facts by selector path, absent values left out. */
    static Map<String, Object> fields(OshiFacts f) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (f.system() != null) {
            put(m, "system.product", f.system().product());
            put(m, "system.hardware.vendor", f.system().manufacturer());
            put(m, "system.hardware.version", f.system().version());
            put(m, "system.hardware.serial", f.system().serial());
            put(m, "system.hardware.uuid", f.system().uuid());
        }
        if (f.firmware() != null) {
            put(m, "system.firmware.vendor", f.firmware().manufacturer());
            put(m, "system.firmware.version", f.firmware().version());
            put(m, "system.firmware.release_date", f.firmware().releaseDate());
        }
        if (f.baseboard() != null) {
            put(m, "system.baseboard.manufacturer", f.baseboard().manufacturer());
            put(m, "system.baseboard.model", f.baseboard().model());
            put(m, "system.baseboard.version", f.baseboard().version());
            put(m, "system.baseboard.serial", f.baseboard().serial());
        }
        if (!f.memory().isEmpty()) {
            m.put("system.memory", f.memory());
        }
        put(m, "system.sensors", f.sensors());
        return m;
    }

    private static void put(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    /** Equal when both lay the same values on the tree (the memory total, which stays off it, aside). */
    @Override
    public boolean equals(Object o) {
        return o instanceof OshiOverlay other && other.fields.equals(fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    @Override
    public String toString() {
        return "OshiOverlay" + fields;
    }
}
