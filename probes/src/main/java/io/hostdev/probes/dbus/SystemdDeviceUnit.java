package io.hostdev.probes.dbus;

/**
 * A systemd {@code .device} unit: systemd tracks the device at {@code sysfsPath} (its
 * {@code SysFSPath} property, the udev device's {@code /sys/...} path). Several units name one device
 * (e.g. {@code dev-sda.device} and its {@code dev-disk-by\x2did-...} aliases).
 */
public record SystemdDeviceUnit(String unit, String sysfsPath, String activeState, String subState,
        String objectPath) {
}
