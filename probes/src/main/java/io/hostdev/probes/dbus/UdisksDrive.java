package io.hostdev.probes.dbus;

/**
 * A UDisks2 {@code org.freedesktop.UDisks2.Drive} object, as read by {@link UdisksSource}.
 *
 * <p>{@code rotational}/{@code rotationRate} split UDisks2's RotationRate, which packs three
 * meanings into one integer (0 = not rotating, -1 = rotating at an unknown rate, n = n rpm), so no
 * field carries -1. {@code size} is in bytes and absent when UDisks2 says 0 (no media, unknown).
 */
public record UdisksDrive(
        String objectPath,
        String id,
        String vendor,
        String model,
        String serial,
        String wwn,
        String media,
        Boolean mediaRemovable,
        Boolean removable,
        Boolean rotational,
        Integer rotationRate,
        Long size,
        String connectionBus) {
}
