package io.hostdev.probes.dbus;

import io.hostdev.model.Device;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.Facts;
import io.hostdev.model.Overlay;
import io.hostdev.model.cap.StorageCapability;
import io.hostdev.model.cap.SystemdCapability;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The D-Bus bridge's records as facts over the sysfs device tree: one {@link Overlay} per source,
 * and which devices a {@link DbusChange} concerns. Pure: no bus, no files (docs/dbus.md, "In the
 * agent").
 *
 * <p>Join keys: a UDisks2 block by its device node against the device's {@code devnodes} (or its
 * {@code storage.block}); a systemd device unit by its {@code SysFSPath} against the device's
 * {@code path}; a HAL device by its {@code linux.sysfs_path} against the device's {@code path}. A
 * record that joins no device adds nothing: D-Bus never creates, removes or moves a device (sysfs
 * owns the topology). Values only fill fields sysfs left absent ({@link Facts#fill}).
 */
public final class DbusOverlays {

    private DbusOverlays() {
    }

    /**
     * One overlay per source the snapshot has a state for: its records while the source is
     * {@link DbusSourceState#PRESENT} or {@link DbusSourceState#STALE} (a bus that went away keeps
     * its facts until it is back), {@link Overlay#NONE} while it is absent or no bus was reached.
     */
    public static SortedMap<String, Overlay> of(DbusSnapshot snapshot) {
        SortedMap<String, Overlay> out = new TreeMap<>();
        snapshot.states().forEach((id, state) -> {
            boolean usable = state == DbusSourceState.PRESENT || state == DbusSourceState.STALE;
            out.put(id, usable ? forSource(id, snapshot) : Overlay.NONE);
        });
        return out;
    }

    private static Overlay forSource(String id, DbusSnapshot snapshot) {
        return switch (id) {
            case UdisksSource.ID -> udisks2(snapshot.udisks2());
            case SystemdSource.ID -> systemd(snapshot.systemd());
            case HalSource.ID -> hal(snapshot.hal());
            default -> Overlay.NONE;
        };
    }

    // ---- dbus.udisks2

    /**
     * UDisks2's drive and block facts over the storage device whose device node is the block's:
     * vendor, model, serial, WWN, removable media, rotation, size, media, rotation rate, connection
     * bus. A partition gets only its block's size: partitions do not repeat their disk's identity
     * (docs/net-and-storage.md). UDisks2's preferred device node ({@code /dev/mapper/...} for
     * {@code /dev/dm-0}) becomes an alias.
     */
    public static Overlay udisks2(UdisksSnapshot snapshot) {
        if (snapshot.blocks().isEmpty()) {
            return Overlay.NONE;
        }
        Map<String, UdisksBlock> byNode = snapshot.blocks();
        return device -> {
            StorageCapability storage = device.capability(StorageCapability.class).orElse(null);
            UdisksBlock block = storage == null ? null : block(device, storage, byNode);
            if (block == null) {
                return device;
            }
            Device out = Facts.fill(device, udisksFields(block, storage.kind() == StorageCapability.Kind.PARTITION));
            String preferred = block.preferredDevice();
            if (preferred != null && !preferred.equals(block.device()) && !device.devnodes().contains(preferred)) {
                out = withAlias(out, preferred);
            }
            return out.withSource(UdisksSource.ID);
        };
    }

    private static UdisksBlock block(Device device, StorageCapability storage, Map<String, UdisksBlock> byNode) {
        for (String node : device.devnodes()) {
            UdisksBlock b = byNode.get(node);
            if (b != null) {
                return b;
            }
        }
        return storage.block() == null ? null : byNode.get(storage.block());
    }

    /**
     * A block's facts by storage field. {@code storage.removable} is the drive's
     * {@code MediaRemovable}: what sysfs's {@code removable} attribute means (removable media), not
     * UDisks2's {@code Removable} (a drive that can be unplugged, such as any USB disk).
     */
    static Map<String, Object> udisksFields(UdisksBlock block, boolean partition) {
        Map<String, Object> fields = new LinkedHashMap<>();
        put(fields, "storage.size", block.size());
        UdisksDrive drive = block.drive();
        if (drive != null && !partition) {
            put(fields, "storage.vendor", drive.vendor());
            put(fields, "storage.model", drive.model());
            put(fields, "storage.serial", drive.serial());
            put(fields, "storage.wwn", drive.wwn());
            put(fields, "storage.removable", drive.mediaRemovable());
            put(fields, "storage.rotational", drive.rotational());
            put(fields, "storage.rotation_rate", drive.rotationRate());
            put(fields, "storage.media", drive.media());
            put(fields, "storage.connection_bus", drive.connectionBus());
        }
        return fields;
    }

    private static void put(Map<String, Object> fields, String field, Object value) {
        if (value != null) {
            fields.put(field, value);
        }
    }

    // ---- dbus.systemd

    /** The {@code systemd} capability on each device a {@code .device} unit names by its SysFSPath. */
    public static Overlay systemd(SystemdSnapshot snapshot) {
        SortedMap<String, List<SystemdDeviceUnit>> byPath = snapshot.bySysfsPath();
        if (byPath.isEmpty()) {
            return Overlay.NONE;
        }
        return device -> {
            List<SystemdDeviceUnit> units = device.path() == null ? null : byPath.get(device.path());
            if (units == null) {
                return device;
            }
            return device.withCapability(systemdCapability(units)).withSource(SystemdSource.ID);
        };
    }

    /**
     * The units of one device as a capability. Several units name one device (its node and its
     * {@code by-id}, {@code by-path}... links) and share its state; the states are those of the first
     * unit by name, so the output does not depend on the order systemd listed them in.
     */
    static SystemdCapability systemdCapability(List<SystemdDeviceUnit> units) {
        List<SystemdDeviceUnit> sorted = new ArrayList<>(units);
        sorted.sort((a, b) -> a.unit().compareTo(b.unit()));
        SystemdDeviceUnit first = sorted.get(0);
        return new SystemdCapability(sorted.stream().map(SystemdDeviceUnit::unit).toList(), first.sysfsPath(),
                first.activeState(), first.subState());
    }

    // ---- dbus.hal

    /**
     * HAL's facts over the device at its {@code linux.sysfs_path}: the udi as an alias, and the mapped
     * fields ({@link HalMapping}) where sysfs left them absent. Several HAL devices can name one sysfs
     * path (a storage device and the volume of an unpartitioned disk): all udis become aliases, and
     * their fields fill in udi order.
     */
    public static Overlay hal(HalSnapshot snapshot) {
        Map<String, List<HalFacts>> byPath = new HashMap<>();
        for (HalDevice d : snapshot.devices().values()) {
            HalFacts facts = HalMapping.map(d);
            String path = sysfsPath(facts);
            if (path != null) {
                byPath.computeIfAbsent(path, k -> new ArrayList<>()).add(facts);
            }
        }
        if (byPath.isEmpty()) {
            return Overlay.NONE;
        }
        return device -> {
            List<HalFacts> all = device.path() == null ? null : byPath.get(device.path());
            if (all == null) {
                return device;
            }
            Device out = device;
            for (HalFacts facts : all) {
                out = withAlias(out, facts.udi());
                out = Facts.fill(out, facts.fields());
            }
            return out.withSource(HalSource.ID);
        };
    }

    /** HAL's sysfs path without a trailing slash, which some HAL versions wrote. */
    static String sysfsPath(HalFacts facts) {
        String p = facts.sysfsPath();
        while (p != null && p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p == null || !p.startsWith("/") ? null : p;
    }

    private static Device withAlias(Device device, String alias) {
        if (device.aliases().contains(alias)) {
            return device;
        }
        List<String> aliases = new ArrayList<>(device.aliases());
        aliases.add(alias);
        return device.withAliases(aliases);
    }

    // ---- which devices a change concerns

    /**
     * What to read again after some D-Bus changes.
     *
     * @param paths   host paths ({@code /sys/devices/...}) of the devices the changes name, for a targeted reprobe
     * @param fullRun a change named a UDisks2 device node no device of the tree has: only a full scan
     *                can find the device (a disk sysfs has but the tree does not yet)
     */
    public record Reprobe(Set<String> paths, boolean fullRun) {
        public Reprobe {
            paths = Set.copyOf(new TreeSet<>(paths));
        }
    }

    /**
     * The devices the changes concern: a UDisks2 device node → the device of {@code tree} with that
     * node; a systemd key → itself when it is a sysfs path (a unit without one names no device); a
     * HAL udi → its {@code linux.sysfs_path} in {@code after}, else in {@code before} (a removed
     * device is only there). A HAL device without a sysfs path (HAL's {@code computer}, a volume
     * of a disk) names none. The device need not be in the tree: a HAL device added before the agent
     * scanned it gets its path read.
     *
     * @param before the snapshot before the changes (for what a removal names)
     * @param after  the snapshot after them
     */
    public static Reprobe reprobe(Collection<DbusChange> changes, DeviceTree tree, DbusSnapshot before,
                                  DbusSnapshot after) {
        Set<String> paths = new TreeSet<>();
        boolean full = false;
        Map<String, String> byNode = null;
        for (DbusChange c : changes) {
            switch (c.source()) {
                case UdisksSource.ID -> {
                    if (byNode == null) {
                        byNode = pathsByDeviceNode(tree);
                    }
                    String path = byNode.get(c.key());
                    if (path != null) {
                        paths.add(path);
                    } else if (c.kind() != DbusChange.Kind.REMOVED) {
                        full = true;
                    }
                }
                case SystemdSource.ID -> {
                    if (c.key().startsWith("/")) {
                        paths.add(c.key());
                    }
                }
                case HalSource.ID -> {
                    String path = halPath(after, c.key());
                    if (path == null) {
                        path = halPath(before, c.key());
                    }
                    if (path != null) {
                        paths.add(path);
                    }
                }
                default -> {
                    // a source this version does not know names nothing we can read
                }
            }
        }
        return new Reprobe(paths, full);
    }

    private static Map<String, String> pathsByDeviceNode(DeviceTree tree) {
        Map<String, String> out = new HashMap<>();
        for (Device d : tree.devices()) {
            if (d.path() == null) {
                continue;
            }
            for (String node : d.devnodes()) {
                out.putIfAbsent(node, d.path());
            }
            d.capability(StorageCapability.class).map(StorageCapability::block)
                    .ifPresent(block -> out.putIfAbsent(block, d.path()));
        }
        return out;
    }

    private static String halPath(DbusSnapshot snapshot, String udi) {
        HalDevice d = snapshot == null ? null : snapshot.hal().devices().get(udi);
        return d == null ? null : sysfsPath(HalMapping.map(d));
    }
}
