package io.hostdev.probes.sysfs;

import io.hostdev.model.Device;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.cap.Capability;
import io.hostdev.model.cap.PciAddress;
import io.hostdev.model.cap.PciCapability;
import io.hostdev.model.cap.SystemCapability;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.HostRoot;
import io.hostdev.probes.Probe;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The device tree from sysfs ({@code sysfs}). Every device the kernel places in a subsystem — a
 * member of some {@code sys/class/CLASS} or {@code sys/bus/BUS/devices}, which is how sysfs defines
 * "has a subsystem" and how libudev enumerates — becomes a node; none is dropped unless the
 * configuration excludes its subsystem, and exclusions are counted. The parent of a device is the
 * nearest enclosing directory that is itself a device, else {@code computer}.
 *
 * <p>Enumerating through the class and bus links costs one {@code readlink} per device instead of
 * a {@code stat} of every file under {@code sys/devices}.
 */
public final class SysfsProbe implements Probe<SysfsScan> {

    public static final String ID = "sysfs";

    private static final List<String> SOURCES = List.of(Device.SYSFS);
    private static final System.Logger LOG = System.getLogger(SysfsProbe.class.getName());

    /**
     * @param excludedSubsystems subsystems whose devices are left out (and counted as excluded)
     * @param pciIds             a pci.ids file to use when the root has none of its own; may be {@code null}
     * @param disabledReaders    ids of typed readers switched off ({@code sysfs.pci}...): their devices
     *                           are still listed, with the generic capability
     */
    public record Options(Set<String> excludedSubsystems, Path pciIds, Set<String> disabledReaders) {
        public static final Options DEFAULT = new Options(Set.of(), null, Set.of());

        public Options {
            excludedSubsystems = Set.copyOf(excludedSubsystems);
            disabledReaders = Set.copyOf(disabledReaders);
        }

        public Options(Set<String> excludedSubsystems, Path pciIds) {
            this(excludedSubsystems, pciIds, Set.of());
        }
    }

    /** The ids of every typed reader, for configuration and help. */
    public static List<String> readerIds() {
        return CapabilityReaders.all().stream().map(CapabilityReader::id).sorted().toList();
    }

    private final Options options;
    private final Map<String, CapabilityReader> readers;

    public SysfsProbe() {
        this(Options.DEFAULT);
    }

