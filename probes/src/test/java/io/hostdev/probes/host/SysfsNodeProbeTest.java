package io.hostdev.probes.host;

import io.hostdev.model.host.NumaCell;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.HostRoot;
import io.hostdev.probes.host.SysfsNodeProbe.Node;
import io.hostdev.probes.host.SysfsNodeProbe.Nodes;
import io.hostdev.probes.testing.FakeSysfs;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class SysfsNodeProbeTest {

    static final String NODE = "sys/devices/system/node/";

    @TempDir
    Path root;

    Nodes probe() {
        return new SysfsNodeProbe().probe(HostFiles.of(HostRoot.of(root)));
    }

    static String meminfo(int node, long total, long free) {
        return "Node " + node + " MemTotal:       " + total + " kB\nNode " + node + " MemFree:        " + free
                + " kB\nNode " + node + " MemUsed:         " + (total - free) + " kB\nNode " + node
                + " HugePages_Total:     0\n";
    }

    @Nested
    class Reading {
        @Test
        void readsMemoryCpusDistancesAndHugePagesOfEveryNode() {
            FakeSysfs fs = new FakeSysfs(root).file(NODE + "online", "0-1\n").file(NODE + "possible", "0-1\n");
            fs.file(NODE + "node0/meminfo", meminfo(0, 8388608, 4000000)).file(NODE + "node0/cpulist", "0-1\n")
                    .file(NODE + "node0/distance", "10 21\n")
                    .file(NODE + "node0/hugepages/hugepages-2048kB/nr_hugepages", "16\n")
                    .file(NODE + "node0/hugepages/hugepages-2048kB/free_hugepages", "8\n")
                    .file(NODE + "node0/hugepages/hugepages-1048576kB/nr_hugepages", "1\n")
                    .file(NODE + "node0/hugepages/hugepages-1048576kB/free_hugepages", "1\n");
            fs.file(NODE + "node1/meminfo", meminfo(1, 4194304, 100)).file(NODE + "node1/cpulist", "2-3\n")
                    .file(NODE + "node1/distance", "21 10\n");
            assertThat(probe()).isEqualTo(new Nodes(List.of(
                    new Node(0, 8388608L, 4000000L, List.of(0, 1),
                            List.of(new NumaCell.Distance(0, 10), new NumaCell.Distance(1, 21)),
                            List.of(new NumaCell.Pages(2048, 16, 8L), new NumaCell.Pages(1048576, 1, 1L))),
                    new Node(1, 4194304L, 100L, List.of(2, 3),
                            List.of(new NumaCell.Distance(0, 21), new NumaCell.Distance(1, 10)), List.of())),
                    null, null));
        }

        @Test
        void distanceColumnsBelongToTheOnlineNodesNotToTheirIndexes() {
            FakeSysfs fs = new FakeSysfs(root).file(NODE + "online", "0,2\n");
            fs.file(NODE + "node0/distance", "10 32\n").file(NODE + "node2/distance", "32 10\n");
            assertThat(probe().nodes().get(1).distances())
                    .containsExactly(new NumaCell.Distance(0, 32), new NumaCell.Distance(2, 10));
        }

        @Test
        void withoutCpulistTheCpuLinksInTheNodeDirectoryCount() {
            new FakeSysfs(root).symlink(NODE + "node0/cpu1", "../../cpu/cpu1").symlink(NODE + "node0/cpu0", "../../cpu/cpu0")
                    .file(NODE + "node0/cpumap", "3\n");
            assertThat(probe().nodes().get(0).cpus()).containsExactly(0, 1);
        }

        @Test
        void memoryOnlyNodesAreNodesToo() {
            new FakeSysfs(root).file(NODE + "node0/cpulist", "0\n").file(NODE + "node1/cpulist", "\n")
                    .file(NODE + "node1/meminfo", meminfo(1, 1024, 1024));
            assertThat(probe().nodes()).extracting(Node::id, Node::cpus)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(0, List.of(0)),
                            org.assertj.core.groups.Tuple.tuple(1, List.of()));
        }

        @Test
        void withoutNodesTheMachineIsOneNodeWithMemoryFromProcMeminfo() {
            new FakeSysfs(root).file("proc/meminfo", "MemTotal:        2017148 kB\nMemFree:          123456 kB\n"
                    + "HugePages_Total:       0\nHugepagesize:       2048 kB\n");
            Nodes nodes = probe();
            assertThat(nodes.numa()).isFalse();
            assertThat(nodes).isEqualTo(new Nodes(List.of(), 2017148L, 123456L));
        }

        @Test
        void aPoolWithoutCountIsLeftOutAndFreeIsOptional() {
            new FakeSysfs(root).file(NODE + "node0/cpulist", "0\n")
                    .file(NODE + "node0/hugepages/hugepages-2048kB/nr_hugepages", "4\n")
                    .dir(NODE + "node0/hugepages/hugepages-1048576kB")
                    .dir(NODE + "node0/hugepages/hugepages-64kB/free_hugepages")
                    .file(NODE + "node0/hugepages/hugepages-64kB/nr_hugepages", "2\n")
                    .dir(NODE + "node0/hugepages/surplus");
            assertThat(probe().nodes().get(0).hugePages())
                    .containsExactly(new NumaCell.Pages(64, 2, null), new NumaCell.Pages(2048, 4, null));
        }
    }

    @Nested
    class Parsing {
        @Test
        void meminfoReadsNodeAndMachineFormsInKib() {
            assertThat(SysfsNodeProbe.meminfo("Node 12 MemTotal:       32817236 kB\nNode 12 HugePages_Free:  3\n"))
                    .isEqualTo(Map.of("MemTotal", 32817236L, "HugePages_Free", 3L));
            assertThat(SysfsNodeProbe.meminfo("MemTotal:       24682416 kB\nMemAvailable:   24281080 kB\n"))
                    .isEqualTo(Map.of("MemTotal", 24682416L, "MemAvailable", 24281080L));
        }

        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"", "MemTotal", "MemTotal: lots", "MemTotal: -1 kB", ": 5 kB", "Node MemTotal: 1 kB",
                "MemTotal: 1 MB", "MemTotal: 1 kB extra"})
        void meminfoLeavesOutWhatDoesNotParse(String text) {
            Map<String, Long> values = SysfsNodeProbe.meminfo(text);
            assertThat(values).doesNotContainKey("MemTotal").doesNotContainKey("");
        }

        @Test
        void theFirstValueOfAKeyWins() {
            assertThat(SysfsNodeProbe.meminfo("MemTotal: 1 kB\nMemTotal: 2 kB\n")).containsEntry("MemTotal", 1L);
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {"'10'|0|0:10", "'10 20 20 30'|0,1,2,3|0:10,1:20,2:20,3:30",
                "' 10  21 \n'|0,8|0:10,8:21"})
        void distancesPairColumnsWithOnlineNodes(String line, String online, String expected) {
            List<Integer> ids = java.util.Arrays.stream(online.split(",")).map(Integer::valueOf).toList();
            List<NumaCell.Distance> want = java.util.Arrays.stream(expected.split(","))
                    .map(p -> new NumaCell.Distance(Integer.parseInt(p.split(":")[0]), Integer.parseInt(p.split(":")[1])))
                    .toList();
            assertThat(SysfsNodeProbe.distances(line, ids)).isEqualTo(want);
        }

        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"", "10 x", "10 -1", "10", "10 20 30", "10,20"})
        void distancesThatCannotBeAttributedAreAbsent(String line) {
            assertThat(SysfsNodeProbe.distances(line, List.of(0, 1))).isEmpty();
        }

        @ParameterizedTest
        @CsvSource({"hugepages-2048kB, 2048", "hugepages-1048576kB, 1048576", "hugepages-64kB, 64"})
        void hugePageDirectoriesNameTheirSize(String name, long size) {
            assertThat(SysfsNodeProbe.hugePageSize(name)).isEqualTo(size);
        }

        @ParameterizedTest
        @ValueSource(strings = {"hugepages-kB", "hugepages-2048", "hugepages-2048KB", "hugepages-0kB", "hugepages--1kB",
                "hugepages-2Mk", "2048kB", "surplus"})
        void otherNamesAreNotPools(String name) {
            assertThat(SysfsNodeProbe.hugePageSize(name)).isNull();
        }

        @Test
        void nodeNamesGiveIds() {
            assertThat(SysfsNodeProbe.nodeId("node0")).isZero();
            assertThat(SysfsNodeProbe.nodeId("node17")).isEqualTo(17);
            assertThat(SysfsNodeProbe.nodeId("node")).isNull();
            assertThat(SysfsNodeProbe.nodeId("node01")).isNull();
            assertThat(SysfsNodeProbe.nodeId("online")).isNull();
            assertThat(SysfsNodeProbe.nodeId("has_cpu")).isNull();
        }

        @Test
        void onlineNodesFallBackToTheDirectoriesWhenTheListIsUnreadable() {
            TreeMap<Integer, String> dirs = new TreeMap<>(Map.of(0, "node0", 3, "node3"));
            assertThat(SysfsNodeProbe.onlineNodes("0,3\n", dirs)).containsExactly(0, 3);
            assertThat(SysfsNodeProbe.onlineNodes(null, dirs)).containsExactly(0, 3);
            assertThat(SysfsNodeProbe.onlineNodes("garbage", dirs)).containsExactly(0, 3);
        }
    }
}
