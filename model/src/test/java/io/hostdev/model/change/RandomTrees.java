package io.hostdev.model.change;

import io.hostdev.model.Device;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.cap.Capability;
import io.hostdev.model.cap.GenericCapability;
import io.hostdev.model.cap.IdName;
import io.hostdev.model.cap.NetCapability;
import io.hostdev.model.cap.PciAddress;
import io.hostdev.model.cap.PciCapability;
import io.hostdev.model.cap.ScsiCapability;
import io.hostdev.model.cap.StorageCapability;
import io.hostdev.model.cap.SystemCapability;
import io.hostdev.model.cap.UsbDeviceCapability;
import io.hostdev.model.cap.VirtioCapability;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Random device trees and random mutations of them, for property tests. Both are described by
 * plain numbers (specs) that jqwik generates and shrinks, and turned into devices by deterministic
 * functions, so a failing case shrinks to a small tree and a short list of mutations.
 *
 * <p>Names come from a small pool ({@code pci_0} ... {@code tty_12}) so that {@code under(NAME)}
 * and {@code parent=NAME} matchers, renames and re-additions hit existing devices often.
 */
final class RandomTrees {

    private RandomTrees() {
    }

    /** How many numbers a name prefix is combined with. */
    static final int NAME_POOL = 13;

    /** The kinds of device the generator builds: a bus device when {@code bus} is set, else a class device. */
    enum Kind {
        PCI("pci", "pci"), USB("usb", "usb"), VIRTIO("virtio", "virtio"), SCSI("scsi", "scsi"),
        NET("net", null), BLOCK("block", null), TTY("tty", null);

        final String subsystem;
        final String bus;

        Kind(String subsystem, String bus) {
            this.subsystem = subsystem;
            this.bus = bus;
        }

        static Kind of(Device d) {
            for (Kind k : values()) {
                if (k.subsystem.equals(d.subsystem())) {
                    return k;
                }
            }
            return TTY;
        }
    }

    static final List<String> BUSES = List.of("pci", "usb", "virtio", "scsi");
    static final List<String> DRIVERS = List.of("virtio-pci", "xhci_hcd", "sd", "vfio-pci");

    /** Every name the generator may give a device from the pool, plus the root. */
    static List<String> namePool() {
        List<String> out = new ArrayList<>();
        out.add(DeviceTree.ROOT);
        for (Kind k : Kind.values()) {
            for (int i = 0; i < NAME_POOL; i++) {
                out.add(k.subsystem + "_" + i);
            }
        }
        return out;
    }

    /**
     * One device to add: {@code parent} counts back from the last device built (0 = the last, so
     * shrinking makes chains), {@code name} picks from the pool, {@code value} drives every field.
     */
    record NodeSpec(int parent, int name, Kind kind, int value, boolean stale) {
    }

    static Arbitrary<NodeSpec> nodeSpecs() {
        return Combinators.combine(
                Arbitraries.integers().between(0, 1000),
                Arbitraries.integers().between(0, NAME_POOL - 1),
                Arbitraries.of(Kind.class),
                Arbitraries.integers().between(0, 7),
                Arbitraries.frequency(Tuple.of(9, false), Tuple.of(1, true)))
                .as(NodeSpec::new);
    }

    static Arbitrary<DeviceTree> trees() {
        return nodeSpecs().list().ofMaxSize(40).map(RandomTrees::build);
    }

    static DeviceTree build(List<NodeSpec> specs) {
        List<Device> built = new ArrayList<>();
        built.add(root(0));
        Set<String> names = new HashSet<>();
        names.add(DeviceTree.ROOT);
        for (NodeSpec s : specs) {
            String name = s.kind().subsystem + "_" + s.name();
            if (!names.add(name)) {
                continue;
            }
            Device parent = built.get(built.size() - 1 - s.parent() % built.size());
            built.add(make(s.kind(), name, parent.name(), s.value()).withStale(s.stale()));
        }
        return DeviceTree.of(built);
    }

