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
            Capability cap = caps.get(d);
            String devnode = context.devnode(d);
            List<String> devnodes = devnode == null ? List.of() : List.of(devnode);
            devices.add(new Device(names.get(d), parentName, d.hostPath(), d.subsystem(),
                    busMembers.contains(d.dir()) ? d.subsystem() : null, d.devtype(), d.driver(),
                    devnodes, aliases(d, cap, devnodes), cap == null ? List.of() : List.of(cap), false, SOURCES));
        }
        return new SysfsScan(DeviceTree.of(devices), excluded, vanished, problems);
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
