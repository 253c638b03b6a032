package io.hostdev.probes.dbus;

import java.util.Locale;
import java.util.Objects;

/**
 * A source's records changed for one key: a device node ({@code dbus.udisks2}), a sysfs path or, for
 * a unit without one, a unit name ({@code dbus.systemd}), a udi ({@code dbus.hal}). The core reprobes
 * that device.
 */
public record DbusChange(String source, Kind kind, String key) {

    public enum Kind {
        ADDED, REMOVED, CHANGED;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public DbusChange {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
    }
}
