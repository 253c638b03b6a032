package io.hostdev.model.cap;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A USB interface (sysfs DEVTYPE {@code usb_interface}); libvirt calls this capability {@code usb}. */
public record UsbInterfaceCapability(
        int number,
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