    public SysfsProbe(Options options) {
        this.options = options;
        this.readers = new HashMap<>();
        for (CapabilityReader r : CapabilityReaders.all()) {
            if (!options.disabledReaders().contains(r.id())) {
                readers.put(r.subsystem(), r);
            }
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public SysfsScan probe(HostFiles files) {
        HostRoot root = files.root();
        List<String> problems = new ArrayList<>();
        Set<Path> busMembers = new java.util.HashSet<>();
        Map<Path, String> members = enumerate(files, problems, busMembers);

        List<SysfsDevice> found = new ArrayList<>();
        Map<String, Integer> excluded = new TreeMap<>();
        int vanished = 0;
        for (Map.Entry<Path, String> e : members.entrySet()) {
            Path dir = e.getKey();
            String subsystem = e.getValue();
            if (options.excludedSubsystems().contains(subsystem)) {
                excluded.merge(subsystem, 1, Integer::sum);
                continue;
            }
            String uevent = files.read(dir.resolve("uevent"));
            if (uevent == null && !files.isDirectory(dir)) {
                vanished++;
                LOG.log(System.Logger.Level.DEBUG, () -> "device vanished during the scan: " + dir);
                continue;
            }
            found.add(new SysfsDevice(dir, root.hostPath(dir), dir.getFileName().toString(), subsystem,
                    SysfsDevice.parseUevent(uevent)));
        }

        ScanContext context = new ScanContext(files, found);
        Map<SysfsDevice, Capability> caps = new LinkedHashMap<>();
        for (SysfsDevice d : found) {
            caps.put(d, capability(d, context, problems));
        }
        PciNames.apply(caps, files, options.pciIds());

        Map<SysfsDevice, String> baseNames = new LinkedHashMap<>();
        for (SysfsDevice d : found) {
            baseNames.put(d, DeviceNames.baseName(d, caps.get(d), udevSerial(d, files)));
        }
        Map<SysfsDevice, String> names = DeviceNames.unique(baseNames);

        List<Device> devices = new ArrayList<>(found.size() + 1);
        devices.add(new Device(DeviceTree.ROOT, null, null, null, null, null, null, List.of(), List.of(),
                List.of(SystemReader.read(context)), false, SOURCES));
        for (SysfsDevice d : found) {
            SysfsDevice parent = context.parentDevice(d);
            String parentName = parent == null ? DeviceTree.ROOT : names.get(parent);
            devices.add(device(d, parentName, names.get(d), caps.get(d), context, busMembers.contains(d.dir())));
        }
        return new SysfsScan(DeviceTree.of(devices), excluded, vanished, problems);
    }

    /**
     * What a targeted reprobe gives: the whole tree with some devices read again, and the host
     * paths of the devices read.
     */
    public record Reprobe(DeviceTree tree, Set<String> reread) {
        public Reprobe {
            reread = Set.copyOf(reread);
        }
    }

    /**
     * Reads again the devices at some host paths and their subtrees, over {@code tree} (the tree
     * the last scans left), as a uevent asks: for each path the nearest directory at or above it
     * that is a device (has a {@code subsystem} link) is read with everything below it, and
     * replaces the devices the tree had there; a path that is gone removes the devices at and
     * below it. A device whose parent the tree does not know yet is read from that parent up.
     * Readers that consult other devices (a partition its disk, a veth its peer) find them in
     * sysfs through the tree.
     *
     * @return null when only a full scan can tell: a name that collides with another device's, a
     *         path inside sysfs but in no device, or a root without {@code sys/devices}
     */
    public Reprobe reprobe(HostFiles files, DeviceTree tree, java.util.Collection<String> hostPaths) {
        HostRoot root = files.root();
        Path devicesDir = root.sys().resolve("devices");
        if (!files.isDirectory(devicesDir)) {
            return null;
        }
        TreeIndex index = TreeIndex.of(tree);
        Map<String, Device> byPath = index.byPath();
        Groups groups = new Groups(files);
        java.util.TreeSet<Path> targets = new java.util.TreeSet<>();
        List<String> gone = new ArrayList<>();
        for (String hp : new java.util.TreeSet<>(hostPaths)) {
            Path dir = root.fromHostPath(hp);
            if (!dir.startsWith(devicesDir) || dir.equals(devicesDir)) {
                continue;
            }
            Path device = enclosingDevice(dir, devicesDir, groups);
            if (device == null) {
                if (files.exists(dir)) {
                    // a directory in sysfs that is no device and in none: only a scan knows what it holds
                    return null;
                }
                gone.add(root.hostPath(dir));
                continue;
            }
            // a device whose parent is new too is read from the parent, so the parent is known first
            for (Path up = enclosingDevice(device.getParent(), devicesDir, groups); up != null
                    && !byPath.containsKey(root.hostPath(up)); up = enclosingDevice(up.getParent(), devicesDir, groups)) {
                device = up;
            }
            targets.add(device);
        }
        List<Path> tops = topMost(targets);
        List<String> replaced = new ArrayList<>();
        List<SysfsDevice> found = new ArrayList<>();
        Set<Path> busMembers = new java.util.HashSet<>();
        ScanContext context = null;
        Map<SysfsDevice, Capability> caps = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        // at most twice: the second time with the devices whose own record names one read the first time
        for (int round = 0; round < 2; round++) {
            replaced.clear();
            replaced.addAll(gone);
            tops.forEach(t -> replaced.add(root.hostPath(t)));
            found.clear();
            busMembers.clear();
            for (Path top : tops) {
                collect(files, top, groups, found, busMembers);
            }
            context = new ScanContext(files, found, outside(files, index, replaced));
            caps.clear();
            problems.clear();
            for (SysfsDevice d : found) {
                caps.put(d, capability(d, context, problems));
            }
            Set<Path> related = related(files, index, gone, found, caps, replaced);
            if (related.isEmpty() || round == 1) {
                break;
            }
            targets.addAll(related);
            tops = topMost(targets);
        }
        PciNames.apply(caps, files, options.pciIds());
        if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
            problems.forEach(p -> LOG.log(System.Logger.Level.DEBUG, p));
        }

        List<Device> kept = new ArrayList<>(tree.size() + found.size());
        Set<String> keptNames = new java.util.HashSet<>();
        for (Device d : tree.devices()) {
            if (d.path() == null || !under(d.path(), replaced)) {
                kept.add(d);
                keptNames.add(d.name());
            }
        }
        Map<SysfsDevice, String> names = new LinkedHashMap<>();
        Set<String> taken = new java.util.HashSet<>();
        for (SysfsDevice d : found) {
            String name = DeviceNames.baseName(d, caps.get(d), udevSerial(d, files));
            if (keptNames.contains(name) || !taken.add(name)) {
                // a full scan settles who keeps a contested name, by path order over the whole tree
                return null;
            }
            names.put(d, name);
        }
        Set<String> reread = new java.util.HashSet<>();
        for (SysfsDevice d : found) {
            SysfsDevice parent = context.parentDevice(d);
            String parentName = DeviceTree.ROOT;
            if (parent != null) {
                String inScan = names.get(parent);
                Device known = byPath.get(parent.hostPath());
                parentName = inScan != null ? inScan : known != null ? known.name() : DeviceTree.ROOT;
            }
            kept.add(device(d, parentName, names.get(d), caps.get(d), context, busMembers.contains(d.dir())));
            reread.add(d.hostPath());
        }
        try {
            return new Reprobe(DeviceTree.of(kept), reread);
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "a targeted reprobe gave no tree (" + e.getMessage() + "); a scan follows");
            return null;
        }
    }