    static Device root(int value) {
        return new Device(DeviceTree.ROOT, null, null, null, null, null, null, List.of(), List.of(),
                List.of(new SystemCapability(value % 2 == 0 ? null : "KVM",
                        new SystemCapability.Hardware("QEMU", null, null, value % 3 == 0 ? null : "uuid-" + value),
                        null,
                        value % 5 == 0 ? null : new SystemCapability.Baseboard("ACME", "B" + value % 2, null, null),
                        value % 4 == 0 ? List.of() : List.of(
                                new SystemCapability.MemoryModule("DIMM" + value % 3, 1L << 33, 3200L, null, "DDR4", null)),
                        value % 3 == 0 ? null : new SystemCapability.Sensors(40 + value % 7, List.of(value % 2 * 900),
                                value % 2 == 0 ? null : 1.2))), false);
    }

    /** A device of the kind, every field a function of {@code v}. */
    static Device make(Kind kind, String name, String parent, int v) {
        String driver = v % 4 == 0 ? null : DRIVERS.get(v % DRIVERS.size());
        List<String> aliases = v % 3 == 0 ? List.of() : List.of(name + ".alias", "a" + v);
        List<String> devnodes = kind == Kind.BLOCK || kind == Kind.TTY ? List.of("/dev/" + name) : List.of();
        return new Device(name, parent, "/sys/devices/" + name, kind.subsystem, kind.bus,
                v % 5 == 0 ? "type" + v % 2 : null, driver, devnodes, aliases, capabilities(kind, name, v), false);
    }

    static List<Capability> capabilities(Kind kind, String name, int v) {
        if (v == 7) {
            return List.of();
        }
        List<Capability> caps = new ArrayList<>();
        switch (kind) {
            case PCI -> caps.add(new PciCapability(new PciAddress(0, v, v % 32, v % 8),
                    new IdName(v % 2 == 0 ? "0x8086" : "0x1af4", v % 3 == 0 ? null : "Vendor " + v),
                    IdName.of("0x" + Integer.toHexString(0x1000 + v)), null, null, IdName.of("0x020000"),
                    "0x0" + v, v % 3 == 0 ? null : new PciCapability.IommuGroup(v, List.of("0000:00:0" + v + ".0")),
                    v % 2 == 0 ? null : v % 2, null,
                    v % 5 == 0 ? new PciCapability.Sriov(8, v, List.of("0000:01:00." + v), null) : null,
                    v % 4 == 0 ? List.of() : List.of(new PciCapability.Resource(0, PciCapability.ResourceKind.MMIO,
                            0xfe000000L + v * 0x1000L, 0xfe000fffL + v * 0x1000L, 0x40200L)),
                    v % 2 == 1));
            case USB -> caps.add(new UsbDeviceCapability(1, v, IdName.of("0x1d6b"), IdName.of("0x000" + v % 4),
                    "0x09", "2.00", v % 2 == 0 ? 480.0 : 12.0, v % 3 == 0 ? null : "SER" + v));
            case VIRTIO -> caps.add(new VirtioCapability(v % 3 + 1, v % 2 == 0 ? "net" : "block", "0x1af4"));
            case SCSI -> caps.add(new ScsiCapability(0, 0, v, v * 1L << 40, v % 2 == 0 ? 0 : 5,
                    v % 2 == 0 ? "disk" : "cdrom", "QEMU", "HARDDISK", v % 3 == 0 ? null : "2.5+"));
            case NET -> caps.add(new NetCapability(name, v % 3 == 0 ? null : "52:54:00:00:00:0" + v, v,
                    1500 + 500 * (v % 3), new NetCapability.Link(v % 2 == 0 ? "up" : "down",
                    v % 2 == 0 ? 1000L * v : null), v % 4 == 0 ? NetCapability.Kind.BRIDGE : NetCapability.Kind.PHYSICAL,
                    null, null, v % 4 == 0 ? new NetCapability.Bridge(List.of("veth" + v)) : null, null, null, null));
            case BLOCK -> caps.add(new StorageCapability(v % 2 == 0 ? StorageCapability.Kind.DISK
                    : StorageCapability.Kind.PARTITION, name, v * 512L * 1024 * 1024 * 1024, 512, false, v % 3 == 0,
                    false, v % 2 == 0 ? "QEMU HARDDISK" : null, null, null, null, v % 2 == 0 ? null : v, null, null, null, null));
            case TTY -> {
            }
        }
        if (kind == Kind.TTY || v % 6 == 1) {
            Map<String, String> attributes = new TreeMap<>();
            attributes.put("online", String.valueOf(v % 2));
            if (v % 3 != 0) {
                attributes.put("type", String.valueOf(v));
            }
            if (v % 4 == 2) {
                // raw attribute names may contain dots: the diff treats such a map as one value
                attributes.put("power.state", v % 8 < 4 ? "on" : "off");
            }
            caps.add(GenericCapability.of(kind.subsystem, attributes));
        }
        return caps;
    }

