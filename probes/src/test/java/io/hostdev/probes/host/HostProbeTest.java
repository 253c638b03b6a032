package io.hostdev.probes.host;

import io.hostdev.model.host.CacheBank;
import io.hostdev.model.host.Host;
import io.hostdev.model.host.HostCpu;
import io.hostdev.model.host.NumaCell;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.HostRoot;
import io.hostdev.probes.testing.FakeSysfs;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class HostProbeTest {

    static final String CPU = "sys/devices/system/cpu/";
    static final String NODE = "sys/devices/system/node/";
    static final long GIB_KIB = 1024 * 1024;

    @TempDir
    Path root;

    Host probe(Set<String> disabled) {
        return new HostProbe(disabled).probe(HostFiles.of(HostRoot.of(root)));
    }

    /**
     * Two sockets, each its own NUMA node with two cores of two threads: CPUs 0-3 on node 0,
     * 4-7 on node 1, siblings 0,2 / 1,3 / 4,6 / 5,7 as Intel numbers them; one L2 per core, one
     * L3 per socket; 2 MiB huge pages on node 0.
     */
    FakeSysfs numaServer() {
        FakeSysfs fs = new FakeSysfs(root)
                .file("proc/cpuinfo", CpuInfoProbeTest.X86)
                .file("proc/sys/kernel/arch", "x86_64\n")
                .bytes("proc/self/auxv", PageSizeProbeTest.auxv(8, ByteOrder.LITTLE_ENDIAN, PageSizeProbeTest.typical(4096)))
                .file("sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "512\n")
                .file("sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages", "512\n")
                .file("sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages", "0\n")
                .dir("sys/kernel/iommu_groups/0/devices")
                .file("sys/power/state", "freeze mem\n")
                .file("etc/machine-id", "3d1219c7c4c5404aaa1f6d2a48adfda4\n")
                .file("sys/module/apparmor/parameters/enabled", "Y\n")
                .file(CPU + "present", "0-7\n").file(CPU + "online", "0-7\n")
                .file(NODE + "online", "0-1\n");
        for (int i = 0; i < 8; i++) {
            int socket = i / 4;
            int core = i % 2;
            String siblings = (i - i % 4 + core) + "," + (i - i % 4 + core + 2);
            SysfsCpuProbeTest.cpu(fs, i, socket, 0, 0, core, siblings);
            SysfsCpuProbeTest.cache(fs, i, 2, "2", "Unified", "1024K", Integer.toString(socket * 2 + core), siblings);
            SysfsCpuProbeTest.cache(fs, i, 3, "3", "Unified", "16384K", Integer.toString(socket),
                    socket * 4 + "-" + (socket * 4 + 3));
        }
        for (int n = 0; n < 2; n++) {
            fs.file(NODE + "node" + n + "/cpulist", n * 4 + "-" + (n * 4 + 3) + "\n")
                    .file(NODE + "node" + n + "/meminfo", SysfsNodeProbeTest.meminfo(n, 8 * GIB_KIB, GIB_KIB))
                    .file(NODE + "node" + n + "/distance", n == 0 ? "10 21\n" : "21 10\n")
                    .file(NODE + "node" + n + "/hugepages/hugepages-2048kB/nr_hugepages", n == 0 ? "512\n" : "0\n")
                    .file(NODE + "node" + n + "/hugepages/hugepages-2048kB/free_hugepages", n == 0 ? "512\n" : "0\n");
        }
        return fs;
    }

    static NumaCell.Cpu cellCpu(int id, int socket, int core, String siblings) {
        return new NumaCell.Cpu(id, socket, 0, 0, core, siblings);
    }

    @Test
    void aNumaServerIsDescribedWhole() {
        numaServer();
        Host host = probe(Set.of());
        List<String> flags = List.of("avx2", "de", "fpu", "hypervisor", "lm", "msr", "pae", "pse", "sse2", "tsc", "vme");
        assertThat(host).isEqualTo(new Host("3d1219c7-c4c5-404a-aa1f-6d2a48adfda4", "machine-id",
                new HostCpu("x86_64", "AMD", "AMD EPYC", 25, 1, 1, 0x1000065L, flags,
                        new HostCpu.Topology(1, 1, 1, 2, 2), List.of(4L, 2048L, 1048576L), 8),
                new Host.PowerManagement(true, false, false), true,
                List.of(new NumaCell(0, 8 * GIB_KIB,
                                List.of(new NumaCell.Pages(4, (8 * GIB_KIB - 512 * 2048) / 4, GIB_KIB / 4),
                                        new NumaCell.Pages(2048, 512, 512L)),
                                List.of(new NumaCell.Distance(0, 10), new NumaCell.Distance(1, 21)),
                                List.of(cellCpu(0, 0, 0, "0,2"), cellCpu(1, 0, 1, "1,3"), cellCpu(2, 0, 0, "0,2"),
                                        cellCpu(3, 0, 1, "1,3"))),
                        new NumaCell(1, 8 * GIB_KIB,
                                List.of(new NumaCell.Pages(4, 8 * GIB_KIB / 4, GIB_KIB / 4),
                                        new NumaCell.Pages(2048, 0, 0L)),
                                List.of(new NumaCell.Distance(0, 21), new NumaCell.Distance(1, 10)),
                                List.of(cellCpu(4, 1, 0, "4,6"), cellCpu(5, 1, 1, "5,7"), cellCpu(6, 1, 0, "4,6"),
                                        cellCpu(7, 1, 1, "5,7")))),
                List.of(new CacheBank(0, 2, "both", 1 << 20, "0,2"), new CacheBank(1, 2, "both", 1 << 20, "1,3"),
                        new CacheBank(2, 2, "both", 1 << 20, "4,6"), new CacheBank(3, 2, "both", 1 << 20, "5,7"),
                        new CacheBank(0, 3, "both", 16 << 20, "0-3"), new CacheBank(1, 3, "both", 16 << 20, "4-7")),
                List.of(new Host.SecurityModel("apparmor", "0")), null, null));
    }

    @Test
    void aHostWithoutNumaIsOneCellWithEveryCpuAndTheMachinesMemoryAndPages() {
        FakeSysfs fs = new FakeSysfs(root)
                .file("proc/cpuinfo", CpuInfoProbeTest.X86)
                .file("proc/meminfo", "MemTotal:        2017148 kB\nMemFree:         1000000 kB\n")
                .file("sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "10\n")
                .file(CPU + "present", "0-1\n").file(CPU + "online", "0-1\n");
        SysfsCpuProbeTest.cpu(fs, 0, 0, 0, 0, 0, "0");
        SysfsCpuProbeTest.cpu(fs, 1, 0, 0, 0, 1, "1");
        Host host = probe(Set.of());
        // no auxv in this root: x86 has 4 KiB base pages only
        assertThat(host.cpu().pageSizes()).containsExactly(4L, 2048L);
        assertThat(host.cpu().topology()).isEqualTo(new HostCpu.Topology(1, 1, 1, 2, 1));
        assertThat(host.cells()).containsExactly(new NumaCell(0, 2017148L,
                List.of(new NumaCell.Pages(4, (2017148 - 10 * 2048) / 4, 250000L), new NumaCell.Pages(2048, 10, null)),
                List.of(), List.of(cellCpu(0, 0, 0, "0"), cellCpu(1, 0, 1, "1"))));
    }

    @Test
    void anOfflineCpuIsInItsCellWithoutIds() {
        numaServer().file(CPU + "online", "0-6\n");
        Host host = probe(Set.of());
        assertThat(host.cells().get(1).cpus()).last().isEqualTo(new NumaCell.Cpu(7, null, null, null, null, null));
        assertThat(host.cpu().logicalCpus()).isEqualTo(7);
    }

    @Test
    void anArchitectureWithSeveralBasePageSizesNeedsAuxvToKnowIts() {
        new FakeSysfs(root).file("proc/cpuinfo", CpuInfoProbeTest.AARCH64)
                .file("sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "0\n")
                .file("proc/meminfo", "MemTotal:        2017148 kB\n");
        Host host = probe(Set.of());
        assertThat(host.cpu().pageSizes()).containsExactly(2048L);
        assertThat(host.cells().get(0).pages()).containsExactly(new NumaCell.Pages(2048, 0, null));
    }

    @Test
    void eachSourceCanBeSwitchedOffAndItsPartIsThenAbsent() {
        numaServer();
        Host host = probe(Set.of(SysfsNodeProbe.ID, CpuInfoProbe.ID, SecurityProbe.ID, HostUuidProbe.ID,
                IommuProbe.ID, PowerProbe.ID, "sysfs.pci"));
        assertThat(host.cells()).isEmpty();
        assertThat(host.securityModels()).isEmpty();
        assertThat(host.uuid()).isNull();
        assertThat(host.iommu()).isNull();
        assertThat(host.powerManagement()).isNull();
        assertThat(host.cpu().arch()).isNull();
        assertThat(host.cpu().flags()).isEmpty();
        // without NUMA nodes the topology is the host as one node: 2 sockets of 2 cores of 2 threads
        assertThat(host.cpu().topology()).isEqualTo(new HostCpu.Topology(2, 1, 1, 2, 2));
        assertThat(host.caches()).hasSize(6);

        Host noCpus = probe(Set.of(SysfsCpuProbe.ID, PageSizeProbe.ID));
        assertThat(noCpus.caches()).isEmpty();
        assertThat(noCpus.cpu().topology()).isNull();
        assertThat(noCpus.cpu().logicalCpus()).isEqualTo(2);
        assertThat(noCpus.cpu().pageSizes()).containsExactly(4L);
        assertThat(noCpus.cells().get(0).cpus()).extracting(NumaCell.Cpu::socketId).containsOnlyNulls();
    }

    @Test
    void theSourceIdsAreListed() {
        assertThat(HostProbe.sourceIds()).containsExactly("host.uuid", "memory.pages", "proc.cpuinfo", "sysfs.cpu",
                "sysfs.iommu", "sysfs.node", "sysfs.power", "sysfs.security");
        assertThat(new HostProbe().id()).isEqualTo("host");
    }

    @Test
    void anEmptyRootIsAnEmptyHost() {
        assertThat(probe(Set.of())).isEqualTo(new Host(null, null, null, null, null, List.of(), List.of(), List.of(),
                null, null));
    }

    @Test
    void garbageInEveryFileGivesAbsentValuesNotErrors() throws IOException {
        numaServer();
        Random random = new Random(5);
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(Files::isRegularFile).toList();
        }
        for (int round = 0; round < 20; round++) {
            for (Path f : files) {
                byte[] b = new byte[random.nextInt(64)];
                random.nextBytes(b);
                Files.write(f, b);
            }
            assertThatCode(() -> probe(Set.of())).doesNotThrowAnyException();
        }
        Host host = probe(Set.of());
        assertThat(host.cpu() == null || host.cpu().flags().size() < 11).isTrue();
    }

    @Nested
    class PagePools {
        @Test
        void theBasePoolIsWhatHugePagesLeaveOfTheMemory() {
            // libvirt 9.0 on this project's VM: 6775364 KiB, no huge pages, 1693841 pages of 4 KiB
            assertThat(HostProbe.pagePools(6775364L, 5962624L, List.of(new NumaCell.Pages(2048, 0, 0L)), 4L))
                    .containsExactly(new NumaCell.Pages(4, 1693841, 1490656L), new NumaCell.Pages(2048, 0, 0L));
            assertThat(HostProbe.pagePools(4 * GIB_KIB, null,
                    List.of(new NumaCell.Pages(1048576, 2, 1L), new NumaCell.Pages(2048, 512, 0L)), 4L))
                    .containsExactly(new NumaCell.Pages(4, (4 * GIB_KIB - 2 * GIB_KIB - GIB_KIB) / 4, null),
                            new NumaCell.Pages(2048, 512, 0L), new NumaCell.Pages(1048576, 2, 1L));
        }

        @Test
        void withoutBasePageSizeOrMemoryThereIsNoBasePool() {
            List<NumaCell.Pages> huge = List.of(new NumaCell.Pages(2048, 1, 1L));
            assertThat(HostProbe.pagePools(1024L, 0L, huge, null)).isEqualTo(huge);
            assertThat(HostProbe.pagePools(null, 0L, huge, 4L)).isEqualTo(huge);
        }

        @Test
        void hugePagesBeyondTheMemoryLeaveNoBasePool() {
            assertThat(HostProbe.pagePools(1024L, 0L, List.of(new NumaCell.Pages(2048, 1, 1L)), 4L))
                    .containsExactly(new NumaCell.Pages(2048, 1, 1L));
            assertThat(HostProbe.pagePools(1024L, 0L, List.of(new NumaCell.Pages(Long.MAX_VALUE, 4, 1L)), 4L))
                    .hasSize(1);
        }
    }
}
