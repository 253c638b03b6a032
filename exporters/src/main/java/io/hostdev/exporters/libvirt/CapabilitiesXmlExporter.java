package io.hostdev.exporters.libvirt;

import io.hostdev.model.host.CacheBank;
import io.hostdev.model.host.Capabilities;
import io.hostdev.model.host.Guest;
import io.hostdev.model.host.Host;
import io.hostdev.model.host.HostCpu;
import io.hostdev.model.host.NumaCell;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * libvirt's host capabilities XML ({@code virsh capabilities}), valid against libvirt's
 * {@code capability.rng} (with {@code cputypes.rng}): {@code <capabilities><host>...</host>
 * <guest>...</guest>...</capabilities>}, laid out as libvirt lays it out (a blank line around each
 * top-level part).
 *
 * <p>What the model has and libvirt's document has not (the UUID's source, the Xen hypervisor
 * record, whether the host is itself a guest, the CPU's model-name string, free huge pages) stays
 * in the JSON document. Where the schema constrains a value the model may not meet, the value is
 * left out rather than made up: CPU feature names outside {@code [a-zA-Z0-9-_]+}, a NUMA distance
 * outside 10–255, a topology count of 0, a guest with no domain type (the schema requires one).
 * Units follow libvirt: memory and page sizes in KiB, cache sizes in the largest unit that divides
 * them exactly. docs/libvirt-xml.md has the element-by-element mapping.
 */
public final class CapabilitiesXmlExporter {