    enum Op {
        ADD_SUBTREE, REMOVE_SUBTREE, CHANGE_FIELD, RENAME, TOGGLE_STALE, MOVE, FAIL_REFRESH, RECOVER
    }

    /** One mutation: {@code target} and {@code other} pick devices (modulo the tree size), {@code value} what to change. */
    record Mutation(Op op, int target, int other, int value) {
    }

    static Arbitrary<Mutation> mutationSpecs() {
        return Combinators.combine(
                Arbitraries.frequencyOf(
                        Tuple.of(3, Arbitraries.just(Op.ADD_SUBTREE)),
                        Tuple.of(3, Arbitraries.just(Op.REMOVE_SUBTREE)),
                        Tuple.of(6, Arbitraries.just(Op.CHANGE_FIELD)),
                        Tuple.of(2, Arbitraries.just(Op.RENAME)),
                        Tuple.of(2, Arbitraries.just(Op.TOGGLE_STALE)),
                        Tuple.of(3, Arbitraries.just(Op.MOVE)),
                        Tuple.of(1, Arbitraries.just(Op.FAIL_REFRESH)),
                        Tuple.of(1, Arbitraries.just(Op.RECOVER))),
                Arbitraries.integers().between(0, 1000),
                Arbitraries.integers().between(0, 1000),
                Arbitraries.integers().between(0, 11))
                .as(Mutation::new);
    }

    static Arbitrary<List<Mutation>> mutations() {
        return mutationSpecs().list().ofMinSize(1).ofMaxSize(6);
    }

    static DeviceTree mutate(DeviceTree tree, List<Mutation> mutations) {
        DeviceTree t = tree;
        for (Mutation m : mutations) {
            t = mutate(t, m);
        }
        return t;
    }

