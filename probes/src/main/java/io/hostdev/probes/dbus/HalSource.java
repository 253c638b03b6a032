package io.hostdev.probes.dbus;

import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * {@code dbus.hal}: the legacy HAL daemon ({@code org.freedesktop.Hal}):
 * {@code Manager.GetAllDevices} on {@code /org/freedesktop/Hal/Manager}, then
 * {@code Device.GetAllProperties} on each udi (HAL 0.5 specification). {@link HalMapping} turns a
 * device's properties into our model's fields.
 *
 * <p>Signals: the manager's {@code DeviceAdded}/{@code DeviceRemoved} and each device's
 * {@code PropertyModified}. A refresh after them lists the udis again (one call) and re-reads only
 * the devices that are new or were named by a signal.
 */
public final class HalSource implements DbusSource<HalSnapshot> {

    public static final String ID = "dbus.hal";
    static final String BUS_NAME = "org.freedesktop.Hal";
    static final String MANAGER_PATH = "/org/freedesktop/Hal/Manager";
    static final String DEVICES_PREFIX = "/org/freedesktop/Hal/devices/";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String busName() {
        return BUS_NAME;
    }

    @Override
    public HalSnapshot empty() {
        return HalSnapshot.EMPTY;
    }

    @Override
    public HalSnapshot read(DBusConnection connection) throws DBusException {
        return refresh(connection, HalSnapshot.EMPTY, Set.of());
    }

    @Override
    public HalSnapshot refresh(DBusConnection connection, HalSnapshot previous, Set<String> hints)
            throws DBusException {
        HalInterfaces.Manager manager = connection.getRemoteObject(BUS_NAME, MANAGER_PATH, HalInterfaces.Manager.class);
        List<String> udis = manager.GetAllDevices();
        SortedMap<String, HalDevice> devices = new TreeMap<>();
        for (String udi : udis == null ? List.<String>of() : new TreeSet<>(udis)) {
            HalDevice known = previous.devices().get(udi);
            if (known != null && !hints.contains(udi)) {
                devices.put(udi, known);
                continue;
            }
            try {
                HalInterfaces.Device device = connection.getRemoteObject(BUS_NAME, udi, HalInterfaces.Device.class);
                devices.put(udi, fromProperties(udi, device.GetAllProperties()));
            } catch (DBusExecutionException | IllegalArgumentException e) {
                // removed between the list and this call, or a udi that is no object path: skip it
            }
        }
        return new HalSnapshot(devices);
    }

    @Override
    public List<AutoCloseable> subscribe(DBusConnection connection, Consumer<String> onSignal) throws DBusException {
        List<AutoCloseable> handles = new ArrayList<>();
        handles.add(connection.addSigHandler(HalInterfaces.Manager.DeviceAdded.class, s -> onSignal.accept(s.udi())));
        handles.add(connection.addSigHandler(HalInterfaces.Manager.DeviceRemoved.class, s -> onSignal.accept(s.udi())));
        handles.add(connection.addSigHandler(HalInterfaces.Device.PropertyModified.class, s -> {
            if (s.getPath() != null && s.getPath().startsWith(DEVICES_PREFIX)) {
                onSignal.accept(s.getPath());
            }
        }));
        return handles;
    }

    @Override
    public SortedMap<String, Object> keyed(HalSnapshot records) {
        return new TreeMap<>(records.devices());
    }

    /** GetAllProperties' reply as a record: each value typed, anything else dropped. */
    static HalDevice fromProperties(String udi, Map<String, ?> raw) {
        SortedMap<String, Object> properties = new TreeMap<>();
        if (raw != null) {
            for (var e : raw.entrySet()) {
                Object value = typed(e.getValue());
                if (e.getKey() != null && value != null) {
                    properties.put(e.getKey(), value);
                }
            }
        }
        return new HalDevice(udi, properties);
    }

    /**
     * String, Long, Boolean, Double or List<String>; null for other types and for the empty strings
     * HAL stores where it knows nothing (absent, as everywhere in hostdev).
     */
    static Object typed(Object raw) {
        Object v = DbusValues.unwrap(raw);
        if (v instanceof String s) {
            return s.isEmpty() ? null : s;
        }
        if (v instanceof Boolean) {
            return v;
        }
        Long integer = DbusValues.integer(v);
        if (integer != null) {
            return integer;
        }
        Double real = DbusValues.real(v);
        if (real != null) {
            return real;
        }
        List<String> strings = DbusValues.strings(v);
        return strings == null ? null : List.copyOf(strings);
    }
}
