package io.hostdev.probes.dbus;

import io.hostdev.probes.dbus.SystemdInterfaces.Manager;
import io.hostdev.probes.dbus.SystemdInterfaces.UnitStatus;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.errors.UnknownInterface;
import org.freedesktop.dbus.errors.UnknownMethod;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.Properties;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * {@code dbus.systemd}: the {@code .device} units of systemd ({@code org.freedesktop.systemd1}),
 * each with the sysfs path it tracks. Read: {@code Manager.ListUnitsByPatterns([], ["*.device"])}
 * (systemd 230+; older ones answer UnknownMethod and get {@code ListUnits}, filtered here), then
 * {@code Properties.GetAll("org.freedesktop.systemd1.Device")} on each unit for {@code SysFSPath}
 * (org.freedesktop.systemd1(5), "Device Unit Objects").
 *
 * <p>Signals: {@code UnitNew}/{@code UnitRemoved} (sent only to subscribed clients, so a read calls
 * {@code Subscribe}) and {@code PropertiesChanged} on device unit objects.
 */
public final class SystemdSource implements DbusSource<SystemdSnapshot> {

    public static final String ID = "dbus.systemd";
    static final String BUS_NAME = "org.freedesktop.systemd1";
    static final String MANAGER_PATH = "/org/freedesktop/systemd1";
    static final String UNIT_PATH_PREFIX = "/org/freedesktop/systemd1/unit/";
    static final String DEVICE_SUFFIX = ".device";
    /** A unit object path escapes '.' as {@code _2e}: {@code sys-devices-x.device} → {@code sys_2ddevices_2dx_2edevice}. */
    static final String DEVICE_PATH_SUFFIX = "_2edevice";

    /** A row of ListUnits reduced to what the records keep. */
    record UnitRow(String name, String activeState, String subState, String objectPath) {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String busName() {
        return BUS_NAME;
    }

    @Override
    public SystemdSnapshot empty() {
        return SystemdSnapshot.EMPTY;
    }

    @Override
    public SystemdSnapshot read(DBusConnection connection) throws DBusException {
        Manager manager = connection.getRemoteObject(BUS_NAME, MANAGER_PATH, Manager.class);
        try {
            manager.Subscribe();
        } catch (DBusExecutionException e) {
            // already subscribed (systemd says so as an error) or not allowed: UnitNew/UnitRemoved are
            // then missed, PropertiesChanged and the periodic probe still catch changes
        }
        List<UnitStatus> units;
        try {
            units = manager.ListUnitsByPatterns(List.of(), List.of("*" + DEVICE_SUFFIX));
        } catch (DBusExecutionException e) {
            if (!isUnknownMethod(e)) {
                throw e;
            }
            units = manager.ListUnits();
        }
        List<UnitRow> rows = new ArrayList<>();
        Map<String, Map<String, ?>> deviceProperties = new HashMap<>();
        for (UnitStatus u : units == null ? List.<UnitStatus>of() : units) {
            UnitRow row = new UnitRow(u.name, u.activeState, u.subState, DbusValues.objectPath(u.unitPath));
            if (row.name() == null || !row.name().endsWith(DEVICE_SUFFIX) || row.objectPath() == null) {
                continue;
            }
            rows.add(row);
            try {
                Properties props = connection.getRemoteObject(BUS_NAME, row.objectPath(), Properties.class);
                deviceProperties.put(row.objectPath(), props.GetAll(SystemdInterfaces.DEVICE));
            } catch (DBusExecutionException e) {
                // the unit went away between the list and this call: it has no sysfs path
            }
        }
        return fromUnits(rows, deviceProperties);
    }

    /** dbus-java maps the error names {@code org.freedesktop.DBus.Error.X} onto classes {@code org.freedesktop.dbus.errors.X}. */
    static boolean isUnknownMethod(DBusExecutionException e) {
        return e instanceof UnknownMethod || e instanceof UnknownInterface;
    }

    @Override
    public List<AutoCloseable> subscribe(DBusConnection connection, Consumer<String> onSignal) throws DBusException {
        List<AutoCloseable> handles = new ArrayList<>();
        handles.add(connection.addSigHandler(Manager.UnitNew.class, s -> {
            if (s.id() != null && s.id().endsWith(DEVICE_SUFFIX)) {
                onSignal.accept(s.id());
            }
        }));
        handles.add(connection.addSigHandler(Manager.UnitRemoved.class, s -> {
            if (s.id() != null && s.id().endsWith(DEVICE_SUFFIX)) {
                onSignal.accept(s.id());
            }
        }));
        handles.add(connection.addSigHandler(Properties.PropertiesChanged.class, s -> {
            // systemd sends these for every unit of every type: only device units matter
            String path = s.getPath();
            if (path != null && path.startsWith(UNIT_PATH_PREFIX) && path.endsWith(DEVICE_PATH_SUFFIX)) {
                onSignal.accept(path);
            }
        }));
        return handles;
    }

    /** Keyed by sysfs path; a unit without one by its name, so it is still diffed. */
    @Override
    public SortedMap<String, Object> keyed(SystemdSnapshot records) {
        SortedMap<String, Object> out = new TreeMap<>(records.bySysfsPath());
        for (SystemdDeviceUnit u : records.units().values()) {
            if (u.sysfsPath() == null) {
                out.put(u.unit(), u);
            }
        }
        return out;
    }

    /**
     * The rows (only {@code .device} units are kept: ListUnits returns every type) with each unit's
     * {@code org.freedesktop.systemd1.Device} properties by object path, as records by unit name.
     */
    static SystemdSnapshot fromUnits(List<UnitRow> rows, Map<String, ? extends Map<String, ?>> deviceProperties) {
        SortedMap<String, SystemdDeviceUnit> out = new TreeMap<>();
        for (UnitRow row : rows) {
            if (row.name() == null || !row.name().endsWith(DEVICE_SUFFIX) || row.name().length() == DEVICE_SUFFIX.length()) {
                continue;
            }
            Map<String, ?> props = row.objectPath() == null ? null : deviceProperties.get(row.objectPath());
            out.put(row.name(), new SystemdDeviceUnit(
                    row.name(),
                    DbusValues.string(DbusValues.get(props, "SysFSPath")),
                    DbusValues.string(row.activeState()),
                    DbusValues.string(row.subState()),
                    row.objectPath()));
        }
        return new SystemdSnapshot(out);
    }
}
