package io.hostdev.probes.dbus;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * HAL property keys (HAL 0.5 specification, "Device Properties") onto our model's fields: a pure
 * table, documented in docs/dbus.md. Values are converted to the model's conventions: ids as
 * {@code 0x%04x} strings, MACs in lower case, sizes in bytes with 0 absent, USB version as
 * {@code 2.00}.
 */
public final class HalMapping {

    /** One row of the table: a HAL key, the model field it fills, the conversion (null = unusable). */
    record Rule(String halKey, String field, Function<Object, Object> convert) {
    }

    static final List<Rule> RULES = List.of(
            new Rule("pci.vendor_id", "pci.vendor.id", v -> hexId(v, 4, 0xffff)),
            new Rule("pci.vendor", "pci.vendor.name", DbusValues::string),
            new Rule("pci.product_id", "pci.product.id", v -> hexId(v, 4, 0xffff)),
            new Rule("pci.product", "pci.product.name", DbusValues::string),
            new Rule("pci.subsys_vendor_id", "pci.subsystem_vendor.id", v -> hexId(v, 4, 0xffff)),
            new Rule("pci.subsys_vendor", "pci.subsystem_vendor.name", DbusValues::string),
            new Rule("pci.subsys_product_id", "pci.subsystem_product.id", v -> hexId(v, 4, 0xffff)),
            new Rule("pci.subsys_product", "pci.subsystem_product.name", DbusValues::string),
            new Rule("usb_device.vendor_id", "usb_device.vendor.id", v -> hexId(v, 4, 0xffff)),
            new Rule("usb_device.vendor", "usb_device.vendor.name", DbusValues::string),
            new Rule("usb_device.product_id", "usb_device.product.id", v -> hexId(v, 4, 0xffff)),
            new Rule("usb_device.product", "usb_device.product.name", DbusValues::string),
            new Rule("usb_device.bus_number", "usb_device.bus", HalMapping::nonNegativeInt),
            new Rule("usb_device.linux.device_number", "usb_device.device", HalMapping::nonNegativeInt),
            new Rule("usb_device.device_class", "usb_device.device_class", v -> hexId(v, 2, 0xff)),
            new Rule("usb_device.serial", "usb_device.serial", DbusValues::string),
            new Rule("usb_device.speed", "usb_device.speed", HalMapping::positiveReal),
            new Rule("usb_device.version", "usb_device.version", HalMapping::usbVersion),
            new Rule("net.address", "net.address", HalMapping::mac),
            new Rule("net.interface", "net.interface", DbusValues::string),
            new Rule("net.linux.ifindex", "net.ifindex", HalMapping::nonNegativeInt),
            new Rule("block.device", "storage.block", DbusValues::string),
            new Rule("storage.vendor", "storage.vendor", DbusValues::string),
            new Rule("storage.model", "storage.model", DbusValues::string),
            new Rule("storage.serial", "storage.serial", DbusValues::string),
            new Rule("storage.removable", "storage.removable", DbusValues::bool),
            new Rule("storage.size", "storage.size", HalMapping::positiveLong),
            new Rule("storage.drive_type", "storage.kind", HalMapping::driveKind),
            new Rule("volume.size", "storage.size", HalMapping::positiveLong),
            new Rule("volume.partition.number", "storage.partition", HalMapping::nonNegativeInt),
            new Rule("linux.sysfs_path", "path", DbusValues::string));

    private HalMapping() {
    }

    /** A HAL device's facts; keys without a rule stay only in the raw {@link HalDevice}. */
    public static HalFacts map(HalDevice device) {
        Map<String, Object> p = device.properties();
        SortedMap<String, Object> fields = new TreeMap<>();
        for (Rule rule : RULES) {
            Object raw = p.get(rule.halKey());
            Object value = raw == null ? null : rule.convert().apply(raw);
            if (value != null) {
                // two rules can fill one field (storage.size from storage.* or volume.*): the first wins
                fields.putIfAbsent(rule.field(), value);
            }
        }
        String pciClass = pciClass(p.get("pci.device_class"), p.get("pci.device_subclass"), p.get("pci.device_protocol"));
        if (pciClass != null) {
            fields.put("pci.class.id", pciClass);
        }
        List<String> caps = DbusValues.strings(p.get("info.capabilities"));
        return new HalFacts(
                device.udi(),
                DbusValues.string(p.get("info.parent")),
                DbusValues.string(p.get("linux.sysfs_path")),
                DbusValues.string(p.get("info.category")),
                caps == null ? List.of() : new ArrayList<>(new TreeSet<>(caps)),
                DbusValues.string(p.get("info.product")),
                DbusValues.string(p.get("info.vendor")),
                fields);
    }

    static String hexId(Object value, int width, long max) {
        Long v = DbusValues.integer(value);
        if (v == null || v < 0 || v > max) {
            return null;
        }
        String digits = Long.toHexString(v);
        return "0x" + "0".repeat(Math.max(0, width - digits.length())) + digits;
    }

    /** HAL splits the 24-bit class code in three ints; all three are needed. */
    static String pciClass(Object base, Object sub, Object prog) {
        Long b = DbusValues.integer(base);
        Long s = DbusValues.integer(sub);
        Long p = DbusValues.integer(prog);
        if (b == null || s == null || p == null || b < 0 || b > 0xff || s < 0 || s > 0xff || p < 0 || p > 0xff) {
            return null;
        }
        return hexId((b << 16) | (s << 8) | p, 6, 0xffffff);
    }

    static Integer nonNegativeInt(Object value) {
        Long v = DbusValues.integer(value);
        return v == null || v < 0 || v > Integer.MAX_VALUE ? null : v.intValue();
    }

    static Long positiveLong(Object value) {
        Long v = DbusValues.integer(value);
        return v == null || v <= 0 ? null : v;
    }

    static Double positiveReal(Object value) {
        Double v = DbusValues.real(value);
        return v == null || v <= 0 ? null : v;
    }

    /** HAL stores the USB version as a double ({@code 2.0}); sysfs prints {@code 2.00}. */
    static String usbVersion(Object value) {
        Double v = positiveReal(value);
        return v == null ? null : String.format(Locale.ROOT, "%.2f", v);
    }

    /** A MAC as the kernel prints it (lower case, six colon-separated octets); anything else is absent. */
    static String mac(Object value) {
        String s = DbusValues.string(value);
        if (s == null) {
            return null;
        }
        String lower = s.toLowerCase(Locale.ROOT);
        return lower.matches("[0-9a-f]{2}(:[0-9a-f]{2}){5}") ? lower : null;
    }

    /** Only the drive types our storage kinds name; HAL's floppy, tape, sd_mmc... stay raw. */
    static String driveKind(Object value) {
        String s = DbusValues.string(value);
        if (s == null) {
            return null;
        }
        return switch (s) {
            case "disk" -> "disk";
            case "cdrom" -> "cdrom";
            default -> null;
        };
    }
}
