package io.hostdev.probes.host;

import io.hostdev.model.host.NumaCell;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.Probe;
import io.hostdev.probes.SysfsValues;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * NUMA nodes ({@code sysfs.node}) from {@code sys/devices/system/node}: each {@code nodeN}'s
 * {@code meminfo}, {@code distance}, {@code cpulist} and huge page pools
 * {@code hugepages/hugepages-<size>kB/{nr_hugepages,free_hugepages}}
 * (Documentation/ABI/stable/sysfs-devices-node, Documentation/admin-guide/mm/hugetlbpage.rst).
 *
 * <p>A kernel without NUMA support has no {@code node} directory; the host is then one node
 * holding the whole machine, whose memory this probe reads from {@code proc/meminfo}
 * (Documentation/filesystems/proc.rst) and whose CPUs and pages the caller takes from the other
 * sources, as libvirt does.
 */
public final class SysfsNodeProbe implements Probe<SysfsNodeProbe.Nodes> {

    public static final String ID = "sysfs.node";

    private static final String HUGEPAGES_PREFIX = "hugepages-";
    private static final String HUGEPAGES_SUFFIX = "kB";

    /**
     * The NUMA nodes by id; empty on a host without NUMA, which then has {@code machineMemory}
     * and {@code machineFree} (KiB) from {@code proc/meminfo}.
     */
    public record Nodes(List<Node> nodes, Long machineMemory, Long machineFree) {
        public Nodes {
            nodes = nodes == null ? List.of() : nodes.stream().sorted(Comparator.comparingInt(Node::id)).toList();
        }

        public boolean numa() {
            return !nodes.isEmpty();
        }
    }

    /**
     * One node: total and free memory in KiB ({@code MemTotal}, {@code MemFree}), its CPUs
     * ascending, distances to every online node, and its huge page pools by size.
     */
    public record Node(int id, Long memTotal, Long memFree, List<Integer> cpus, List<NumaCell.Distance> distances,
                       List<NumaCell.Pages> hugePages) {
        public Node {
            cpus = cpus == null ? List.of() : List.copyOf(cpus);
            distances = distances == null ? List.of() : List.copyOf(distances);
            hugePages = hugePages == null ? List.of() : List.copyOf(hugePages);
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Nodes probe(HostFiles files) {
        Path dir = files.root().sys().resolve("devices").resolve("system").resolve("node");
        TreeMap<Integer, String> nodeDirs = new TreeMap<>();
        for (String name : files.list(dir)) {
            Integer id = nodeId(name);
            if (id != null) {
                nodeDirs.put(id, name);
            }
        }
        if (nodeDirs.isEmpty()) {
            Map<String, Long> meminfo = meminfo(files.read(files.root().proc().resolve("meminfo")));
            return new Nodes(List.of(), meminfo.get("MemTotal"), meminfo.get("MemFree"));
        }
        List<Integer> online = onlineNodes(files.read(dir.resolve("online")), nodeDirs);
        List<Node> nodes = new ArrayList<>();
        for (Map.Entry<Integer, String> e : nodeDirs.entrySet()) {
            Path nodeDir = dir.resolve(e.getValue());
            Map<String, Long> meminfo = meminfo(files.read(nodeDir.resolve("meminfo")));
            nodes.add(new Node(e.getKey(), meminfo.get("MemTotal"), meminfo.get("MemFree"),
                    nodeCpus(files, nodeDir), distances(files.read(nodeDir.resolve("distance")), online),
                    readHugePages(files, nodeDir.resolve("hugepages"))));
        }
        return new Nodes(nodes, null, null);
    }

    /** {@code node3} → 3; {@code online}, {@code possible}, {@code has_cpu}... → absent. */
    static Integer nodeId(String name) {
        if (!name.startsWith("node")) {
            return null;
        }
        Integer id = SysfsValues.decimalInt(name.substring(4));
        return id == null || !name.equals("node" + id) ? null : id;
    }

    /**
     * The ids the columns of every {@code distance} file stand for: the kernel prints one column
     * per online node, in id order, so the k-th column is the k-th online node, not node k. From
     * {@code node/online} when readable, else the node directories (one per online node).
     */
    static List<Integer> onlineNodes(String onlineList, TreeMap<Integer, String> nodeDirs) {
        BitSet online = CpuList.parse(onlineList);
        if (online == null || online.isEmpty()) {
            return List.copyOf(nodeDirs.keySet());
        }
        return online.stream().boxed().toList();
    }

    /** {@code cpulist} when readable, else the {@code cpuN} links the kernel puts in the node directory. */
    private static List<Integer> nodeCpus(HostFiles files, Path nodeDir) {
        BitSet cpus = CpuList.parse(files.read(nodeDir.resolve("cpulist")));
        if (cpus == null) {
            cpus = new BitSet();
            for (String name : files.list(nodeDir)) {
                Integer id = SysfsCpuProbe.cpuId(name);
                if (id != null) {
                    cpus.set(id);
                }
            }
        }
        return cpus.stream().boxed().toList();
    }

    /**
     * Values of a {@code meminfo} file in KiB (or plain counts for {@code HugePages_*}), by key:
     * the node form {@code Node 0 MemTotal:  32817236 kB} and {@code proc/meminfo}'s
     * {@code MemTotal:  32817236 kB} alike. Lines that do not parse are left out.
     */
    static Map<String, Long> meminfo(String text) {
        Map<String, Long> values = new LinkedHashMap<>();
        if (text == null) {
            return values;
        }
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).strip();
            if (key.startsWith("Node ")) {
                int space = key.indexOf(' ', 5);
                key = space < 0 ? "" : key.substring(space + 1).strip();
            }
            String value = line.substring(colon + 1).strip();
            if (value.endsWith(" kB")) {
                value = value.substring(0, value.length() - 3);
            }
            Long n = SysfsValues.decimal(value);
            if (!key.isEmpty() && n != null) {
                values.putIfAbsent(key, n);
            }
        }
        return values;
    }

