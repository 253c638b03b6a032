package io.hostdev.probes.sysfs;

import io.hostdev.probes.HostFiles;
import io.hostdev.probes.HostRoot;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a capability reader may consult besides its own device: the file reader and every device
 * found by the scan (so a veth can find its peer, a partition its disk, without extra I/O).
 */
final class ScanContext {

    /**
     * Devices a targeted reprobe did not read again but a reader may need: the parent of a
     * partition, the peer of a veth.
     */
    interface Outside {
        Outside NONE = new Outside() {
            @Override
            public SysfsDevice device(Path dir) {
                return null;
            }

            @Override
            public SysfsDevice netDevice(int ifindex) {
                return null;
            }
        };

        /** The device whose directory is {@code dir}, or {@code null}. */
        SysfsDevice device(Path dir);

        /** The network interface with this ifindex, or {@code null}. */
        SysfsDevice netDevice(int ifindex);
    }

    private final HostFiles files;
    private final Outside outside;
    private final Map<Path, SysfsDevice> byDir;
    private final Map<String, List<SysfsDevice>> bySubsystem = new HashMap<>();
    private final Map<String, SysfsDevice> netByIfindex = new HashMap<>();

    ScanContext(HostFiles files, Collection<SysfsDevice> devices) {
        this(files, devices, Outside.NONE);
    }

    ScanContext(HostFiles files, Collection<SysfsDevice> devices, Outside outside) {
        this.files = files;
        this.outside = outside;
        this.byDir = new HashMap<>();
        for (SysfsDevice d : devices) {
            byDir.put(d.dir(), d);
            bySubsystem.computeIfAbsent(d.subsystem(), k -> new ArrayList<>()).add(d);
            String ifindex = d.uevent().get("IFINDEX");
            if ("net".equals(d.subsystem()) && ifindex != null) {
                netByIfindex.putIfAbsent(ifindex, d);
            }
        }
    }

    HostFiles files() {
        return files;
    }

    HostRoot root() {
        return files.root();
    }

    /** The device whose directory is {@code dir}, or {@code null}. */
    SysfsDevice device(Path dir) {
        return byDir.get(dir);
    }

    List<SysfsDevice> devices(String subsystem) {
        return bySubsystem.getOrDefault(subsystem, List.of());
    }

    /** The network interface whose uevent {@code IFINDEX} is {@code ifindex}, or {@code null}. */
    SysfsDevice netDevice(int ifindex) {
        SysfsDevice d = netByIfindex.get(Integer.toString(ifindex));
        return d != null ? d : outside.netDevice(ifindex);
    }

    /** {@code /dev/NAME} as seen on the host, for a device with a {@code DEVNAME}; else {@code null}. */
    String devnode(SysfsDevice d) {
        String name = d.devname();
        return name == null || name.isEmpty() ? null : root().hostPath(root().dev().resolve(name));
    }

    /** The nearest enclosing directory that is itself an enumerated device, or {@code null}. */
    SysfsDevice parentDevice(SysfsDevice d) {
        for (Path p = d.dir().getParent(); p != null; p = p.getParent()) {
            SysfsDevice parent = byDir.get(p);
            if (parent == null) {
                parent = outside.device(p);
            }
            if (parent != null) {
                return parent;
            }
        }
        return null;
    }
}
