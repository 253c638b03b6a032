package io.hostdev.agent.core;

import io.hostdev.agent.config.AgentConfig;
import io.hostdev.agent.config.CapabilitiesSettings;
import io.hostdev.agent.config.SysfsSettings;
import io.hostdev.model.DeviceTree;
import io.hostdev.probes.CapabilitiesProbe;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.HostRoot;
import io.hostdev.probes.ProbeException;
import io.hostdev.probes.sysfs.SysfsProbe;
import io.hostdev.probes.sysfs.SysfsScan;
import io.hostdev.probes.virt.MachineTypeCache;
import io.hostdev.probes.virt.QemuProbe;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The agent's real probes, {@code sysfs} and {@code capabilities}, as the configuration sets them up. */
public final class StandardProbes {

    /** The emulators' machine types, kept across runs and restarts, in the state directory. */
    public static final String MACHINE_TYPE_CACHE = "qemu-machine-types.json";

    private static final Logger LOG = Logger.getLogger("io.hostdev.agent");

    private StandardProbes() {
    }

    public static List<AgentProbe> of(AgentConfig config) {
        HostRoot root = HostRoot.of(config.root());
        return List.of(sysfs(root, config.sysfs()),
                capabilities(root, config.capabilities(), config.stateDir().resolve(MACHINE_TYPE_CACHE)));
    }

    static AgentProbe.Devices sysfs(HostRoot root, SysfsSettings s) {
        SysfsProbe probe = new SysfsProbe(new SysfsProbe.Options(Set.copyOf(s.exclude()), s.pciIds(),
                Set.copyOf(s.disable())));
        return new AgentProbe.Devices(SysfsProbe.ID, s.schedule(), () -> readTree(probe, HostFiles.of(root)),
                reread(probe, root));
    }

    /** Targeted reprobes through {@link SysfsProbe#reprobe}. */
    static AgentProbe.Reread reread(SysfsProbe probe, HostRoot root) {
        return (tree, paths) -> {
            SysfsProbe.Reprobe r = probe.reprobe(HostFiles.of(root), tree, paths);
            return r == null ? null : new AgentProbe.Reread.Result(r.tree(), r.reread());
        };
    }

    /**
     * One sysfs scan. A root without {@code sys/devices} is a failed read, not an empty host: a
     * container that lost its host mount must keep the devices (stale) rather than report every one
     * removed.
     */
    static DeviceTree readTree(SysfsProbe probe, HostFiles files) throws ProbeException {
        Path devices = files.root().sys().resolve("devices");
        if (!files.isDirectory(devices)) {
            throw new ProbeException(SysfsProbe.ID, devices, "no sysfs device directory", null);
        }
        SysfsScan scan = probe.probe(files);
        if (LOG.isLoggable(Level.FINE)) {
            scan.problems().forEach(p -> LOG.fine(SysfsProbe.ID + ": " + p));
        }
        return scan.tree();
    }

    static AgentProbe.Host capabilities(HostRoot root, CapabilitiesSettings s, Path cacheFile) {
        QemuProbe.Settings found = QemuProbe.Settings.forRoot(root, s.emulatorTimeout());
        Set<String> dirs = new LinkedHashSet<>(found.searchDirs());
        dirs.addAll(s.emulatorDirs());
        CapabilitiesProbe probe = new CapabilitiesProbe(new CapabilitiesProbe.Options(Set.copyOf(s.disable()),
                new QemuProbe.Settings(new ArrayList<>(dirs), s.emulatorTimeout()),
                MachineTypeCache.persistent(cacheFile)));
        return new AgentProbe.Host(CapabilitiesProbe.ID, s.schedule(), () -> probe.probe(HostFiles.of(root)));
    }
}