    private static final Pattern FEATURE_NAME = Pattern.compile("[a-zA-Z0-9\\-_]+");
    private static final Pattern UUID = Pattern.compile(
            "[a-fA-F0-9]{32}|[a-fA-F0-9]{8}-([a-fA-F0-9]{4}-){3}[a-fA-F0-9]{12}");
    private static final Pattern CPUSET = Pattern.compile(
            "([0-9]+(-[0-9]+)?|\\^[0-9]+)(,([0-9]+(-[0-9]+)?|\\^[0-9]+))*");
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};
    private static final long MAX_UNSIGNED_INT = 0xffff_ffffL;

    private CapabilitiesXmlExporter() {
    }

    public static String write(Capabilities caps) {
        StringBuilder out = new StringBuilder("<capabilities>\n\n");
        XmlWriter host = new XmlWriter(1);
        host(host, caps.host());
        out.append(host).append('\n');
        for (Guest g : caps.guests()) {
            if (g.domains().isEmpty()) {
                continue;
            }
            XmlWriter guest = new XmlWriter(1);
            guest(guest, g);
            out.append(guest).append('\n');
        }
        return out.append("</capabilities>\n").toString();
    }

    private static void host(XmlWriter w, Host h) {
        w.open("host");
        if (h.uuid() != null && UUID.matcher(h.uuid()).matches()) {
            w.text("uuid", h.uuid());
        }
        cpu(w, h.cpu());
        Host.PowerManagement pm = h.powerManagement();
        if (pm != null) {
            w.open("power_management");
            flag(w, "suspend_mem", pm.suspendMem());
            flag(w, "suspend_disk", pm.suspendDisk());
            flag(w, "suspend_hybrid", pm.suspendHybrid());
            w.close("power_management");
        }
        if (h.iommu() != null) {
            w.empty("iommu", "support", h.iommu() ? "yes" : "no");
        }
        if (!h.cells().isEmpty()) {
            w.open("topology");
            w.open("cells", "num", Integer.toString(h.cells().size()));
            h.cells().forEach(c -> cell(w, c));
            w.close("cells");
            w.close("topology");
        }
        List<CacheBank> banks = h.caches().stream().filter(b -> b.size() > 0 && cpuset(b.cpus())).toList();
        if (!banks.isEmpty()) {
            w.open("cache");
            for (CacheBank b : banks) {
                String[] size = scaled(b.size());
                w.empty("bank", "id", Integer.toString(b.id()), "level", Integer.toString(b.level()), "type", b.type(),
                        "size", size[0], "unit", size[1], "cpus", b.cpus());
            }
            w.close("cache");
        }
        for (Host.SecurityModel m : h.securityModels()) {
            // both are required; a model without its domain of interpretation is left out
            if (m.model() != null && m.doi() != null) {
                w.open("secmodel").text("model", m.model()).text("doi", m.doi()).close("secmodel");
            }
        }
        w.close("host");
    }

    private static void cpu(XmlWriter w, HostCpu cpu) {
        w.open("cpu");
        if (cpu != null) {
            w.text("arch", cpu.arch());
            w.text("vendor", cpu.vendor());
            if (cpu.microcode() != null && cpu.microcode() > 0) {
                w.empty("microcode", "version", cpu.microcode().toString());
            }
            if (cpu.family() != null && cpu.family() > 0 && cpu.model() != null && cpu.model() >= 0
                    && cpu.stepping() != null && cpu.stepping() >= 0) {
                w.empty("signature", "family", cpu.family().toString(), "model", cpu.model().toString(), "stepping",
                        cpu.stepping().toString());
            }
            HostCpu.Topology t = cpu.topology();
            if (t != null && t.sockets() > 0 && t.dies() > 0 && t.clusters() > 0 && t.cores() > 0 && t.threads() > 0) {
                w.empty("topology", "sockets", Integer.toString(t.sockets()), "dies", Integer.toString(t.dies()),
                        "clusters", Integer.toString(t.clusters()), "cores", Integer.toString(t.cores()), "threads",
                        Integer.toString(t.threads()));
            }
            for (String flag : cpu.flags()) {
                if (FEATURE_NAME.matcher(flag).matches()) {
                    w.empty("feature", "name", flag);
                }
            }
            for (Long size : cpu.pageSizes()) {
                if (size != null && size > 0 && size <= MAX_UNSIGNED_INT) {
                    w.empty("pages", "unit", "KiB", "size", size.toString());
                }
            }
        }
        w.close("cpu");
    }

    private static void cell(XmlWriter w, NumaCell c) {
        w.open("cell", "id", Integer.toString(c.id()));
        if (c.memory() != null && c.memory() >= 0) {
            w.text("memory", c.memory().toString(), "unit", "KiB");
        }
        for (NumaCell.Pages p : c.pages()) {
            if (p.size() > 0 && p.size() <= MAX_UNSIGNED_INT && p.count() >= 0 && p.count() <= MAX_UNSIGNED_INT) {
                w.text("pages", Long.toString(p.count()), "unit", "KiB", "size", Long.toString(p.size()));
            }
        }
        List<NumaCell.Distance> distances = c.distances().stream()
                .filter(d -> d.node() >= 0 && d.value() >= 10 && d.value() <= 255).toList();
        if (!distances.isEmpty()) {
            w.open("distances");
            distances.forEach(d -> w.empty("sibling", "id", Integer.toString(d.node()), "value",
                    Integer.toString(d.value())));
            w.close("distances");
        }
        if (!c.cpus().isEmpty()) {
            w.open("cpus", "num", Integer.toString(c.cpus().size()));
            c.cpus().forEach(cpu -> w.empty("cpu", cpuAttributes(cpu)));
            w.close("cpus");
        }
        w.close("cell");
    }

    /**
     * The topology attributes come all together or not at all (capability.rng groups them). A
     * kernel without dies or clusters has no {@code die_id} / {@code cluster_id} file: such a CPU
     * is in die 0 and cluster 0, as libvirt prints it.
     */
    static String[] cpuAttributes(NumaCell.Cpu cpu) {
        List<String> attrs = new ArrayList<>(List.of("id", Integer.toString(cpu.id())));
        if (cpu.socketId() != null && cpu.socketId() >= 0 && cpu.coreId() != null && cpu.coreId() >= 0
                && cpuset(cpu.siblings())) {
            attrs.addAll(List.of("socket_id", cpu.socketId().toString(),
                    "die_id", nonNegativeOrZero(cpu.dieId()),
                    "cluster_id", nonNegativeOrZero(cpu.clusterId()),
                    "core_id", cpu.coreId().toString(),
                    "siblings", cpu.siblings()));
        }
        return attrs.toArray(String[]::new);
    }

    private static String nonNegativeOrZero(Integer id) {
        return id == null || id < 0 ? "0" : id.toString();
    }

    private static boolean cpuset(String s) {
        return s != null && CPUSET.matcher(s).matches();
    }

    /** Bytes in the largest unit that divides them exactly and fits the schema's unsigned int. */
    static String[] scaled(long bytes) {
        int unit = 0;
        long value = bytes;
        while (unit < UNITS.length - 1 && value % 1024 == 0 && value > 0) {
            value /= 1024;
            unit++;
        }
        return new String[] {Long.toString(value), UNITS[unit]};
    }

    private static void guest(XmlWriter w, Guest g) {
        w.open("guest");
        w.text("os_type", g.osType());
        w.open("arch", "name", g.arch());
        w.text("wordsize", Integer.toString(g.wordsize()));
        w.text("emulator", g.emulator());
        w.text("loader", g.loader());
        g.machines().forEach(m -> machine(w, m));
        for (Guest.Domain d : g.domains()) {
            w.open("domain", "type", d.type());
            w.text("emulator", d.emulator());
            d.machines().forEach(m -> machine(w, m));
            w.close("domain");
        }
        w.close("arch");
        Guest.Features f = g.features();
        if (f != null && !f.isEmpty()) {
            w.open("features");
            flag(w, "pae", f.pae());
            flag(w, "nonpae", f.nonpae());
            flag(w, "ia64_be", f.ia64Be());
            toggle(w, "acpi", f.acpi());
            toggle(w, "apic", f.apic());
            flag(w, "cpuselection", f.cpuselection());
            flag(w, "deviceboot", f.deviceboot());
            toggle(w, "disksnapshot", f.disksnapshot());
            toggle(w, "hap", f.hap());
            flag(w, "externalSnapshot", f.externalSnapshot());
            w.close("features");
        }
        w.close("guest");
    }

    private static void machine(XmlWriter w, Guest.Machine m) {
        w.text("machine", m.name(), "canonical", m.canonical(),
                "maxCpus", m.maxCpus() == null || m.maxCpus() < 0 ? null : m.maxCpus().toString(),
                "deprecated", m.deprecated() ? "yes" : null);
    }

    private static void flag(XmlWriter w, String name, boolean set) {
        if (set) {
            w.empty(name);
        }
    }

    private static void toggle(XmlWriter w, String name, Guest.Features.Toggle t) {
        if (t != null) {
            w.empty(name, "default", t.on() ? "on" : "off", "toggle", t.toggle() ? "yes" : "no");
        }
    }
}