    /** The tree a reprobe works over, indexed once: devices by host path, interfaces by ifindex. */
    private record TreeIndex(Map<String, Device> byPath, Map<Integer, Device> netByIfindex) {
        static TreeIndex of(DeviceTree tree) {
            Map<String, Device> byPath = new HashMap<>();
            Map<Integer, Device> netByIfindex = new HashMap<>();
            for (Device d : tree.devices()) {
                if (d.path() != null) {
                    byPath.put(d.path(), d);
                    d.capability(io.hostdev.model.cap.NetCapability.class).map(io.hostdev.model.cap.NetCapability::ifindex)
                            .ifPresent(i -> netByIfindex.putIfAbsent(i, d));
                }
            }
            return new TreeIndex(byPath, netByIfindex);
        }
    }

    private static List<Path> topMost(java.util.SortedSet<Path> targets) {
        List<Path> tops = new ArrayList<>();
        for (Path t : targets) {
            if (tops.isEmpty() || !t.startsWith(tops.get(tops.size() - 1))) {
                tops.add(t);
            }
        }
        return tops;
    }

    /**
     * Network interfaces whose own record names a device read again or removed, so they must be
     * read again too: a veth's peer (a pair whose halves came in two batches), and a port's bridge
     * or bond, before and after (its list of ports). Found through {@code sys/class/net}, so a peer
     * new to the tree is found as well. Empty when every one is read already.
     */
    private static Set<Path> related(HostFiles files, TreeIndex index, List<String> gone, List<SysfsDevice> found,
                                     Map<SysfsDevice, Capability> caps, List<String> replaced) {
        Set<String> names = new java.util.TreeSet<>();
        for (SysfsDevice d : found) {
            if (caps.get(d) instanceof io.hostdev.model.cap.NetCapability n) {
                namedBy(n, names);
            }
            Device before = index.byPath().get(d.hostPath());
            if (before != null) {
                before.capability(io.hostdev.model.cap.NetCapability.class).ifPresent(n -> namedBy(n, names));
            }
        }
        for (Device d : index.byPath().values()) {
            if (under(d.path(), gone)) {
                d.capability(io.hostdev.model.cap.NetCapability.class).ifPresent(n -> namedBy(n, names));
            }
        }
        Set<Path> out = new java.util.TreeSet<>();
        Path classNet = files.root().sys().resolve("class").resolve("net");
        Path devicesDir = files.root().sys().resolve("devices");
        for (String name : names) {
            if (!NetReader.validInterfaceName(name)) {
                continue;
            }
            Path dir = files.resolveLink(classNet.resolve(name));
            if (dir != null && dir.startsWith(devicesDir) && !under(files.root().hostPath(dir), replaced)) {
                out.add(dir);
            }
        }
        return out;
    }

