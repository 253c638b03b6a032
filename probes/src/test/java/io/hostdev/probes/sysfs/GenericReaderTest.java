package io.hostdev.probes.sysfs;

import io.hostdev.model.DeviceTree;
import io.hostdev.model.cap.GenericCapability;
import io.hostdev.probes.testing.FakeSysfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static io.hostdev.probes.sysfs.BusScans.cap;
import static io.hostdev.probes.sysfs.BusScans.scan;
import static org.assertj.core.api.Assertions.assertThat;

class GenericReaderTest {

    @TempDir
    Path root;

    @Test
    void readingsThatChangeByThemselvesAreLeftOutAndPropertiesKept() {
        FakeSysfs fs = new FakeSysfs(root);
        fs.busDevice("system/node/node0", "node").attr("cpulist", "0-1").attr("distance", "10")
                .attr("meminfo", "Node 0 MemTotal: 1 kB\nNode 0 MemFree: 1 kB").attr("numastat", "numa_hit 5")
                .attr("vmstat", "nr_free_pages 3");
        fs.classDevice("virtual/bdi/7:0", "bdi").attr("read_ahead_kb", "128").attr("max_bytes", "4463419392")
                .attr("min_bytes", "0").attr("max_ratio", "100");
        fs.classDevice("platform/coretemp.0/hwmon/hwmon1", "hwmon").attr("name", "coretemp")
                .attr("temp1_input", "41000").attr("temp1_max", "84000").attr("temp1_label", "Package id 0");
        DeviceTree tree = scan(root);

        assertThat(cap(tree, "node_node0", GenericCapability.class).attributes())
                .containsOnlyKeys("cpulist", "distance");
        assertThat(cap(tree, "bdi_7_0", GenericCapability.class).attributes())
                .containsOnlyKeys("read_ahead_kb", "max_ratio");
        assertThat(cap(tree, "hwmon_hwmon1", GenericCapability.class).attributes())
                .containsOnlyKeys("name", "temp1_max", "temp1_label");
    }

    @ParameterizedTest
    @CsvSource({
            "node, meminfo, true", "node, cpulist, false", "bdi, max_bytes, true", "bdi, read_ahead_kb, false",
            "hwmon, fan2_input, true", "hwmon, power1_average, true", "hwmon, temp1_highest, true",
            "hwmon, temp1_crit, false", "power_supply, energy_now, true", "power_supply, capacity, true",
            "power_supply, energy_full_design, false", "thermal, temp, true", "thermal, type, false",
            "block, stat, true", "mystery, inflight, true", "mystery, temp, false", ", meminfo, false"})
    void aReadingIsKnownByItsSubsystemAndName(String subsystem, String name, boolean reading) {
        assertThat(GenericReader.reading(subsystem, name)).isEqualTo(reading);
    }
}
