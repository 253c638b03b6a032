package io.hostdev.model.host;

import java.util.List;

/**
 * The host CPU from {@code /proc/cpuinfo} and {@code sys/devices/system/cpu}.
 *
 * @param arch        libvirt's architecture name ({@code x86_64}, {@code aarch64}, {@code ppc64le}, {@code s390x}...)
 * @param vendor      {@code Intel}, {@code AMD}, {@code ARM}, {@code IBM}... as libvirt names vendors; raw when unknown
 * @param modelName   the {@code model name} (x86), {@code cpu} (ppc) or {@code machine} line, raw
 * @param family      x86 {@code cpu family}
 * @param model       x86 {@code model}
 * @param stepping    x86 {@code stepping}
 * @param microcode   the microcode revision as a number
 * @param flags       CPU features as the kernel names them ({@code flags} on x86, {@code Features} on
 *                    aarch64, {@code features} on s390x), sorted, de-duplicated
 * @param topology    sockets, dies, clusters, cores per die/cluster, threads per core
 * @param pageSizes   supported page sizes in KiB (base page first, then huge page sizes)
 * @param logicalCpus number of online logical CPUs seen
 */
public record HostCpu(
        String arch,
        String vendor,
        String modelName,
        Integer family,
        Integer model,
        Integer stepping,
        Long microcode,
        List<String> flags,
        Topology topology,
        List<Long> pageSizes,
        Integer logicalCpus) {

    public HostCpu {
        flags = flags == null ? List.of() : List.copyOf(flags);
        pageSizes = pageSizes == null ? List.of() : List.copyOf(pageSizes);
    }

    /** Per libvirt: sockets × dies × clusters × cores × threads = logical CPUs, when uniform. */
    public record Topology(int sockets, int dies, int clusters, int cores, int threads) {
    }
}
