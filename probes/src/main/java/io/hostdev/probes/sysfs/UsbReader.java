package io.hostdev.probes.sysfs;

import io.hostdev.model.cap.Capability;
import io.hostdev.model.cap.IdName;
import io.hostdev.model.cap.UsbDeviceCapability;
import io.hostdev.model.cap.UsbInterfaceCapability;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.SysfsValues;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * USB devices and interfaces ({@code sysfs.usb}), from their directories under
 * {@code sys/bus/usb/devices} (kernel ABI: Documentation/ABI/stable/sysfs-bus-usb and
 * Documentation/ABI/testing/sysfs-bus-usb).
 *
 * <p>A device ({@code usb1}, {@code 1-2}, {@code 1-2.4}) reads {@code busnum}, {@code devnum},
 * {@code idVendor}, {@code idProduct}, {@code manufacturer}, {@code product}, {@code bDeviceClass},
 * {@code version}, {@code speed} and {@code serial}; an interface ({@code 1-2:1.0}) reads
 * {@code bInterfaceNumber}, {@code bInterfaceClass}, {@code bInterfaceSubClass},
 * {@code bInterfaceProtocol} and {@code interface}. Anything else on the bus gets the generic
 * capability.
 */
final class UsbReader implements CapabilityReader {

    static final String ID = "sysfs.usb";

    /** Root hubs are {@code usbN}; other devices are {@code BUS-PORT[.PORT...]}. */
    private static final Pattern DEVICE_NAME = Pattern.compile("usb\\d+|\\d+-\\d+(\\.\\d+)*");
    /** {@code DEVICE:CONFIG.INTERFACE}; a root hub's interfaces use port 0, e.g. {@code 1-0:1.0}. */
    private static final Pattern INTERFACE_NAME = Pattern.compile("\\d+-\\d+(\\.\\d+)*:\\d+\\.\\d+");
    /** {@code bcdUSB} as the kernel prints it, {@code %2x.%02x}. */
    private static final Pattern VERSION = Pattern.compile("[0-9a-fA-F]{1,2}\\.[0-9a-fA-F]{2}");
    private static final Pattern SPEED = Pattern.compile("\\d{1,6}(\\.\\d{1,3})?");

    enum Kind { DEVICE, INTERFACE }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String subsystem() {
        return "usb";
    }

    @Override
    public Capability read(SysfsDevice device, ScanContext context) {
        Kind kind = kind(device.devtype(), device.sysname());
        if (kind == null) {
            return null;
        }
        HostFiles files = context.files();
        return kind == Kind.DEVICE ? readDevice(device, files) : readInterface(device, files);
    }

    private static UsbDeviceCapability readDevice(SysfsDevice d, HostFiles files) {
        return new UsbDeviceCapability(
                SysfsValues.decimalInt(files.read(d.attr("busnum"))),
                SysfsValues.decimalInt(files.read(d.attr("devnum"))),
                idName(files.read(d.attr("idVendor")), files.read(d.attr("manufacturer"))),
                idName(files.read(d.attr("idProduct")), files.read(d.attr("product"))),
                SysfsValues.hexId(files.read(d.attr("bDeviceClass")), 2),
                version(files.read(d.attr("version"))),
                speed(files.read(d.attr("speed"))),
                SysfsValues.text(files.read(d.attr("serial"))));
    }

    private static UsbInterfaceCapability readInterface(SysfsDevice d, HostFiles files) {
        return new UsbInterfaceCapability(
                SysfsValues.hexInt(files.read(d.attr("bInterfaceNumber"))),
                SysfsValues.hexId(files.read(d.attr("bInterfaceClass")), 2),
                SysfsValues.hexId(files.read(d.attr("bInterfaceSubClass")), 2),
                SysfsValues.hexId(files.read(d.attr("bInterfaceProtocol")), 2),
                SysfsValues.text(files.read(d.attr("interface"))));
    }

    /**
     * What a member of the usb bus is. {@code DEVTYPE} decides when the uevent had one; without it
     * (an unreadable uevent) the kernel's naming scheme does. Other devtypes are not ours.
     */
    static Kind kind(String devtype, String sysname) {
        if (devtype != null) {
            return switch (devtype) {
                case "usb_device" -> Kind.DEVICE;
                case "usb_interface" -> Kind.INTERFACE;
                default -> null;
            };
        }
        if (sysname == null) {
            return null;
        }
        if (DEVICE_NAME.matcher(sysname).matches()) {
            return Kind.DEVICE;
        }
        return INTERFACE_NAME.matcher(sysname).matches() ? Kind.INTERFACE : null;
    }

    /** An id with the device's own name for it; no id means no value, whatever the name says. */
    static IdName idName(String rawId, String rawName) {
        String id = SysfsValues.hexId(rawId, 4);
        return id == null ? null : new IdName(id, SysfsValues.text(rawName));
    }

    /** {@code version}, printed {@code %2x.%02x} and so padded: {@code " 2.00"} → {@code "2.00"}. */
    static String version(String raw) {
        String s = SysfsValues.text(raw);
        return s != null && VERSION.matcher(s).matches() ? s.toLowerCase(Locale.ROOT) : null;
    }

    /** {@code speed} in Mbit/s ({@code 1.5}, {@code 480}...); the kernel's {@code unknown} is absent. */
    static Double speed(String raw) {
        String s = SysfsValues.text(raw);
        return s != null && SPEED.matcher(s).matches() ? Double.valueOf(s) : null;
    }
}
