package io.hostdev.model.cap;

/**
 * A USB device (sysfs DEVTYPE {@code usb_device}); names come from the device's own string
 * descriptors ({@code manufacturer}, {@code product}). Speed in Mbit/s.
 */
public record UsbDeviceCapability(
        int bus,
        int device,
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
