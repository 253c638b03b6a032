package io.hostdev.probes.host;

import io.hostdev.model.host.HostCpu;
import io.hostdev.probes.host.SysfsCpuProbe.LogicalCpu;
import io.hostdev.probes.host.TopologySummary.Summary;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TopologySummaryTest {

    static LogicalCpu cpu(int id, int socket, int die, int core, String siblings) {
        return new LogicalCpu(id, true, socket, die, 0, core, siblings);
    }

    static List<Integer> ids(int from, int to) {
        List<Integer> out = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            out.add(i);
        }
        return out;
    }

    @Test
    void twoNodesEachOneSocketOfFourHyperthreadedCores() {
        List<LogicalCpu> cpus = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            int socket = i / 8;
            int core = (i % 8) / 2;
            int first = i - i % 2;
            cpus.add(cpu(i, socket, 0, core, first + "-" + (first + 1)));
        }
        Summary s = TopologySummary.summarize(cpus, List.of(ids(0, 7), ids(8, 15)), false);
        assertThat(s).isEqualTo(new Summary(2, 1, 4, 2, 16, 0));
        assertThat(TopologySummary.topology(s)).isEqualTo(new HostCpu.Topology(1, 1, 1, 4, 2));
    }

    @Test
    void socketsAreCountedPerNodeCoresPerSocket() {
        List<LogicalCpu> cpus = List.of(cpu(0, 0, 0, 0, "0"), cpu(1, 0, 0, 1, "1"), cpu(2, 1, 0, 0, "2"),
                cpu(3, 1, 0, 1, "3"));
        assertThat(TopologySummary.summarize(cpus, List.of(), false)).isEqualTo(new Summary(1, 2, 2, 1, 4, 0));
    }

    @Test
    void diesThatRepeatCoreIdsMakeTheStructureNonUniformAndTheSummaryFlat() {
        // libvirt's linux-with-die: 2 packages x 3 dies x 2 cores, core ids 0 and 1 in every die
        List<LogicalCpu> cpus = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            cpus.add(cpu(i, i / 6, (i % 6) / 2, i % 2, Integer.toString(i)));
        }
        assertThat(TopologySummary.summarize(cpus, List.of(ids(0, 11)), false))
                .isEqualTo(new Summary(1, 1, 12, 1, 12, 0));
    }

    @Test
    void offlineCpusCountTowardsTheTotal() {
        List<LogicalCpu> cpus = List.of(cpu(0, 0, 0, 0, "0,2"), cpu(1, 0, 0, 1, "1,3"), cpu(2, 0, 0, 0, "0,2"),
                LogicalCpu.offline(3));
        assertThat(TopologySummary.summarize(cpus, List.of(), false)).isEqualTo(new Summary(1, 1, 2, 2, 3, 1));
    }

    @Test
    void onS390EveryCpuIsACore() {
        List<LogicalCpu> cpus = List.of(cpu(0, 0, 0, 0, "0"), cpu(1, 0, 0, 0, "1"), cpu(2, 0, 0, 0, "2"));
        assertThat(TopologySummary.summarize(cpus, List.of(), true)).isEqualTo(new Summary(1, 1, 3, 1, 3, 0));
        assertThat(TopologySummary.summarize(cpus, List.of(), false)).isEqualTo(new Summary(1, 1, 3, 1, 3, 0));
    }

    @Test
    void nodesThatListNoCpuLeaveTheWholeHostAsOneNode() {
        List<LogicalCpu> cpus = List.of(cpu(0, 0, 0, 0, "0"), cpu(1, 0, 0, 1, "1"));
        assertThat(TopologySummary.summarize(cpus, List.of(List.of(), List.of()), false))
                .isEqualTo(new Summary(1, 1, 2, 1, 2, 0));
    }

    @Test
    void aMemoryOnlyNodeBreaksUniformity() {
        List<LogicalCpu> cpus = List.of(cpu(0, 0, 0, 0, "0"), cpu(1, 0, 0, 1, "1"));
        assertThat(TopologySummary.summarize(cpus, List.of(List.of(0, 1), List.of()), false))
                .isEqualTo(new Summary(1, 1, 2, 1, 2, 0));
    }

    @Test
    void cpusANodeListsButThatAreNotPresentAreIgnored() {
        List<LogicalCpu> cpus = List.of(cpu(0, 0, 0, 0, "0"), cpu(1, 0, 0, 1, "1"));
        assertThat(TopologySummary.summarize(cpus, List.of(List.of(0, 1, 7)), false))
                .isEqualTo(new Summary(1, 1, 2, 1, 2, 0));
    }

    @Test
    void unknownIdsCountAsZeroAndUnknownSiblingsAsOneThread() {
        List<LogicalCpu> cpus = List.of(new LogicalCpu(0, true, null, null, null, null, null));
        assertThat(TopologySummary.summarize(cpus, List.of(), false)).isEqualTo(new Summary(1, 1, 1, 1, 1, 0));
    }

    @Test
    void withoutAnOnlineCpuThereIsNoTopology() {
        assertThat(TopologySummary.summarize(List.of(), List.of(), false)).isNull();
        assertThat(TopologySummary.summarize(List.of(LogicalCpu.offline(0)), List.of(List.of(0)), false)).isNull();
        assertThat(TopologySummary.topology(null)).isNull();
    }
}
