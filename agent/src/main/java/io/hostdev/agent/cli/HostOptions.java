package io.hostdev.agent.cli;

import io.hostdev.probes.HostFiles;
import io.hostdev.probes.HostRoot;
import io.hostdev.probes.sysfs.SysfsProbe;
import io.hostdev.probes.sysfs.SysfsScan;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Options every command that looks at a host shares: where the host is and what to leave out. */
final class HostOptions {

    @Option(names = "--root", paramLabel = "DIR", defaultValue = "/",
            description = "Host root: probes read DIR/sys, DIR/proc, DIR/dev, DIR/run, DIR/etc (default: ${DEFAULT-VALUE}).")
    Path root;

    @Option(names = "--exclude", paramLabel = "SUBSYSTEM", split = ",",
            description = "Leave out devices of these subsystems (counted in the summary).")
    List<String> exclude = List.of();

    @Option(names = "--pci-ids", paramLabel = "FILE",
            description = "pci.ids to use when the root has none (DIR/usr/share/hwdata/pci.ids, DIR/usr/share/misc/pci.ids).")
    Path pciIds;

    @Option(names = "--disable", paramLabel = "SOURCE", split = ",",
            description = "Switch sources off by id. Device readers (sysfs.pci, sysfs.net, sysfs.block, ...): their "
                    + "devices are still listed, with the generic capability. Capabilities sources (proc.cpuinfo, "
                    + "sysfs.node, hypervisor.xen, hypervisor.guest, qemu, ...): their part is absent.")
    List<String> disable = List.of();

    @Option(names = {"-v", "--verbose"}, description = "Log what the probes skip and why.")
    boolean verbose;

    HostRoot hostRoot() {
        if (!Files.isDirectory(root)) {
            throw new Cli.CommandFailure("root " + root + " is not a directory");
        }
        return HostRoot.of(root);
    }

    SysfsProbe.Options probeOptions() {
        Set<String> excluded = new LinkedHashSet<>();
        for (String e : exclude) {
            if (!e.isBlank()) {
                excluded.add(e.strip());
            }
        }
        return new SysfsProbe.Options(excluded, pciIds, disabledSources());
    }

    /** The ids given to {@code --disable}, each checked against every source hostdev has. */
    Set<String> disabledSources() {
        List<String> known = new java.util.ArrayList<>(SysfsProbe.readerIds());
        known.addAll(io.hostdev.probes.CapabilitiesProbe.sourceIds());
        known.sort(null);
        Set<String> disabled = new LinkedHashSet<>();
        for (String d : disable) {
            String id = d.strip();
            if (id.isEmpty()) {
                continue;
            }
            if (!known.contains(id)) {
                throw new Cli.CommandFailure("unknown source '" + id + "'; sources are " + String.join(", ", known));
            }
            disabled.add(id);
        }
        return disabled;
    }

    /** Probes the host once. */
    SysfsScan scan() {
        Cli.configureLogging(verbose);
        return scan(HostFiles.of(hostRoot()));
    }

    SysfsScan scan(HostFiles files) {
        SysfsScan scan = new SysfsProbe(probeOptions()).probe(files);
        if (!Files.isDirectory(files.root().sys())) {
            throw new Cli.CommandFailure("no sysfs under " + files.root().path() + " (expected " + files.root().sys()
                    + ")");
        }
        for (String p : scan.problems()) {
            java.util.logging.Logger.getLogger("io.hostdev").fine(p);
        }
        return scan;
    }
}
