package io.hostdev.model.cap;

import java.util.List;
import java.util.TreeSet;

/**
 * systemd tracks this device: the {@code .device} units that name it (systemd's
 * {@code org.freedesktop.systemd1.Device} objects whose {@code SysFSPath} is the device's path).
 * Only the D-Bus bridge fills it (docs/dbus.md, "In the agent"); libvirt has nothing like it.
 *
 * @param units       the unit names, sorted ({@code dev-sda.device}, {@code sys-devices-...-block-sda.device}...)
 * @param sysfsPath   the {@code SysFSPath} systemd has for them, the device's path on the host
 * @param activeState the units' {@code ActiveState} ({@code active} when systemd considers the device plugged)
 * @param subState    their {@code SubState} ({@code plugged}, {@code dead}...)
 */
public record SystemdCapability(List<String> units, String sysfsPath, String activeState, String subState)
        implements Capability {

    public static final String TYPE = "systemd";

    public SystemdCapability {
        units = units == null ? List.of() : List.copyOf(new TreeSet<>(units));
    }

    @Override
    public String type() {
        return TYPE;
    }
}