    /**
     * A node's {@code distance} line ({@code 10 21 21}) as (node, distance) pairs, column k
     * belonging to {@code online.get(k)}. Absent (empty) when a column is not a number or the
     * columns do not match the online nodes, because then no column can be attributed safely.
     */
    static List<NumaCell.Distance> distances(String line, List<Integer> online) {
        String s = SysfsValues.text(line);
        if (s == null) {
            return List.of();
        }
        String[] columns = s.split("\\s+");
        if (columns.length != online.size()) {
            return List.of();
        }
        List<NumaCell.Distance> out = new ArrayList<>();
        for (int k = 0; k < columns.length; k++) {
            Integer value = SysfsValues.decimalInt(columns[k]);
            if (value == null) {
                return List.of();
            }
            out.add(new NumaCell.Distance(online.get(k), value));
        }
        return out;
    }

    /**
     * The huge page pools in a {@code hugepages} directory (a node's, or the machine's
     * {@code sys/kernel/mm/hugepages}), ascending by size. A pool whose {@code nr_hugepages}
     * cannot be read is left out; {@code free_hugepages} is optional.
     */
    static List<NumaCell.Pages> readHugePages(HostFiles files, Path dir) {
        TreeMap<Long, NumaCell.Pages> pools = new TreeMap<>();
        for (String name : files.list(dir)) {
            Long size = hugePageSize(name);
            if (size == null) {
                continue;
            }
            Long count = SysfsValues.decimal(files.read(dir.resolve(name).resolve("nr_hugepages")));
            if (count != null) {
                pools.put(size, new NumaCell.Pages(size, count,
                        SysfsValues.decimal(files.read(dir.resolve(name).resolve("free_hugepages")))));
            }
        }
        return List.copyOf(pools.values());
    }

    /** {@code hugepages-2048kB} → 2048 (KiB); anything else → absent. */
    static Long hugePageSize(String name) {
        if (!name.startsWith(HUGEPAGES_PREFIX) || !name.endsWith(HUGEPAGES_SUFFIX)) {
            return null;
        }
        int end = name.length() - HUGEPAGES_SUFFIX.length();
        if (end <= HUGEPAGES_PREFIX.length()) {
            return null;
        }
        Long size = SysfsValues.decimal(name.substring(HUGEPAGES_PREFIX.length(), end));
        return size == null || size == 0 ? null : size;
    }
}
