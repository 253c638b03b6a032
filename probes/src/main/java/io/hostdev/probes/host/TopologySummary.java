package io.hostdev.probes.host;

import io.hostdev.model.host.HostCpu;
import io.hostdev.probes.host.SysfsCpuProbe.LogicalCpu;

import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The host CPU topology in libvirt's terms, the figures of {@code virsh nodeinfo} and of the
 * capabilities' {@code <topology sockets dies clusters cores threads>}: computed per NUMA node,
 * sockets being the distinct package ids of a node's online CPUs, cores the most distinct core
 * ids in one of those sockets, threads the largest thread-sibling list; the host takes the
 * largest figure of any node. When nodes × sockets × cores × threads does not come to the
 * number of CPUs (online and offline), the structure is not uniform (CPUs spread over dies that
 * repeat core ids, AMD modules reported as both cores and threads, nodes without CPUs) and the
 * summary becomes 1 node, 1 socket, one core per CPU, 1 thread, as libvirt's does, pointing
 * readers to the per-CPU ids in the NUMA cells for the real structure.
 *
 * <p>libvirt reports dies and clusters as 1 always; so does this. Pure: no I/O.
 */
final class TopologySummary {

    /** The nodeinfo figures: node count, sockets per node, cores per socket, threads per core, online and offline CPUs. */
    record Summary(int nodes, int sockets, int cores, int threads, int cpus, int offline) {
    }

    private TopologySummary() {
    }

    /**
     * @param cpus      every present CPU
     * @param nodes     the CPU ids of each NUMA node directory, memory-only nodes included;
     *                  empty on a host without NUMA
     * @param coreIsCpu s390: each logical CPU counts as a core of its own
     * @return the summary, or {@code null} when no online CPU is known
     */
    static Summary summarize(List<LogicalCpu> cpus, List<List<Integer>> nodes, boolean coreIsCpu) {
        Map<Integer, LogicalCpu> byId = new HashMap<>();
        for (LogicalCpu c : cpus) {
            byId.put(c.id(), c);
        }
        if (!nodes.isEmpty()) {
            Count total = new Count();
            for (List<Integer> members : nodes) {
                total.merge(count(members, byId, coreIsCpu));
            }
            if (total.cpus > 0) {
                return finish(nodes.size(), total);
            }
        }
        // no NUMA, or nodes that list no CPU (an old kernel without the cpuN links): the whole host as one node
        return finish(1, count(byId.keySet(), byId, coreIsCpu));
    }

    /** libvirt's topology: dies and clusters are always 1 there. */
    static HostCpu.Topology topology(Summary s) {
        return s == null ? null : new HostCpu.Topology(s.sockets(), 1, 1, s.cores(), s.threads());
    }

    private static Summary finish(int nodes, Count c) {
        if (c.cpus == 0 || c.sockets == 0 || c.threads == 0) {
            return null;
        }
        long product = (long) nodes * c.sockets * c.cores * c.threads;
        if (product != c.cpus + c.offline) {
            return new Summary(1, 1, c.cpus + c.offline, 1, c.cpus, c.offline);
        }
        return new Summary(nodes, c.sockets, c.cores, c.threads, c.cpus, c.offline);
    }

    /** One node's figures; CPUs not present are ignored, offline ones only counted. */
    private static Count count(Collection<Integer> members, Map<Integer, LogicalCpu> byId, boolean coreIsCpu) {
        Count c = new Count();
        Map<Integer, BitSet> coresBySocket = new TreeMap<>();
        for (Integer id : members) {
            LogicalCpu cpu = byId.get(id);
            if (cpu == null) {
                continue;
            }
            if (!cpu.online()) {
                c.offline++;
                continue;
            }
            c.cpus++;
            int socket = cpu.socketId() == null ? 0 : cpu.socketId();
            int core = coreIsCpu ? cpu.id() : cpu.coreId() == null ? 0 : cpu.coreId();
            coresBySocket.computeIfAbsent(socket, k -> new BitSet()).set(core);
            BitSet siblings = CpuList.parse(cpu.siblings());
            int threads = siblings == null || siblings.isEmpty() ? 1 : siblings.cardinality();
            c.threads = Math.max(c.threads, threads);
        }
        c.sockets = coresBySocket.size();
        for (BitSet cores : coresBySocket.values()) {
            c.cores = Math.max(c.cores, cores.cardinality());
        }
        return c;
    }

    private static final class Count {
        int cpus;
        int offline;
        int sockets;
        int cores;
        int threads;

        void merge(Count o) {
            cpus += o.cpus;
            offline += o.offline;
            sockets = Math.max(sockets, o.sockets);
            cores = Math.max(cores, o.cores);
            threads = Math.max(threads, o.threads);
        }
    }
}