    private static void namedBy(io.hostdev.model.cap.NetCapability n, Set<String> names) {
        if (n.veth() != null && n.veth().peer() != null) {
            names.add(n.veth().peer());
        }
        if (n.master() != null) {
            names.add(n.master());
        }
    }

    private static boolean under(String path, List<String> tops) {
        for (String t : tops) {
            if (path.equals(t) || path.startsWith(t) && path.length() > t.length() && path.charAt(t.length()) == '/') {
                return true;
            }
        }
        return false;
    }

    /** The nearest directory at or above {@code dir}, below {@code devicesDir}, that is a device; null if none. */
    private static Path enclosingDevice(Path dir, Path devicesDir, Groups groups) {
        for (Path p = dir; p != null && p.startsWith(devicesDir) && !p.equals(devicesDir); p = p.getParent()) {
            if (groups.membership(p) != null) {
                return p;
            }
        }
        return null;
    }

    /** The subsystem a device directory belongs to, and whether it is a bus. */
    private record Membership(String subsystem, boolean bus) {
    }

    /**
     * Tells whether a directory is a device, as the full scan's enumeration would: by its
     * {@code subsystem} link, which every device has on a live kernel; else (a captured fixture
     * keeps only what a scan read) by a {@code sys/class/*} or {@code sys/bus/* /devices} entry
     * that leads to it. Only directories with a {@code uevent} file are looked up there, so the
     * walk through a device's plain subdirectories stays cheap.
     */
    private static final class Groups {
        private final HostFiles files;
        private List<Path[]> groups;

        Groups(HostFiles files) {
            this.files = files;
        }

        Membership membership(Path dir) {
            Path link = files.resolveLink(dir.resolve("subsystem"));
            if (link != null && link.getFileName() != null) {
                Path kind = link.getParent() == null ? null : link.getParent().getFileName();
                return new Membership(link.getFileName().toString(), kind != null && "bus".equals(kind.toString()));
            }
            if (!files.exists(dir.resolve("uevent"))) {
                return null;
            }
            for (Path[] g : groups()) {
                Path target = files.resolveLink(g[0].resolve(dir.getFileName().toString()));
                if (dir.equals(target)) {
                    return new Membership(g[1].toString(), g[2] != null);
                }
            }
            return null;
        }

        /** Class groups first, then buses, as the full scan keeps the first membership it sees. */
        private List<Path[]> groups() {
            if (groups == null) {
                HostRoot root = files.root();
                groups = new ArrayList<>();
                for (String cls : sorted(files.list(root.sys().resolve("class")))) {
                    groups.add(new Path[] {root.sys().resolve("class").resolve(cls), Path.of(cls), null});
                }
                for (String bus : sorted(files.list(root.sys().resolve("bus")))) {
                    groups.add(new Path[] {root.sys().resolve("bus").resolve(bus).resolve("devices"), Path.of(bus),
                            Path.of(bus)});
                }
            }
            return groups;
        }
    }

    /**
     * Every device at or below {@code dir}, parents first, and which are bus members: directories
     * that are devices, found without following links (a device's links lead to its driver,
     * subsystem and peers, never to its children).
     */
    private void collect(HostFiles files, Path dir, Groups groups, List<SysfsDevice> out, Set<Path> busMembers) {
        Membership m = groups.membership(dir);
        if (m != null && !options.excludedSubsystems().contains(m.subsystem())) {
            String uevent = files.read(dir.resolve("uevent"));
            if (uevent != null || files.isDirectory(dir)) {
                out.add(new SysfsDevice(dir, files.root().hostPath(dir), dir.getFileName().toString(), m.subsystem(),
                        SysfsDevice.parseUevent(uevent)));
                if (m.bus()) {
                    busMembers.add(dir);
                }
            }
        }
        for (String name : sorted(files.list(dir))) {
            Path child = dir.resolve(name);
            java.nio.file.attribute.BasicFileAttributes a = files.stat(child);
            if (a != null && a.isDirectory() && !a.isSymbolicLink()) {
                collect(files, child, groups, out, busMembers);
            }
        }
    }

