package io.hostdev.probes.dbus;

import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.ObjectManager;
import org.freedesktop.dbus.interfaces.Properties;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * {@code dbus.udisks2}: drives and block devices from UDisks2 ({@code org.freedesktop.UDisks2}), read
 * with one {@code org.freedesktop.DBus.ObjectManager.GetManagedObjects} call on
 * {@code /org/freedesktop/UDisks2} (UDisks2 reference manual, "org.freedesktop.UDisks2.Drive" and
 * "org.freedesktop.UDisks2.Block"; ObjectManager in the D-Bus specification, "Standard Interfaces").
 *
 * <p>Signals: {@code InterfacesAdded}/{@code InterfacesRemoved} from the object manager and
 * {@code org.freedesktop.DBus.Properties.PropertiesChanged} on UDisks2's objects. Any of them
 * re-reads the whole tree (one call), and the bridge reports the device nodes whose record changed.
 */
public final class UdisksSource implements DbusSource<UdisksSnapshot> {

    public static final String ID = "dbus.udisks2";
    static final String BUS_NAME = "org.freedesktop.UDisks2";
    static final String MANAGER_PATH = "/org/freedesktop/UDisks2";
    static final String DRIVE = "org.freedesktop.UDisks2.Drive";
    static final String BLOCK = "org.freedesktop.UDisks2.Block";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String busName() {
        return BUS_NAME;
    }

    @Override
    public UdisksSnapshot empty() {
        return UdisksSnapshot.EMPTY;
    }

    @Override
    public UdisksSnapshot read(DBusConnection connection) throws DBusException {
        ObjectManager manager = connection.getRemoteObject(BUS_NAME, MANAGER_PATH, ObjectManager.class);
        return fromManagedObjects(manager.GetManagedObjects());
    }

    @Override
    public List<AutoCloseable> subscribe(DBusConnection connection, Consumer<String> onSignal) throws DBusException {
        List<AutoCloseable> handles = new ArrayList<>();
        // dbus-java's naming is inverted here: getSignalSource() is the argument (the object added or
        // removed), getObjectPath() the path the signal came from (the manager)
        handles.add(connection.addSigHandler(ObjectManager.InterfacesAdded.class, s -> {
            if (isOurs(s.getPath())) {
                onSignal.accept(s.getSignalSource() == null ? s.getPath() : s.getSignalSource().getPath());
            }
        }));
        handles.add(connection.addSigHandler(ObjectManager.InterfacesRemoved.class, s -> {
            if (isOurs(s.getPath())) {
                onSignal.accept(s.getSignalSource() == null ? s.getPath() : s.getSignalSource().getPath());
            }
        }));
        handles.add(connection.addSigHandler(Properties.PropertiesChanged.class, s -> {
            if (isOurs(s.getPath()) && (DRIVE.equals(s.getInterfaceName()) || BLOCK.equals(s.getInterfaceName()))) {
                onSignal.accept(s.getPath());
            }
        }));
        return handles;
    }

    /** Signals are matched by interface and member only, so other services' ones arrive too. */
    private static boolean isOurs(String path) {
        return path != null && (path.equals(MANAGER_PATH) || path.startsWith(MANAGER_PATH + "/"));
    }

    @Override
    public SortedMap<String, Object> keyed(UdisksSnapshot records) {
        return new TreeMap<>(records.blocks());
    }

    /**
     * The reply of GetManagedObjects ({@code a{oa{sa{sv}}}}: object path → interface → property →
     * value; keys may be {@code DBusPath}s or strings, values plain or in variants) as records. A
     * Block without a Device is skipped: it has no key to merge on.
     */
    static UdisksSnapshot fromManagedObjects(Map<?, ? extends Map<String, ? extends Map<String, ?>>> objects) {
        if (objects == null) {
            return UdisksSnapshot.EMPTY;
        }
        SortedMap<String, UdisksDrive> drives = new TreeMap<>();
        for (var entry : objects.entrySet()) {
            String path = DbusValues.objectPath(entry.getKey());
            Map<String, ?> drive = entry.getValue() == null ? null : entry.getValue().get(DRIVE);
            if (path != null && drive != null) {
                drives.put(path, drive(path, drive));
            }
        }
        SortedMap<String, UdisksBlock> blocks = new TreeMap<>();
        for (var entry : objects.entrySet()) {
            String path = DbusValues.objectPath(entry.getKey());
            Map<String, ?> block = entry.getValue() == null ? null : entry.getValue().get(BLOCK);
            if (path == null || block == null) {
                continue;
            }
            String device = DbusValues.bytesAsString(block.get("Device"));
            if (device == null) {
                continue;
            }
            String drivePath = DbusValues.objectPath(block.get("Drive"));
            blocks.put(device, new UdisksBlock(
                    device,
                    DbusValues.bytesAsString(block.get("PreferredDevice")),
                    path,
                    nonNegative(DbusValues.integer(block.get("Size"))),
                    DbusValues.string(block.get("IdUUID")),
                    DbusValues.string(block.get("IdType")),
                    DbusValues.string(block.get("IdLabel")),
                    drivePath == null ? null : drives.get(drivePath)));
        }
        return new UdisksSnapshot(blocks, drives);
    }

    static UdisksDrive drive(String path, Map<String, ?> p) {
        Long rate = DbusValues.integer(p.get("RotationRate"));
        Boolean rotational = rate == null ? null : rate != 0;
        Integer rotationRate = rate != null && rate > 0 && rate <= Integer.MAX_VALUE ? rate.intValue() : null;
        Long size = DbusValues.integer(p.get("Size"));
        return new UdisksDrive(
                path,
                DbusValues.string(p.get("Id")),
                DbusValues.string(p.get("Vendor")),
                DbusValues.string(p.get("Model")),
                DbusValues.string(p.get("Serial")),
                DbusValues.string(p.get("WWN")),
                DbusValues.string(p.get("Media")),
                DbusValues.bool(p.get("MediaRemovable")),
                DbusValues.bool(p.get("Removable")),
                rotational,
                rotationRate,
                size == null || size <= 0 ? null : size,
                DbusValues.string(p.get("ConnectionBus")));
    }

    /** A 64-bit unsigned size above 2^63 wraps negative in a long: no real device is that big. */
    private static Long nonNegative(Long v) {
        return v == null || v < 0 ? null : v;
    }
}
