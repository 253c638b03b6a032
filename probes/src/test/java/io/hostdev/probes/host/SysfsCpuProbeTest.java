package io.hostdev.probes.host;

import io.hostdev.model.host.CacheBank;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.HostRoot;
import io.hostdev.probes.host.SysfsCpuProbe.Cpus;
import io.hostdev.probes.host.SysfsCpuProbe.LogicalCpu;
import io.hostdev.probes.testing.FakeSysfs;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SysfsCpuProbeTest {

    static final String CPU = "sys/devices/system/cpu/";

    @TempDir
    Path root;

    Cpus probe() {
        return new SysfsCpuProbe().probe(HostFiles.of(HostRoot.of(root)));
    }

    /** A CPU with a full topology directory, as a 5.16+ kernel writes it. */
    static FakeSysfs cpu(FakeSysfs fs, int id, int pkg, int die, int cluster, int core, String siblings) {
        String t = CPU + "cpu" + id + "/topology/";
        return fs.file(t + "physical_package_id", pkg + "\n").file(t + "die_id", die + "\n")
                .file(t + "cluster_id", cluster + "\n").file(t + "core_id", core + "\n")
                .file(t + "thread_siblings_list", siblings + "\n");
    }

    static FakeSysfs cache(FakeSysfs fs, int cpu, int index, String level, String type, String size, String id,
                           String shared) {
        String c = CPU + "cpu" + cpu + "/cache/index" + index + "/";
        fs.file(c + "level", level + "\n").file(c + "type", type + "\n").file(c + "size", size + "\n")
                .file(c + "shared_cpu_list", shared + "\n");
        return id == null ? fs : fs.file(c + "id", id + "\n");
    }

    @Nested
    class Topology {
        @Test
        void readsEachPresentCpusIds() {
            FakeSysfs fs = new FakeSysfs(root).file(CPU + "present", "0-3\n").file(CPU + "online", "0-3\n");
            cpu(fs, 0, 0, 0, 0, 0, "0,2");
            cpu(fs, 1, 0, 0, 0, 1, "1,3");
            cpu(fs, 2, 0, 0, 0, 0, "0,2");
            cpu(fs, 3, 0, 0, 0, 1, "1,3");
            assertThat(probe().cpus()).containsExactly(
                    new LogicalCpu(0, true, 0, 0, 0, 0, "0,2"), new LogicalCpu(1, true, 0, 0, 0, 1, "1,3"),
                    new LogicalCpu(2, true, 0, 0, 0, 0, "0,2"), new LogicalCpu(3, true, 0, 0, 0, 1, "1,3"));
        }

        @Test
        void olderKernelsWithoutDiesOrClustersPutEveryCpuInLevelZero() {
            FakeSysfs fs = new FakeSysfs(root).file(CPU + "present", "0\n").file(CPU + "online", "0\n");
            fs.file(CPU + "cpu0/topology/physical_package_id", "-1\n").file(CPU + "cpu0/topology/core_id", "0\n")
                    .file(CPU + "cpu0/topology/thread_siblings_list", "0\n");
            assertThat(probe().cpus()).containsExactly(new LogicalCpu(0, true, 0, 0, 0, 0, "0"));
        }

        @Test
        void aCpuWithoutSiblingsListIsItsOwnOnlySibling() {
            FakeSysfs fs = new FakeSysfs(root).file(CPU + "present", "5\n").file(CPU + "online", "5\n");
            fs.file(CPU + "cpu5/topology/core_id", "2\n");
            assertThat(probe().cpus()).containsExactly(new LogicalCpu(5, true, 0, 0, 0, 2, "5"));
        }

        @Test
        void offlineCpusHaveNoTopology() {
            FakeSysfs fs = new FakeSysfs(root).file(CPU + "present", "0-1\n").file(CPU + "online", "0\n");
            cpu(fs, 0, 0, 0, 0, 0, "0");
            fs.dir(CPU + "cpu1");
            assertThat(probe().cpus()).containsExactly(new LogicalCpu(0, true, 0, 0, 0, 0, "0"),
                    new LogicalCpu(1, false, null, null, null, null, null));
        }

        @Test
        void withoutTheOnlineListEachCpuSaysItselfAndCpuZeroWithoutAFileIsOnline() {
            FakeSysfs fs = new FakeSysfs(root).file(CPU + "present", "0-2\n");
            cpu(fs, 0, 0, 0, 0, 0, "0");
            cpu(fs, 1, 0, 0, 0, 1, "1").file(CPU + "cpu1/online", "1\n");
            fs.file(CPU + "cpu2/online", "0\n");
            assertThat(probe().cpus()).extracting(LogicalCpu::online).containsExactly(true, true, false);
        }

        @Test
        void withoutThePresentListTheCpuDirectoriesCount() {
            FakeSysfs fs = new FakeSysfs(root);
            cpu(fs, 0, 0, 0, 0, 0, "0");
            cpu(fs, 10, 1, 0, 0, 0, "10");
            fs.dir(CPU + "cpufreq").dir(CPU + "cpuidle").dir(CPU + "cpu01");
            assertThat(probe().cpus()).extracting(LogicalCpu::id).containsExactly(0, 10);
        }

        @Test
        void aPresentCpuWithoutDirectoryIsLeftOut() {
            // libvirt's linux-with-clusters tree: present and online say 0-223, eight directories exist
            FakeSysfs fs = new FakeSysfs(root).file(CPU + "present", "0-223\n").file(CPU + "online", "0-223\n");
            cpu(fs, 0, 0, 0, 0, 0, "0");
            cpu(fs, 1, 0, 0, 0, 1, "1");
            fs.dir(CPU + "cpu300");
            assertThat(probe().cpus()).extracting(LogicalCpu::id).containsExactly(0, 1);
        }

        @Test
        void anOnlineCpuWithoutTopologyDirectoryHasNoIds() {
            new FakeSysfs(root).file(CPU + "present", "0\n").file(CPU + "online", "0\n").dir(CPU + "cpu0");
            assertThat(probe().cpus()).containsExactly(new LogicalCpu(0, true, null, null, null, null, null));
        }

        @Test
        void garbageIdsAreAbsent() {
            FakeSysfs fs = new FakeSysfs(root).file(CPU + "present", "0\n").file(CPU + "online", "0\n");
            String t = CPU + "cpu0/topology/";
            fs.file(t + "physical_package_id", "zero\n").file(t + "die_id", "0x1\n").file(t + "cluster_id", "\n")
                    .file(t + "core_id", "99999999999\n").file(t + "thread_siblings_list", "0-\n");
            assertThat(probe().cpus()).containsExactly(new LogicalCpu(0, true, null, null, null, null, null));
        }

        @Test
        void aHostWithoutCpuDirectoryHasNoCpus() {
            assertThat(probe()).isEqualTo(Cpus.NONE);
        }

        @ParameterizedTest
        @CsvSource(value = {"0, 0", "-1, 0", "65535, 65535", "3, 3", "'', ", "x, ", "1.5, "})
        void topologyIdsFollowTheKernelsMeaningOfNegative(String raw, Integer expected) {
            assertThat(SysfsCpuProbe.topologyId(raw)).isEqualTo(expected);
        }

        @Test
        void aMissingTopologyFileMeansLevelZero() {
            assertThat(SysfsCpuProbe.topologyId(null)).isZero();
        }

        @ParameterizedTest
        @CsvSource({"cpu0, 0", "cpu17, 17", "cpu65535, 65535"})
        void cpuDirectoryNamesGiveIds(String name, int id) {
            assertThat(SysfsCpuProbe.cpuId(name)).isEqualTo(id);
        }

        @ParameterizedTest
        @ValueSource(strings = {"cpu", "cpufreq", "cpuidle", "cpu01", "cpu-1", "cpu65536", "node0", "cpu1a"})
        void otherNamesAreNotCpus(String name) {
            assertThat(SysfsCpuProbe.cpuId(name)).isNull();
        }
    }

    @Nested
    class Caches {
        @Test
        void keepsLevelTwoAndUpOncePerDistinctCacheSortedByLevelAndId() {
            FakeSysfs fs = new FakeSysfs(root).file(CPU + "present", "0-1\n").file(CPU + "online", "0-1\n");
            for (int c = 0; c < 2; c++) {
                cpu(fs, c, 0, 0, 0, c, Integer.toString(c));
                cache(fs, c, 0, "1", "Data", "32K", Integer.toString(c), Integer.toString(c));
                cache(fs, c, 1, "1", "Instruction", "32K", Integer.toString(c), Integer.toString(c));
                cache(fs, c, 2, "2", "Unified", "512K", Integer.toString(c), Integer.toString(c));
                cache(fs, c, 3, "3", "Unified", "32768K", "0", "0-1");
            }
            assertThat(probe().caches()).containsExactly(
                    new CacheBank(0, 2, "both", 512 * 1024, "0"),
                    new CacheBank(1, 2, "both", 512 * 1024, "1"),
                    new CacheBank(0, 3, "both", 32L * 1024 * 1024, "0-1"));
        }

        @Test
        void splitCachesKeepTheirType() {
            FakeSysfs fs = new FakeSysfs(root).file(CPU + "present", "0\n").file(CPU + "online", "0\n");
            cpu(fs, 0, 0, 0, 0, 0, "0");
            cache(fs, 0, 2, "2", "Data", "2048K", "4", "0");
            cache(fs, 0, 3, "2", "Instruction", "2048K", "4", "0");
            assertThat(probe().caches()).containsExactly(new CacheBank(4, 2, "code", 2 << 20, "0"),
                    new CacheBank(4, 2, "data", 2 << 20, "0"));
        }

        @Test
        void cachesWithoutIdOrWithUnknownTypeAreLeftOut() {
            FakeSysfs fs = new FakeSysfs(root).file(CPU + "present", "0\n").file(CPU + "online", "0\n");
            cpu(fs, 0, 0, 0, 0, 0, "0");
            cache(fs, 0, 2, "2", "Unified", "1024K", null, "0");
            cache(fs, 0, 3, "3", "Victim", "8M", "0", "0");
            cache(fs, 0, 4, "3", "Unified", "8M", "0", "0");
            assertThat(probe().caches()).containsExactly(new CacheBank(0, 3, "both", 8 << 20, "0"));
        }

        @Test
        void offlineCpusAreNotAsked() {
            FakeSysfs fs = new FakeSysfs(root).file(CPU + "present", "0-1\n").file(CPU + "online", "0\n");
            cpu(fs, 0, 0, 0, 0, 0, "0");
            cache(fs, 1, 2, "2", "Unified", "1M", "1", "1");
            assertThat(probe().caches()).isEmpty();
        }

        @ParameterizedTest
        @CsvSource({"32K, 32768", "8192K, 8388608", "2M, 2097152", "1G, 1073741824", "512, 512", "'0K', 0"})
        void cacheSizesAreBinaryMultiples(String raw, long bytes) {
            assertThat(SysfsCpuProbe.cacheSize(raw + "\n")).isEqualTo(bytes);
        }

        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"", "K", "32 K", "32KB", "32k", "-1K", "1.5M", "0x20K", "9223372036854775807K"})
        void otherSizesAreAbsent(String raw) {
            assertThat(SysfsCpuProbe.cacheSize(raw)).isNull();
        }

        @ParameterizedTest
        @CsvSource({"Unified, both", "Instruction, code", "Data, data"})
        void kernelCacheTypesBecomeLibvirtTypes(String kernel, String libvirt) {
            assertThat(SysfsCpuProbe.cacheType(kernel + "\n")).isEqualTo(libvirt);
        }

        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"", "unified", "Trace", "Both"})
        void otherCacheTypesAreAbsent(String raw) {
            assertThat(SysfsCpuProbe.cacheType(raw)).isNull();
        }

        @Test
        void aBankNeedsEveryAttribute() {
            assertThat(SysfsCpuProbe.cacheBank(2, "0", "Unified", "1M", "0-3"))
                    .isEqualTo(new CacheBank(0, 2, "both", 1 << 20, "0-3"));
            assertThat(SysfsCpuProbe.cacheBank(2, null, "Unified", "1M", "0-3")).isNull();
            assertThat(SysfsCpuProbe.cacheBank(2, "0", null, "1M", "0-3")).isNull();
            assertThat(SysfsCpuProbe.cacheBank(2, "0", "Unified", null, "0-3")).isNull();
            assertThat(SysfsCpuProbe.cacheBank(2, "0", "Unified", "1M", null)).isNull();
            assertThat(SysfsCpuProbe.cacheBank(2, "0", "Unified", "1M", "")).isNull();
            assertThat(SysfsCpuProbe.cacheBank(2, "-1", "Unified", "1M", "0")).isNull();
        }
    }

    @Test
    void garbageEverywhereGivesAbsentValuesNotErrors() {
        FakeSysfs fs = new FakeSysfs(root).file(CPU + "present", "0-1\n").file(CPU + "online", "what\n");
        fs.bytes(CPU + "cpu0/topology/core_id", new byte[] {(byte) 0xff, 0, '\r', 1});
        fs.bytes(CPU + "cpu0/cache/index2/level", new byte[] {(byte) 0xfe});
        fs.dir(CPU + "cpu1/topology/core_id");
        Cpus cpus = probe();
        assertThat(cpus.cpus()).extracting(LogicalCpu::id).containsExactly(0, 1);
        assertThat(cpus.cpus().get(0).coreId()).isNull();
        assertThat(cpus.caches()).isEmpty();
        // there but unreadable is unknown, unlike missing, which is level 0
        assertThat(cpus.cpus().get(1).coreId()).isNull();
        assertThat(cpus.cpus().get(1).dieId()).isZero();
    }
}