    /** The devices a reprobe did not read, found through the tree and read from sysfs when a reader asks. */
    private static ScanContext.Outside outside(HostFiles files, TreeIndex index, List<String> replaced) {
        HostRoot root = files.root();
        Path devicesDir = root.sys().resolve("devices");
        // what the tree knows outside the devices read again
        java.util.function.Function<Device, Device> kept = d -> d == null || under(d.path(), replaced) ? null : d;
        return new ScanContext.Outside() {
            @Override
            public SysfsDevice device(Path dir) {
                Device d = kept.apply(index.byPath().get(root.hostPath(dir)));
                return d == null ? null : read(dir, d);
            }

            private Map<Integer, Path> unknownNets;

            @Override
            public SysfsDevice netDevice(int ifindex) {
                Device d = kept.apply(index.netByIfindex().get(ifindex));
                if (d == null) {
                    // new to the tree as well (a veth pair whose other half the kernel's events named in
                    // another batch): look through sys/class/net, once per reprobe
                    Path dir = unknownNets().get(ifindex);
                    if (dir == null) {
                        return null;
                    }
                    String uevent = files.read(dir.resolve("uevent"));
                    return uevent == null ? null : new SysfsDevice(dir, root.hostPath(dir), dir.getFileName().toString(),
                            "net", SysfsDevice.parseUevent(uevent));
                }
                Path dir = root.fromHostPath(d.path());
                return dir.startsWith(devicesDir) ? read(dir, d) : null;
            }

            private Map<Integer, Path> unknownNets() {
                if (unknownNets == null) {
                    unknownNets = new HashMap<>();
                    Path classNet = root.sys().resolve("class").resolve("net");
                    for (String name : files.list(classNet)) {
                        Path dir = files.resolveLink(classNet.resolve(name));
                        if (dir == null || !dir.startsWith(devicesDir)
                                || kept.apply(index.byPath().get(root.hostPath(dir))) != null) {
                            continue;
                        }
                        Integer index = io.hostdev.probes.SysfsValues.decimalOrHexInt(files.read(dir.resolve("ifindex")));
                        if (index != null) {
                            unknownNets.putIfAbsent(index, dir);
                        }
                    }
                }
                return unknownNets;
            }

            private SysfsDevice read(Path dir, Device d) {
                String uevent = files.read(dir.resolve("uevent"));
                return uevent == null ? null : new SysfsDevice(dir, d.path(), dir.getFileName().toString(),
                        d.subsystem(), SysfsDevice.parseUevent(uevent));
            }
        };
    }

    private Device device(SysfsDevice d, String parentName, String name, Capability cap, ScanContext context,
                          boolean busMember) {
        String devnode = context.devnode(d);
        List<String> devnodes = devnode == null ? List.of() : List.of(devnode);
        return new Device(name, parentName, d.hostPath(), d.subsystem(), busMember ? d.subsystem() : null,
                d.devtype(), d.driver(), devnodes, aliases(d, cap, devnodes), cap == null ? List.of() : List.of(cap),
                false, SOURCES);
    }

    private Capability capability(SysfsDevice d, ScanContext context, List<String> problems) {
        CapabilityReader reader = readers.get(d.subsystem());
        if (reader != null) {
            try {
                Capability c = reader.read(d, context);
                if (c != null) {
                    return c;
                }
            } catch (RuntimeException e) {
                // a reader bug must cost one device its typed view, not the whole scan
                problems.add(reader.id() + " failed on " + d.hostPath() + ": " + e);
                LOG.log(System.Logger.Level.WARNING, reader.id() + " failed on " + d.hostPath(), e);
            }
        }
        return GenericReader.read(d, context);
    }

    private static String udevSerial(SysfsDevice d, HostFiles files) {
        if (!"block".equals(d.subsystem())) {
            return null;
        }
        return UdevDatabase.properties(files, 'b', d.uevent().get("MAJOR"), d.uevent().get("MINOR")).get("ID_SERIAL");
    }

