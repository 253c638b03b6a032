package io.hostdev.probes.host;

import io.hostdev.probes.HostFiles;
import io.hostdev.probes.HostRoot;
import io.hostdev.probes.testing.FakeSysfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class IommuProbeTest {

    @TempDir
    Path root;

    Boolean probe() {
        return new IommuProbe().probe(HostFiles.of(HostRoot.of(root)));
    }

    @Test
    void groupsMeanAnIommu() {
        new FakeSysfs(root).dir("sys/kernel/iommu_groups/0/devices").dir("sys/kernel/iommu_groups/1/devices");
        assertThat(probe()).isTrue();
    }

    @Test
    void anEmptyGroupDirectoryMeansNone() {
        new FakeSysfs(root).dir("sys/kernel/iommu_groups");
        assertThat(probe()).isFalse();
    }

    @Test
    void aKernelWithoutIommuSupportHasNoDirectoryAndNoIommu() {
        new FakeSysfs(root).dir("sys/kernel/mm");
        assertThat(probe()).isFalse();
    }

    @Test
    void withoutSysKernelThereIsNoAnswer() {
        assertThat(probe()).isNull();
    }
}
