package io.hostdev.probes.dbus;

/**
 * A UDisks2 {@code org.freedesktop.UDisks2.Block} object, keyed by its device node
 * ({@code device}, e.g. {@code /dev/sda}), with the drive it belongs to joined in ({@code drive},
 * null for loop, zram, device-mapper... devices, which UDisks2 gives no drive).
 */
public record UdisksBlock(
        String device,
        String preferredDevice,
        String objectPath,
        Long size,
        String idUuid,
        String idType,
        String idLabel,
        UdisksDrive drive) {
}
