package io.hostdev.probes.host;

import io.hostdev.probes.HostFiles;
import io.hostdev.probes.HostRoot;
import io.hostdev.probes.host.HostUuidProbe.HostUuid;
import io.hostdev.probes.testing.FakeSysfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class HostUuidProbeTest {

    static final String DMI_UUID = "sys/devices/virtual/dmi/id/product_uuid";

    @TempDir
    Path root;

    HostUuid probe() {
        return new HostUuidProbe().probe(HostFiles.of(HostRoot.of(root)));
    }

    /** sys/class/dmi/id links to the DMI device, as on a real host. */
    FakeSysfs dmiHost() {
        return new FakeSysfs(root).symlink("sys/class/dmi/id", "../../devices/virtual/dmi/id");
    }

    @Test
    void dmiComesFirst() {
        dmiHost().file(DMI_UUID, "4C4C4544-0042-3910-8057-B5C04F4A4E32\n")
                .file("etc/machine-id", "3d1219c7c4c5404aaa1f6d2a48adfda4\n");
        assertThat(probe()).isEqualTo(new HostUuid("4c4c4544-0042-3910-8057-b5c04f4a4e32", "dmi"));
    }

    @Test
    void withoutReadableDmiTheMachineIdServes() {
        // product_uuid is root-only: a directory stands in for the EACCES a user gets
        dmiHost().dir(DMI_UUID).file("etc/machine-id", "3d1219c7c4c5404aaa1f6d2a48adfda4\n");
        assertThat(probe()).isEqualTo(new HostUuid("3d1219c7-c4c5-404a-aa1f-6d2a48adfda4", "machine-id"));
    }

    @Test
    void aPlaceholderDmiUuidGivesWayToTheMachineId() {
        dmiHost().file(DMI_UUID, "00000000-0000-0000-0000-000000000000\n")
                .file("etc/machine-id", "3d1219c7c4c5404aaa1f6d2a48adfda4\n");
        assertThat(probe().source()).isEqualTo("machine-id");
    }

    @Test
    void neitherMeansNoUuid() {
        new FakeSysfs(root).file("etc/machine-id", "uninitialized\n");
        assertThat(probe()).isNull();
    }

    @ParameterizedTest
    @CsvSource({"4C4C4544-0042-3910-8057-B5C04F4A4E32, 4c4c4544-0042-3910-8057-b5c04f4a4e32",
            "'  03000200-0400-0500-0006-000700080009\n', 03000200-0400-0500-0006-000700080009"})
    void dmiUuidsAreLowerCased(String raw, String expected) {
        assertThat(HostUuidProbe.dmiUuid(raw)).isEqualTo(expected);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "not-a-uuid", "4C4C45440042391080 57B5C04F4A4E32", "4c4c4544004239108057b5c04f4a4e32",
            "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF", "00000000-0000-0000-0000-000000000000",
            "abababab-abab-abab-abab-abababababab", "4c4c4544-0042-3910-8057-b5c04f4a4e3g"})
    void otherDmiValuesAreAbsent(String raw) {
        assertThat(HostUuidProbe.dmiUuid(raw)).isNull();
    }

    @Test
    void machineIdsAreWrittenAsUuids() {
        assertThat(HostUuidProbe.machineIdUuid("3d1219c7c4c5404aaa1f6d2a48adfda4\n"))
                .isEqualTo("3d1219c7-c4c5-404a-aa1f-6d2a48adfda4");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "uninitialized", "3D1219C7C4C5404AAA1F6D2A48ADFDA4", "3d1219c7c4c5404aaa1f6d2a48adfda",
            "3d1219c7-c4c5-404a-aa1f-6d2a48adfda4", "00000000000000000000000000000000"})
    void otherMachineIdsAreAbsent(String raw) {
        assertThat(HostUuidProbe.machineIdUuid(raw)).isNull();
    }
}
