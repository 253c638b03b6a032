package io.hostdev.probes;

import io.hostdev.model.host.Capabilities;
import io.hostdev.model.host.Guest;
import io.hostdev.model.host.Host;
import io.hostdev.probes.host.HostProbe;
import io.hostdev.probes.virt.MachineTypeCache;
import io.hostdev.probes.virt.QemuProbe;
import io.hostdev.probes.virt.VirtualizationProbe;
import io.hostdev.probes.virt.XenProbe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The host capabilities document ({@code capabilities}): the host sources ({@link HostProbe}),
 * then the sources that need the host's architecture and CPU flags — whether the host is itself a
 * guest ({@code hypervisor.guest}), Xen dom0's guests ({@code hypervisor.xen}) and the QEMU
 * emulators ({@code qemu}). Any of them can be switched off by id; its part is then absent.
 */
public final class CapabilitiesProbe implements Probe<Capabilities> {

    public static final String ID = "capabilities";

    /**
     * @param disabled ids of sources switched off (host source ids, {@code hypervisor.guest},
     *                 {@code hypervisor.xen}, {@code qemu}); unknown ids are ignored
     * @param qemu     where to look for emulators and how long to wait for one
     * @param cache    machine types already asked, kept by the caller across runs
     */
    public record Options(Set<String> disabled, QemuProbe.Settings qemu, MachineTypeCache cache) {
        public Options {
            disabled = Set.copyOf(disabled);
            Objects.requireNonNull(qemu, "qemu");
            Objects.requireNonNull(cache, "cache");
        }

        public static Options defaults() {
            return new Options(Set.of(), QemuProbe.Settings.defaults(), MachineTypeCache.inMemory());
        }
    }

    private final Options options;

    public CapabilitiesProbe(Options options) {
        this.options = options;
    }

    /** Every source id this probe understands, for configuration and help. */
    public static List<String> sourceIds() {
        List<String> ids = new ArrayList<>(HostProbe.sourceIds());
        ids.addAll(List.of(VirtualizationProbe.ID, XenProbe.ID, QemuProbe.ID));
        return ids.stream().sorted().toList();
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Capabilities probe(HostFiles files) {
        Host host = new HostProbe(options.disabled()).probe(files);
        String arch = host.cpu() == null ? null : host.cpu().arch();
        List<String> flags = host.cpu() == null ? List.of() : host.cpu().flags();
        Host.Virtualization virtualization = enabled(VirtualizationProbe.ID)
                ? new VirtualizationProbe(flags).probe(files) : null;
        XenProbe.Result xen = enabled(XenProbe.ID) ? new XenProbe(arch).probe(files) : XenProbe.Result.NONE;
        List<Guest> qemu = enabled(QemuProbe.ID)
                ? new QemuProbe(arch, options.qemu(), options.cache()).probe(files) : List.of();
        Host full = new Host(host.uuid(), host.uuidSource(), host.cpu(), host.powerManagement(), host.iommu(),
                host.cells(), host.caches(), host.securityModels(), xen.hypervisor(), virtualization);
        return new Capabilities(full, merge(xen.guests(), qemu));
    }

    private boolean enabled(String id) {
        return !options.disabled().contains(id);
    }

    /**
     * One guest per (os_type, arch), as one libvirt daemon reports several drivers: the first
     * source keeps its emulator, loader and machines; a later source's domain types join, carrying
     * that source's emulator and machines when they differ; features are OR-ed.
     */
    static List<Guest> merge(List<Guest> first, List<Guest> second) {
        Map<String, Guest> byKey = new LinkedHashMap<>();
        List<Guest> all = new ArrayList<>(first);
        all.addAll(second);
        for (Guest g : all) {
            byKey.merge(g.osType() + "/" + g.arch(), g, CapabilitiesProbe::mergeTwo);
        }
        return List.copyOf(byKey.values());
    }

    private static Guest mergeTwo(Guest a, Guest b) {
        List<Guest.Domain> domains = new ArrayList<>(a.domains());
        boolean sameEmulator = Objects.equals(a.emulator(), b.emulator());
        for (Guest.Domain d : b.domains()) {
            if (domains.stream().noneMatch(x -> x.type().equals(d.type()))) {
                domains.add(sameEmulator || d.emulator() != null ? d
                        : new Guest.Domain(d.type(), b.emulator(), d.machines().isEmpty() ? b.machines() : d.machines()));
            }
        }
        Guest.Features features = a.features() == null ? b.features() : a.features().or(b.features());
        return new Guest(a.osType(), a.arch(), a.wordsize(), a.emulator(), a.loader() != null ? a.loader() : b.loader(),
                a.machines(), domains, features);
    }
}