    static DeviceTree mutate(DeviceTree tree, Mutation m) {
        List<Device> devices = tree.devices();
        int n = devices.size();
        Device any = devices.get(m.target() % n);
        // every op but the tree-wide ones needs a non-root device; a lone root stays as it is
        Device nonRoot = n > 1 ? devices.get(1 + m.target() % (n - 1)) : null;
        Map<String, Device> byName = new LinkedHashMap<>();
        devices.forEach(d -> byName.put(d.name(), d));
        switch (m.op()) {
            case ADD_SUBTREE -> {
                String parent = devices.get(m.other() % n).name();
                for (int i = 0; i <= m.value() % 3; i++) {
                    Kind kind = Kind.values()[(m.other() + i) % Kind.values().length];
                    String name = freshName(byName, kind.subsystem, m.target() + i);
                    byName.put(name, make(kind, name, parent, (m.value() + i) % 8));
                    // every other new device hangs below the previous one: subtrees, not just leaves
                    if (i % 2 == 0) {
                        parent = name;
                    }
                }
            }
            case REMOVE_SUBTREE -> {
                if (nonRoot != null) {
                    tree.subtree(nonRoot.name()).forEach(d -> byName.remove(d.name()));
                }
            }
            case CHANGE_FIELD -> byName.put(any.name(), change(any, m.other(), m.value()));
            case RENAME -> {
                if (nonRoot != null) {
                    String name = freshName(byName, Kind.of(nonRoot).subsystem, m.other());
                    byName.remove(nonRoot.name());
                    byName.put(name, nonRoot.withName(name));
                    for (Device child : tree.children(nonRoot.name())) {
                        byName.put(child.name(), child.withParent(name));
                    }
                }
            }
            case TOGGLE_STALE -> byName.put(any.name(), any.withStale(!any.stale()));
            case MOVE -> {
                Device parent = devices.get(m.other() % n);
                boolean intoItself = nonRoot == null
                        || tree.subtree(nonRoot.name()).stream().anyMatch(d -> d.name().equals(parent.name()));
                if (!intoItself) {
                    byName.put(nonRoot.name(), nonRoot.withParent(parent.name()));
                }
            }
            case FAIL_REFRESH -> {
                return Refresh.apply(tree, ProbeOutcome.failure("generated failure"));
            }
            case RECOVER -> {
                return Refresh.apply(tree, ProbeOutcome.success(tree));
            }
        }
        return DeviceTree.of(byName.values());
    }

    /** A name from the pool when one is free (so names come back), else one that is certainly new. */
    static String freshName(Map<String, Device> taken, String prefix, int seed) {
        for (int i = 0; i < NAME_POOL; i++) {
            String name = prefix + "_" + (seed + i) % NAME_POOL;
            if (!taken.containsKey(name)) {
                return name;
            }
        }
        for (int i = 0; ; i++) {
            String name = prefix + "_x" + i;
            if (!taken.containsKey(name)) {
                return name;
            }
        }
    }

    /** One field of the device changed, the choice and the new value both from the numbers. */
    static Device change(Device d, int other, int value) {
        Kind kind = Kind.of(d);
        return switch (value % 6) {
            case 0 -> with(d, d.bus(), d.devtype(), d.driver() == null ? DRIVERS.get(other % DRIVERS.size()) : null,
                    d.aliases(), d.capabilities());
            // a bus appearing, disappearing or changing on the path of everything below
            case 1 -> with(d, d.bus() == null || other % 3 == 0 ? BUSES.get(other % BUSES.size()) : null,
                    d.devtype(), d.driver(), d.aliases(), d.capabilities());
            case 2 -> d.isRoot()
                    ? with(d, d.bus(), d.devtype(), d.driver(), d.aliases(), root(other).capabilities())
                    : with(d, d.bus(), d.devtype(), d.driver(), d.aliases(), capabilities(kind, d.name(), other % 8));
            case 3 -> {
                List<String> aliases = new ArrayList<>(d.aliases());
                if (!aliases.remove("a" + other % 4)) {
                    aliases.add("a" + other % 4);
                }
                yield with(d, d.bus(), d.devtype(), d.driver(), aliases, d.capabilities());
            }
            case 4 -> {
                List<Capability> caps = new ArrayList<>(d.capabilities());
                if (!caps.removeIf(c -> c instanceof GenericCapability)) {
                    caps.add(GenericCapability.of(kind.subsystem, Map.of("online", String.valueOf(other % 2))));
                }
                yield with(d, d.bus(), d.devtype(), d.driver(), d.aliases(), caps);
            }
            default -> with(d, d.bus(), d.devtype() == null ? "type" + other % 2 : null, d.driver(), d.aliases(),
                    d.capabilities());
        };
    }

    static Device with(Device d, String bus, String devtype, String driver, List<String> aliases,
                       List<Capability> caps) {
        return new Device(d.name(), d.parent(), d.path(), d.subsystem(), bus, devtype, driver, d.devnodes(), aliases,
                caps, d.stale());
    }
}
