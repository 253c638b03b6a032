package io.hostdev.probes.dbus;

import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.ObjectManager;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Test services that speak UDisks2 (an ObjectManager with Drive and Block objects), systemd (a
 * Manager with device units, each answering Properties.GetAll) and HAL (a Manager and Devices),
 * exported with dbus-java on their own connection to a private bus, plus the signals they send.
 * Public for the agent's tests (probes' test classes are its test-jar).
 */
public final class DbusFixtureServices implements AutoCloseable {

    public final DBusConnection connection;
    public final Udisks udisks = new Udisks();
    public final Systemd systemd = new Systemd();
    public final HalManager hal = new HalManager();

    private DbusFixtureServices(DBusConnection connection) {
        this.connection = connection;
    }

    public static DbusFixtureServices connect(String address) throws DBusException {
        return new DbusFixtureServices(DBusConnectionBuilder.forAddress(address).withShared(false).build());
    }

    // ---- UDisks2 ----

    public static final class Udisks implements ObjectManager {
        public final Map<DBusPath, Map<String, Map<String, Variant<?>>>> objects = new ConcurrentSkipListMap<>(
                (a, b) -> a.getPath().compareTo(b.getPath()));

        @Override
        public Map<DBusPath, Map<String, Map<String, Variant<?>>>> GetManagedObjects() {
            return new TreeMap<>(objects);
        }

        @Override
        public String getObjectPath() {
            return UdisksSource.MANAGER_PATH;
        }
    }

    public static String drivePath(String name) {
        return UdisksSource.MANAGER_PATH + "/drives/" + name;
    }

    public static String blockPath(String name) {
        return UdisksSource.MANAGER_PATH + "/block_devices/" + name;
    }

    public static Map<String, Map<String, Variant<?>>> driveObject(String vendor, String model, String serial, long size,
            int rotationRate, String bus) {
        return driveObject(vendor, model, serial, size, rotationRate, bus, "");
    }

    /** A drive with its medium ({@code thumb}, {@code optical_cd}...; "" for none, as UDisks2 says it). */
    public static Map<String, Map<String, Variant<?>>> driveObject(String vendor, String model, String serial, long size,
            int rotationRate, String bus, String media) {
        Map<String, Variant<?>> p = new TreeMap<>();
        p.put("Vendor", new Variant<>(vendor));
        p.put("Model", new Variant<>(model));
        p.put("Serial", new Variant<>(serial));
        p.put("WWN", new Variant<>(""));
        p.put("Media", new Variant<>(media));
        p.put("MediaRemovable", new Variant<>(false));
        p.put("Removable", new Variant<>(false));
        p.put("RotationRate", new Variant<>(rotationRate));
        p.put("Size", new Variant<>(new UInt64(size)));
        p.put("ConnectionBus", new Variant<>(bus));
        p.put("Id", new Variant<>(vendor + "-" + model + "-" + serial));
        return Map.of(UdisksSource.DRIVE, p);
    }

    public static Map<String, Map<String, Variant<?>>> blockObject(String device, long size, String drivePath, String uuid,
            String type) {
        Map<String, Variant<?>> p = new TreeMap<>();
        p.put("Device", new Variant<>(nulTerminated(device)));
        p.put("PreferredDevice", new Variant<>(nulTerminated(device)));
        p.put("Size", new Variant<>(new UInt64(size)));
        p.put("Drive", new Variant<>(new DBusPath(drivePath == null ? "/" : drivePath)));
        p.put("IdUUID", new Variant<>(uuid));
        p.put("IdType", new Variant<>(type));
        p.put("IdLabel", new Variant<>(""));
        return Map.of(UdisksSource.BLOCK, p);
    }

    static byte[] nulTerminated(String s) {
        byte[] text = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[text.length + 1];
        System.arraycopy(text, 0, out, 0, text.length);
        return out;
    }

    public void exportUdisks() throws DBusException {
        connection.exportObject(UdisksSource.MANAGER_PATH, udisks);
        connection.requestBusName(UdisksSource.BUS_NAME);
    }

    /** Adds an object and announces it, as udisksd does on hotplug. */
    public void addUdisksObject(String path, Map<String, Map<String, Variant<?>>> interfaces) throws DBusException {
        udisks.objects.put(new DBusPath(path), interfaces);
        connection.sendMessage(new ObjectManager.InterfacesAdded(UdisksSource.MANAGER_PATH, new DBusPath(path),
                interfaces));
    }

    public void removeUdisksObject(String path) throws DBusException {
        Map<String, Map<String, Variant<?>>> gone = udisks.objects.remove(new DBusPath(path));
        connection.sendMessage(new ObjectManager.InterfacesRemoved(UdisksSource.MANAGER_PATH, new DBusPath(path),
                new ArrayList<>(gone.keySet())));
    }

    // ---- systemd ----

    public static final class Systemd implements SystemdInterfaces.Manager {
        final Map<String, SystemdUnit> units = new ConcurrentSkipListMap<>();
        volatile boolean subscribed;

        @Override
        public List<SystemdInterfaces.UnitStatus> ListUnits() {
            List<SystemdInterfaces.UnitStatus> out = new ArrayList<>();
            for (SystemdUnit u : units.values()) {
                out.add(new SystemdInterfaces.UnitStatus(u.name, u.name, "loaded", u.activeState, "plugged", "",
                        new DBusPath(u.path), new UInt32(0), "", new DBusPath("/")));
            }
            return out;
        }

        @Override
        public List<SystemdInterfaces.UnitStatus> ListUnitsByPatterns(List<String> states, List<String> patterns) {
            // only the pattern the bridge sends is understood here
            return ListUnits().stream()
                    .filter(u -> !patterns.contains("*.device") || u.name.endsWith(".device"))
                    .toList();
        }

