package io.hostdev.model.cap;

/**
 * The host itself, the {@code computer} root. Mirrors libvirt's {@code system} capability:
 * DMI product, hardware identity and firmware, each absent when the host has no DMI.
 */
public record SystemCapability(String product, Hardware hardware, Firmware firmware)
        implements Capability {

    public static final String TYPE = "system";

    /** DMI {@code sys_vendor}, {@code product_version}, {@code product_serial}, {@code product_uuid}. */
    public record Hardware(String vendor, String version, String serial, String uuid) {
    }

    /** DMI {@code bios_vendor}, {@code bios_version}, {@code bios_date}. */
    public record Firmware(String vendor, String version, String releaseDate) {
    }

    @Override
    public String type() {
        return TYPE;
    }
}
