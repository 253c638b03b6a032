package io.hostdev.model.cap;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A USB interface (sysfs DEVTYPE {@code usb_interface}); libvirt calls this capability {@code usb}.
 * Class, subclass and protocol are {@code 0x}-hex as in the descriptor.
 *
 * @param number      {@code bInterfaceNumber}
 * @param description the interface's string descriptor, when the device has one
 */
public record UsbInterfaceCapability(
        Integer number,
        @JsonProperty("class") String interfaceClass,
        String subclass,
        String protocol,
        String description) implements Capability {

    public static final String TYPE = "usb";

    @Override
    public String type() {
        return TYPE;
    }
}
