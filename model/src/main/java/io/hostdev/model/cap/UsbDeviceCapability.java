package io.hostdev.model.cap;

/**
 * A USB device (sysfs DEVTYPE {@code usb_device}, root hubs included); names come from the
 * device's own string descriptors ({@code manufacturer}, {@code product}), never from a database.
 *
 * @param bus         bus number ({@code busnum})
 * @param device      address on the bus ({@code devnum})
 * @param deviceClass {@code bDeviceClass} as {@code 0x}-hex, e.g. {@code 0x09} for a hub
 * @param version     USB version the device declares ({@code bcdUSB}), e.g. {@code 2.00}
 * @param speed       negotiated speed in Mbit/s: 1.5, 12, 480, 5000, 10000, 20000...
 */
public record UsbDeviceCapability(
        Integer bus,
        Integer device,
        IdName vendor,
        IdName product,
        String deviceClass,
        String version,
        Double speed,
        String serial) implements Capability {

    public static final String TYPE = "usb_device";

    @Override
    public String type() {
        return TYPE;
    }
}