    private static List<String> aliases(SysfsDevice d, Capability cap, List<String> devnodes) {
        List<String> out = new ArrayList<>(devnodes);
        out.add(d.hostPath());
        PciAddress address = cap instanceof PciCapability pci && pci.address() != null ? pci.address()
                : "pci".equals(d.subsystem()) ? PciAddress.parse(d.sysname()).orElse(null) : null;
        if (address != null) {
            out.add(address.toString());
            if (address.domain() == 0) {
                out.add(address.shortForm());
            }
        }
        if ("net".equals(d.subsystem())) {
            out.add(DeviceNames.interfaceName(d, cap));
            String mac = DeviceNames.macAddress(cap);
            // loopback and MAC-less links share the all-zero address: useless as an alias
            if (mac != null && !mac.isEmpty() && !mac.matches("[0:]*")) {
                out.add(mac);
            }
        }
        return out;
    }

    /**
     * Maps each device directory to its subsystem from the members of {@code sys/class/*} and
     * {@code sys/bus/* /devices}, in path order. Links that lead outside {@code sys/devices} are
     * reported and skipped: following them could read outside the root.
     */
    static Map<Path, String> enumerate(HostFiles files, List<String> problems, Set<Path> busMembers) {
        HostRoot root = files.root();
        Path devicesDir = root.sys().resolve("devices");
        Path realDevicesDir = files.realPath(devicesDir);
        Map<Path, Path> realParents = new HashMap<>();
        Map<Path, String> members = new TreeMap<>();
        List<Path[]> groups = new ArrayList<>();
        for (String cls : sorted(files.list(root.sys().resolve("class")))) {
            groups.add(new Path[] {root.sys().resolve("class").resolve(cls), Path.of(cls)});
        }
        int classGroups = groups.size();
        for (String bus : sorted(files.list(root.sys().resolve("bus")))) {
            groups.add(new Path[] {root.sys().resolve("bus").resolve(bus).resolve("devices"), Path.of(bus)});
        }
        for (int gi = 0; gi < groups.size(); gi++) {
            Path[] g = groups.get(gi);
            boolean isBus = gi >= classGroups;
            Path groupDir = g[0];
            String subsystem = g[1].toString();
            for (String entry : sorted(files.list(groupDir))) {
                Path link = groupDir.resolve(entry);
                Path target = files.resolveLink(link);
                if (target == null) {
                    // plain files live there legitimately (sys/class/drm/version); a directory would be
                    // the deprecated sysfs layout, which hostdev does not read
                    if (files.isDirectory(link)) {
                        problems.add(root.hostPath(link) + " is not a symbolic link; skipped");
                    }
                    continue;
                }
                if (!target.startsWith(devicesDir) || target.equals(devicesDir)) {
                    problems.add(root.hostPath(link) + " points outside " + root.hostPath(devicesDir)
                            + "; skipped");
                    continue;
                }
                Path real = canonical(files, target, realParents);
                if (real != null && realDevicesDir != null) {
                    if (!real.startsWith(realDevicesDir) || real.equals(realDevicesDir)) {
                        problems.add(root.hostPath(link) + " leads outside " + root.hostPath(devicesDir)
                                + " through a symbolic link; skipped");
                        continue;
                    }
                    // report the path under the root as given, with links resolved
                    target = devicesDir.resolve(realDevicesDir.relativize(real));
                }
                String previous = members.putIfAbsent(target, subsystem);
                if (previous == null && isBus) {
                    busMembers.add(target);
                }
                if (previous != null && !previous.equals(subsystem)) {
                    problems.add(root.hostPath(target) + " is a member of both " + previous + " and " + subsystem
                            + "; kept " + previous);
                }
            }
        }
        return members;
    }

    /**
     * The target with every link resolved, so one device reached by two paths is one node and no
     * link inside {@code sys/devices} leads elsewhere (the kernel never puts one on a device's
     * path; a hostile tree may). Parents are resolved once each; the device directory itself costs
     * one {@code lstat}. {@code null} when the target is gone: the read that follows will find it
     * vanished.
     */
    private static Path canonical(HostFiles files, Path target, Map<Path, Path> realParents) {
        Path parent = realParents.computeIfAbsent(target.getParent(), files::realPath);
        if (parent == null) {
            return null;
        }
        java.nio.file.attribute.BasicFileAttributes a = files.stat(target);
        if (a == null) {
            return null;
        }
        return a.isSymbolicLink() ? files.realPath(target) : parent.resolve(target.getFileName());
    }

    private static List<String> sorted(List<String> names) {
        List<String> copy = new ArrayList<>(names);
        Collections.sort(copy);
        return copy;
    }
}
