package io.hostdev.model.host;

import java.util.List;

/**
 * One NUMA node from {@code sys/devices/system/node/nodeN}.
 *
 * @param memory    total memory in KiB ({@code meminfo} MemTotal)
 * @param pages     page pools: the base page size with its count, and each huge page size
 * @param distances SLIT distances to every node, as {@code distance} lists them
 * @param cpus      the node's CPUs with their topology ids
 */
public record NumaCell(int id, Long memory, List<Pages> pages, List<Distance> distances, List<Cpu> cpus) {

    public NumaCell {
        pages = pages == null ? List.of() : List.copyOf(pages);
        distances = distances == null ? List.of() : List.copyOf(distances);
        cpus = cpus == null ? List.of() : List.copyOf(cpus);
    }

    /** A page pool: page size in KiB, pages in the pool, and free pages when known. */
    public record Pages(long size, long count, Long free) {
    }

    public record Distance(int node, int value) {
    }

    /**
     * A logical CPU; topology ids absent when the CPU is offline or its topology unreadable.
     * {@code siblings} is the thread-sibling list in cpuset form ({@code 0,4} or {@code 0-1}).
     */
    public record Cpu(int id, Integer socketId, Integer dieId, Integer clusterId, Integer coreId, String siblings) {
    }
}