        @Override
        public void Subscribe() {
            subscribed = true;
        }

        @Override
        public String getObjectPath() {
            return SystemdSource.MANAGER_PATH;
        }
    }

    /** A unit object: Properties.GetAll of the Device interface answers SysFSPath. */
    public static final class SystemdUnit implements Properties {
        final String name;
        final String path;
        final String sysfsPath;
        final String activeState;

        public SystemdUnit(String name, String sysfsPath, String activeState) {
            this.name = name;
            this.path = SystemdSource.UNIT_PATH_PREFIX + escapeUnit(name);
            this.sysfsPath = sysfsPath;
            this.activeState = activeState;
        }

        /** systemd's object path escaping: every byte outside [A-Za-z0-9] as _xx. */
        static String escapeUnit(String name) {
            StringBuilder sb = new StringBuilder();
            for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
                char c = (char) (b & 0xff);
                if (c < 128 && Character.isLetterOrDigit(c)) {
                    sb.append(c);
                } else {
                    sb.append('_').append(String.format("%02x", b & 0xff));
                }
            }
            return sb.toString();
        }

        @Override
        @SuppressWarnings("unchecked")
        public <A> A Get(String iface, String property) {
            return (A) GetAll(iface).get(property);
        }

        @Override
        public <A> void Set(String iface, String property, A value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, Variant<?>> GetAll(String iface) {
            if (SystemdInterfaces.DEVICE.equals(iface)) {
                return Map.of("SysFSPath", new Variant<>(sysfsPath));
            }
            return Map.of();
        }

        @Override
        public String getObjectPath() {
            return path;
        }
    }

    public void exportSystemd() throws DBusException {
        connection.exportObject(SystemdSource.MANAGER_PATH, systemd);
        connection.requestBusName(SystemdSource.BUS_NAME);
    }

    public void addUnit(SystemdUnit unit, boolean announce) throws DBusException {
        systemd.units.put(unit.name, unit);
        connection.exportObject(unit.path, unit);
        if (announce) {
            connection.sendMessage(new SystemdInterfaces.Manager.UnitNew(SystemdSource.MANAGER_PATH, unit.name,
                    new DBusPath(unit.path)));
        }
    }

    public void removeUnit(String name) throws DBusException {
        SystemdUnit unit = systemd.units.remove(name);
        connection.unExportObject(unit.path);
        connection.sendMessage(new SystemdInterfaces.Manager.UnitRemoved(SystemdSource.MANAGER_PATH, unit.name,
                new DBusPath(unit.path)));
    }

    /** A systemd older than 230: its Manager has no ListUnitsByPatterns. */
    @org.freedesktop.dbus.annotations.DBusInterfaceName("org.freedesktop.systemd1.Manager")
    public interface OldManager extends org.freedesktop.dbus.interfaces.DBusInterface {
        List<SystemdInterfaces.UnitStatus> ListUnits();

        void Subscribe();
    }

    void exportOldSystemd() throws DBusException {
        connection.exportObject(SystemdSource.MANAGER_PATH, new OldManager() {
            @Override
            public List<SystemdInterfaces.UnitStatus> ListUnits() {
                return systemd.ListUnits();
            }

            @Override
            public void Subscribe() {
                systemd.Subscribe();
            }

            @Override
            public String getObjectPath() {
                return SystemdSource.MANAGER_PATH;
            }
        });
        connection.requestBusName(SystemdSource.BUS_NAME);
    }

    // ---- HAL ----

    public static final class HalManager implements HalInterfaces.Manager {
        final Map<String, HalDeviceObject> devices = new ConcurrentSkipListMap<>();

        @Override
        public List<String> GetAllDevices() {
            return new ArrayList<>(devices.keySet());
        }

        @Override
        public String getObjectPath() {
            return HalSource.MANAGER_PATH;
        }
    }

    public static final class HalDeviceObject implements HalInterfaces.Device {
        final String udi;
        final Map<String, Variant<?>> properties = new ConcurrentSkipListMap<>();

        public HalDeviceObject(String udi, Map<String, Variant<?>> properties) {
            this.udi = udi;
            this.properties.putAll(properties);
        }

        @Override
        public Map<String, Variant<?>> GetAllProperties() {
            return new TreeMap<>(properties);
        }

        @Override
        public String getObjectPath() {
            return udi;
        }
    }

    public void exportHal() throws DBusException {
        connection.exportObject(HalSource.MANAGER_PATH, hal);
        connection.requestBusName(HalSource.BUS_NAME);
    }

    public void addHalDevice(HalDeviceObject device, boolean announce) throws DBusException {
        hal.devices.put(device.udi, device);
        connection.exportObject(device.udi, device);
        if (announce) {
            connection.sendMessage(new HalInterfaces.Manager.DeviceAdded(HalSource.MANAGER_PATH, device.udi));
        }
    }

    public void removeHalDevice(String udi) throws DBusException {
        hal.devices.remove(udi);
        connection.unExportObject(udi);
        connection.sendMessage(new HalInterfaces.Manager.DeviceRemoved(HalSource.MANAGER_PATH, udi));
    }

    public void modifyHalProperty(String udi, String key, Variant<?> value) throws DBusException {
        hal.devices.get(udi).properties.put(key, value);
        connection.sendMessage(new HalInterfaces.Device.PropertyModified(udi, 1,
                List.of(new HalInterfaces.PropertyUpdate(key, false, false))));
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (Exception e) {
            // the daemon may be gone already
        }
    }
}
