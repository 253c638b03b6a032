package io.hostdev.probes.host;

import io.hostdev.model.host.Host.PowerManagement;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.HostRoot;
import io.hostdev.probes.testing.FakeSysfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class PowerProbeTest {

    @TempDir
    Path root;

    @ParameterizedTest(name = "state \"{0}\", disk \"{1}\" → mem {2}, disk {3}, hybrid {4}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "freeze mem disk|[platform] shutdown reboot suspend test_resume|true|true|true",
            "freeze mem disk|platform [shutdown] reboot test_resume|true|true|false",
            "freeze mem|NULL|true|false|false",
            "freeze mem disk|NULL|true|true|false",
            "freeze disk|[platform] shutdown suspend|false|true|false",
            "freeze standby mem disk|reboot [test_resume]|true|false|false",
            "freeze|NULL|false|false|false",
            "''|NULL|false|false|false",
            "' mem '|' [suspend] '|true|false|false",
            "MEM DISK|platform|false|false|false"})
    void stateAndDiskLinesGiveTheSuspendModes(String state, String disk, boolean mem, boolean hibernate,
                                              boolean hybrid) {
        assertThat(PowerProbe.parse(state, disk)).isEqualTo(new PowerManagement(mem, hibernate, hybrid));
    }

    @Test
    void withoutAStateFileThereIsNoAnswer() {
        assertThat(PowerProbe.parse(null, "[platform] shutdown")).isNull();
        assertThat(new PowerProbe().probe(HostFiles.of(HostRoot.of(root)))).isNull();
    }

    @Test
    void readsSysPower() {
        new FakeSysfs(root).file("sys/power/state", "freeze mem disk\n")
                .file("sys/power/disk", "[platform] shutdown reboot suspend test_resume\n")
                .file("sys/power/mem_sleep", "s2idle [deep]\n");
        assertThat(new PowerProbe().probe(HostFiles.of(HostRoot.of(root))))
                .isEqualTo(new PowerManagement(true, true, true));
    }

    @Test
    void anEmptyStateFileMeansNoSleepAtAll() {
        new FakeSysfs(root).file("sys/power/state", "\n");
        assertThat(new PowerProbe().probe(HostFiles.of(HostRoot.of(root))))
                .isEqualTo(new PowerManagement(false, false, false));
    }
}
