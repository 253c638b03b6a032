package io.hostdev.probes.sysfs;

import io.hostdev.model.DeviceTree;
import io.hostdev.model.cap.VirtioCapability;
import io.hostdev.probes.SysfsValues;
import io.hostdev.probes.testing.FakeSysfs;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static io.hostdev.probes.sysfs.BusScans.cap;
import static io.hostdev.probes.sysfs.BusScans.device;
import static io.hostdev.probes.sysfs.BusScans.scan;
import static org.assertj.core.api.Assertions.assertThat;

class VirtioReaderTest {

    @Nested
    class OnAVmWithANicAndADisk {

        @TempDir
        Path root;

        DeviceTree tree() {
            FakeSysfs fs = new FakeSysfs(root);
            fs.busDevice("pci0000:00/0000:00:03.0", "pci");
            fs.busDevice("pci0000:00/0000:00:03.0/virtio2", "virtio").driver("virtio", "virtio_net")
                    .attr("device", "0x0001").attr("vendor", "0x1af4");
            fs.busDevice("pci0000:00/0000:00:04.0/virtio1", "virtio").driver("virtio", "virtio_blk")
                    .attr("device", "0x0002").attr("vendor", "0x1af4");
            fs.busDevice("platform/a000000.virtio_mmio/virtio7", "virtio")
                    .attr("device", "0x0063").attr("vendor", "0x554d4551");
            return scan(root);
        }

        @Test
        void netAndBlockAreTypedByTheirSpecIds() {
            DeviceTree tree = tree();
            assertThat(cap(tree, "virtio_virtio2", VirtioCapability.class))
                    .isEqualTo(new VirtioCapability(1, "net", "0x1af4"));
            assertThat(cap(tree, "virtio_virtio1", VirtioCapability.class))
                    .isEqualTo(new VirtioCapability(2, "block", "0x1af4"));
            assertThat(device(tree, "virtio_virtio2").driver()).isEqualTo("virtio_net");
        }

        @Test
        void anIdWithoutAKnownNameKeepsItsNumber() {
            assertThat(cap(tree(), "virtio_virtio7", VirtioCapability.class))
                    .isEqualTo(new VirtioCapability(99, null, "0x554d4551"));
        }
    }

    @Nested
    class OnHostileInput {

        @TempDir
        Path root;

        @Test
        void garbageIdsAreAbsent() {
            FakeSysfs fs = new FakeSysfs(root);
            fs.busDevice("pci0000:00/0000:00:03.0/virtio2", "virtio")
                    .rawAttr("device", BusScans.GARBAGE).rawAttr("vendor", BusScans.GARBAGE);
            assertThat(cap(scan(root), "virtio_virtio2", VirtioCapability.class))
                    .isEqualTo(new VirtioCapability(null, null, null));
        }
    }

    @Nested
    class Values {
        /** The first five rows are this project's build VM: balloon, block, net, vsock, rng. */
        @ParameterizedTest
        @CsvSource(nullValues = "-", value = {
                "0x0005, 5, balloon",
                "0x0002, 2, block",
                "0x0001, 1, net",
                "0x0013, 19, vsock",
                "0x0004, 4, entropy",
                "0x0003, 3, console",
                "0x0008, 8, scsi",
                "0x0009, 9, 9p",
                "0x0010, 16, gpu",
                "0x0012, 18, input",
                "0x0014, 20, crypto",
                "0x001a, 26, fs",
                "0x001b, 27, pmem",
                "0x0000, 0, -",
                "0x0063, 99, -",
                "0xffff, 65535, -"})
        void deviceIdAndSpecName(String raw, int id, String type) {
            assertThat(SysfsValues.hexInt(raw)).isEqualTo(id);
            assertThat(VirtioReader.deviceType(id)).isEqualTo(type);
        }

        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"", "net", "0x", "0x1g", "0xffffffffff", "-0x1"})
        void garbageDeviceIdIsAbsent(String raw) {
            assertThat(SysfsValues.hexInt(raw)).isNull();
        }
    }
}
