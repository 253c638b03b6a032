package io.hostdev.probes.host;

import io.hostdev.model.host.Host;
import io.hostdev.model.host.HostCpu;
import io.hostdev.model.host.NumaCell;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.Probe;
import io.hostdev.probes.ProbeException;
import io.hostdev.probes.host.CpuInfoProbe.CpuInfo;
import io.hostdev.probes.host.HostUuidProbe.HostUuid;
import io.hostdev.probes.host.PageSizeProbe.PageSizes;
import io.hostdev.probes.host.SysfsCpuProbe.Cpus;
import io.hostdev.probes.host.SysfsCpuProbe.LogicalCpu;
import io.hostdev.probes.host.SysfsNodeProbe.Nodes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The host part of the capabilities document ({@code host}): runs the CPU, topology, NUMA, page
 * size, IOMMU, power, UUID and security sources and puts their results together the way
 * libvirt's capabilities do (see docs/host.md). {@link Host#hypervisor()} and
 * {@link Host#virtualization()} are left absent: the hypervisor probes fill them.
 *
 * <p>Each source can be switched off by its id; its part of the host is then absent.
 */
public final class HostProbe implements Probe<Host> {

    public static final String ID = "host";

    /**
     * Architectures whose base page is always 4 KiB, for when the page size cannot be read:
     * x86 and s390 have no other. arm64, POWER, RISC-V and LoongArch kernels can be built for
     * larger pages, so there it stays unknown.
     */
    static final Set<String> FOUR_KIB_ONLY = Set.of("x86_64", "i686", "s390x", "s390");

    private final CpuInfoProbe cpuInfo = new CpuInfoProbe();
    private final SysfsCpuProbe sysfsCpu = new SysfsCpuProbe();
    private final SysfsNodeProbe sysfsNode = new SysfsNodeProbe();
    private final PageSizeProbe pageSizes = new PageSizeProbe();
    private final IommuProbe iommu = new IommuProbe();
    private final PowerProbe power = new PowerProbe();
    private final HostUuidProbe uuid = new HostUuidProbe();
    private final SecurityProbe security = new SecurityProbe();
    private final Set<String> disabled;

    public HostProbe() {
        this(Set.of());
    }

    /** @param disabled ids of sources to skip; ids of other probes are ignored */
    public HostProbe(Set<String> disabled) {
        this.disabled = Set.copyOf(disabled);
    }

    /** The ids of the sources this probe runs, for configuration and help. */
    public static List<String> sourceIds() {
        return List.of(CpuInfoProbe.ID, SysfsCpuProbe.ID, SysfsNodeProbe.ID, PageSizeProbe.ID, IommuProbe.ID,
                PowerProbe.ID, HostUuidProbe.ID, SecurityProbe.ID).stream().sorted().toList();
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Host probe(HostFiles files) {
        return assemble(run(cpuInfo, files), run(sysfsCpu, files), run(sysfsNode, files), run(pageSizes, files),
                run(iommu, files), run(power, files), run(uuid, files), run(security, files));
    }

    /** The source's result, or {@code null} when it is switched off. */
    private <T> T run(Probe<T> source, HostFiles files) {
        if (disabled.contains(source.id())) {
            return null;
        }
        try {
            return source.probe(files);
        } catch (ProbeException e) {
            // none of the host sources throws, every read being lenient; the interface allows it
            return null;
        }
    }

    /**
     * Puts the sources' results together; pure, so tests call it with hand-made parts. A
     * {@code null} part is a source switched off: what only it provides is absent.
     */
    static Host assemble(CpuInfo info, Cpus cpus, Nodes nodes, PageSizes pages, Boolean iommu,
                         Host.PowerManagement power, HostUuid uuid, List<Host.SecurityModel> security) {
        if (info == null) {
            info = new CpuInfo(null, null, null, null, null, null, null, List.of(), null);
        }
        if (cpus == null) {
            cpus = Cpus.NONE;
        }
        if (pages == null) {
            pages = new PageSizes(null, List.of());
        }
        Long basePage = pages.baseKiB() != null ? pages.baseKiB()
                : info.arch() != null && FOUR_KIB_ONLY.contains(info.arch()) ? Long.valueOf(4) : null;
        Map<Integer, LogicalCpu> byId = cpus.cpus().stream()
                .collect(Collectors.toMap(LogicalCpu::id, Function.identity()));

        List<List<Integer>> nodeCpus = nodes == null ? List.of()
                : nodes.nodes().stream().map(SysfsNodeProbe.Node::cpus).toList();
        boolean coreIsCpu = info.arch() != null && info.arch().startsWith("s390");
        HostCpu.Topology topology = TopologySummary.topology(
                TopologySummary.summarize(cpus.cpus(), nodeCpus, coreIsCpu));
        long online = cpus.cpus().stream().filter(LogicalCpu::online).count();
        Integer logicalCpus = online > 0 ? Integer.valueOf((int) online) : info.processors();

        TreeSet<Long> sizes = new TreeSet<>();
        pages.hugePages().forEach(p -> sizes.add(p.size()));
        List<Long> pageSizes = new ArrayList<>();
        if (basePage != null) {
            pageSizes.add(basePage);
            sizes.remove(basePage);
        }
        pageSizes.addAll(sizes);

        HostCpu cpu = new HostCpu(info.arch(), info.vendor(), info.modelName(), info.family(), info.model(),
                info.stepping(), info.microcode(), info.flags(), topology, pageSizes, logicalCpus);
        if (isEmpty(cpu)) {
            cpu = null;
        }

        return new Host(uuid == null ? null : uuid.uuid(), uuid == null ? null : uuid.source(), cpu, power, iommu,
                nodes == null ? List.of() : cells(nodes, byId, pages, basePage), cpus.caches(),
                security == null ? List.of() : security, null, null);
    }

    private static List<NumaCell> cells(Nodes nodes, Map<Integer, LogicalCpu> byId, PageSizes pages, Long basePage) {
        List<NumaCell> cells = new ArrayList<>();
        if (nodes.numa()) {
            for (SysfsNodeProbe.Node n : nodes.nodes()) {
                cells.add(new NumaCell(n.id(), n.memTotal(), pagePools(n.memTotal(), n.memFree(), n.hugePages(), basePage),
                        n.distances(), cellCpus(n.cpus(), byId)));
            }
        } else if (!byId.isEmpty() || nodes.machineMemory() != null) {
            // a kernel without NUMA: one cell holding the whole machine, as libvirt shows it
            cells.add(new NumaCell(0, nodes.machineMemory(),
                    pagePools(nodes.machineMemory(), nodes.machineFree(), pages.hugePages(), basePage), List.of(),
                    cellCpus(byId.keySet().stream().sorted().toList(), byId)));
        }
        return cells;
    }

    private static boolean isEmpty(HostCpu c) {
        return c.arch() == null && c.vendor() == null && c.modelName() == null && c.family() == null
                && c.model() == null && c.stepping() == null && c.microcode() == null && c.flags().isEmpty()
                && c.topology() == null && c.pageSizes().isEmpty() && c.logicalCpus() == null;
    }

    /**
     * A cell's page pools, ascending by size: its huge page pools, and the base page pool the way
     * libvirt counts it. The kernel counts huge pages as used memory inside {@code MemTotal}, so
     * the base pool is {@code (MemTotal - sum(size x nr_hugepages)) / base page size}, and its
     * free pages {@code MemFree / base page size}. Without the base page size or {@code MemTotal}
     * there is no base pool.
     */
    static List<NumaCell.Pages> pagePools(Long memTotal, Long memFree, List<NumaCell.Pages> huge, Long basePage) {
        List<NumaCell.Pages> out = new ArrayList<>(huge);
        if (basePage != null && basePage > 0 && memTotal != null) {
            long hugeKiB = 0;
            for (NumaCell.Pages p : huge) {
                try {
                    hugeKiB = Math.addExact(hugeKiB, Math.multiplyExact(p.size(), p.count()));
                } catch (ArithmeticException e) {
                    hugeKiB = Long.MAX_VALUE;
                }
            }
            long base = memTotal - hugeKiB;
            if (base >= 0) {
                out.add(new NumaCell.Pages(basePage, base / basePage, memFree == null ? null : memFree / basePage));
            }
        }
        out.sort(Comparator.comparingLong(NumaCell.Pages::size));
        return out;
    }

    private static List<NumaCell.Cpu> cellCpus(List<Integer> ids, Map<Integer, LogicalCpu> byId) {
        List<NumaCell.Cpu> out = new ArrayList<>();
        for (int id : ids) {
            LogicalCpu c = byId.get(id);
            out.add(c == null ? new NumaCell.Cpu(id, null, null, null, null, null)
                    : new NumaCell.Cpu(id, c.socketId(), c.dieId(), c.clusterId(), c.coreId(), c.siblings()));
        }
        return out;
    }
}
