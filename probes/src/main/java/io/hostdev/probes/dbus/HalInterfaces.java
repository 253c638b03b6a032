package io.hostdev.probes.dbus;

import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.Variant;

import java.util.List;
import java.util.Map;

/**
 * The part of the legacy HAL daemon's D-Bus API (HAL 0.5 specification, "D-Bus interface") that
 * {@link HalSource} uses. Public because dbus-java builds proxies of it and test fixtures export it.
 */
public final class HalInterfaces {

    private HalInterfaces() {
    }

    /** {@code org.freedesktop.Hal.Manager} on {@code /org/freedesktop/Hal/Manager}. */
    @DBusInterfaceName("org.freedesktop.Hal.Manager")
    @SuppressWarnings("checkstyle:methodname")
    public interface Manager extends DBusInterface {

        /** Every device's udi ({@code as}). */
        List<String> GetAllDevices();

        /** {@code DeviceAdded(s udi)}. */
        class DeviceAdded extends DBusSignal {
            private final String udi;

            public DeviceAdded(String path, String udi) throws DBusException {
                super(path, udi);
                this.udi = udi;
            }

            public String udi() {
                return udi;
            }
        }

        /** {@code DeviceRemoved(s udi)}. */
        class DeviceRemoved extends DBusSignal {
            private final String udi;

            public DeviceRemoved(String path, String udi) throws DBusException {
                super(path, udi);
                this.udi = udi;
            }

            public String udi() {
                return udi;
            }
        }
    }

    /** {@code org.freedesktop.Hal.Device} on each device's udi (an object path). */
    @DBusInterfaceName("org.freedesktop.Hal.Device")
    @SuppressWarnings("checkstyle:methodname")
    public interface Device extends DBusInterface {

        /** {@code a{sv}}: strings, int32, uint64, booleans, doubles and string lists. */
        Map<String, Variant<?>> GetAllProperties();

        /** {@code PropertyModified(i count, a(sbb) updates)}, sent from the device's own path. */
        class PropertyModified extends DBusSignal {
            public PropertyModified(String path, int count, List<PropertyUpdate> updates) throws DBusException {
                super(path, count, updates);
            }
        }
    }

    /** One entry of PropertyModified: the key, and whether it was added or removed (else changed). */
    public static final class PropertyUpdate extends Struct {
        @Position(0)
        public final String key;
        @Position(1)
        public final boolean added;
        @Position(2)
        public final boolean removed;

        public PropertyUpdate(String key, boolean added, boolean removed) {
            this.key = key;
            this.added = added;
            this.removed = removed;
        }
    }
}
