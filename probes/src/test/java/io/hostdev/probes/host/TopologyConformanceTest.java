package io.hostdev.probes.host;

import io.hostdev.model.host.Host;
import io.hostdev.model.host.HostCpu;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.HostRoot;
import io.hostdev.probes.host.SysfsCpuProbe.Cpus;
import io.hostdev.probes.host.TopologySummary.Summary;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * libvirt's {@code tests/virhostcpudata}: a sysfs tree {@code linux-NAME} (the {@code cpu} and
 * {@code node} directories of {@code sys/devices/system}) with a {@code linux-ARCH-NAME.cpuinfo}
 * and the {@code linux-ARCH-NAME.expected} nodeinfo libvirt computes from the two
 * ({@code CPUs: online/total, MHz: m, Nodes: n, Sockets: s, Cores: c, Threads: t}). libvirt's
 * test pairs them by exactly this naming; the shared copy keeps five trees, giving six cases.
 * MHz is not compared: the model has no clock speed.
 */
class TopologyConformanceTest {

    static final Pattern EXPECTED = Pattern.compile(
            "CPUs: (\\d+)/(\\d+), MHz: \\d+, Nodes: (\\d+), Sockets: (\\d+), Cores: (\\d+), Threads: (\\d+)");

    @TempDir
    Path work;

    @TestFactory
    List<DynamicTest> everyTreeWithItsCpuinfoGivesLibvirtsNodeinfo() {
        Path data = Conformance.libvirt("tests/virhostcpudata");
        List<DynamicTest> tests = new ArrayList<>();
        for (Path tree : Conformance.list(data)) {
            String dir = tree.getFileName().toString();
            if (!Files.isDirectory(tree) || !dir.startsWith("linux-")) {
                continue;
            }
            String name = dir.substring("linux-".length());
            for (String arch : CpuInfoConformanceTest.ARCHES) {
                Path cpuinfo = data.resolve("linux-" + arch + "-" + name + ".cpuinfo");
                Path expected = data.resolve("linux-" + arch + "-" + name + ".expected");
                if (Files.exists(cpuinfo) && Files.exists(expected)) {
                    tests.add(DynamicTest.dynamicTest(dir + " + " + cpuinfo.getFileName(),
                            () -> check(tree, cpuinfo, arch, Conformance.read(expected).strip())));
                }
            }
        }
        assertThat(tests).hasSize(6);
        return tests;
    }

    private void check(Path tree, Path cpuinfo, String arch, String expected) throws IOException {
        Matcher m = EXPECTED.matcher(expected);
        assertThat(m.matches()).as("expected line " + expected).isTrue();
        Path root = Files.createTempDirectory(work, "host");
        Conformance.materialize(tree, root.resolve("sys/devices/system"));
        Files.createDirectories(root.resolve("proc/sys/kernel"));
        Files.copy(cpuinfo, root.resolve("proc/cpuinfo"));
        // libvirt's test names the architecture, as the running kernel would
        Files.writeString(root.resolve("proc/sys/kernel/arch"), arch + "\n");

        HostFiles files = HostFiles.of(HostRoot.of(root));
        Cpus cpus = new SysfsCpuProbe().probe(files);
        List<List<Integer>> nodes = new SysfsNodeProbe().probe(files).nodes().stream()
                .map(SysfsNodeProbe.Node::cpus).toList();
        Summary s = TopologySummary.summarize(cpus.cpus(), nodes, arch.startsWith("s390"));

        assertThat(s.cpus()).as("online CPUs").isEqualTo(Integer.parseInt(m.group(1)));
        // libvirt's second figure is nodes x sockets x cores x threads (VIR_NODEINFO_MAXCPUS)
        assertThat(s.nodes() * s.sockets() * s.cores() * s.threads()).as("CPUs the topology holds")
                .isEqualTo(Integer.parseInt(m.group(2)));
        assertThat(s.nodes()).as("nodes").isEqualTo(Integer.parseInt(m.group(3)));
        assertThat(s.sockets()).as("sockets").isEqualTo(Integer.parseInt(m.group(4)));
        assertThat(s.cores()).as("cores").isEqualTo(Integer.parseInt(m.group(5)));
        assertThat(s.threads()).as("threads").isEqualTo(Integer.parseInt(m.group(6)));

        Host host = new HostProbe().probe(files);
        assertThat(host.cpu().arch()).isEqualTo(arch);
        assertThat(host.cpu().topology()).isEqualTo(new HostCpu.Topology(s.sockets(), 1, 1, s.cores(), s.threads()));
        assertThat(host.cpu().logicalCpus()).isEqualTo(s.cpus());
    }
}
