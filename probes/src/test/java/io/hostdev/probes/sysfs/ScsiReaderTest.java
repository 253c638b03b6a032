package io.hostdev.probes.sysfs;

import io.hostdev.model.DeviceTree;
import io.hostdev.model.cap.ScsiCapability;
import io.hostdev.model.cap.ScsiGenericCapability;
import io.hostdev.model.cap.ScsiHostCapability;
import io.hostdev.model.cap.ScsiTargetCapability;
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

import static io.hostdev.probes.sysfs.BusScans.cap;
import static io.hostdev.probes.sysfs.BusScans.device;
import static io.hostdev.probes.sysfs.BusScans.scan;
import static org.assertj.core.api.Assertions.assertThat;

class ScsiReaderTest {

    private static final String HOST = "pci0000:00/0000:00:1f.2/ata1/host0";
    private static final String LUN = HOST + "/target0:0:0/0:0:0:0";

    @Nested
    class OnAnAhciHostWithADisk {

        @TempDir
        Path root;

        DeviceTree tree() {
            FakeSysfs fs = new FakeSysfs(root);
            fs.busDevice(HOST, "scsi").uevent("DEVTYPE=scsi_host");
            fs.classDevice(HOST + "/scsi_host/host0", "scsi_host").attr("unique_id", "1").attr("proc_name", "ahci");
            fs.busDevice(HOST + "/target0:0:0", "scsi").uevent("DEVTYPE=scsi_target");
            fs.busDevice(LUN, "scsi").uevent("DEVTYPE=scsi_device").driver("scsi", "sd")
                    .attr("type", "0").attr("vendor", "ATA     ").attr("model", "Samsung SSD 860 ")
                    .attr("rev", "4B6Q");
            fs.classDevice(LUN + "/scsi_generic/sg0", "scsi_generic").uevent("MAJOR=21", "MINOR=0", "DEVNAME=sg0");
            fs.classDevice(LUN + "/scsi_device/0:0:0:0", "scsi_device");
            fs.classDevice(LUN + "/block/sda", "block").uevent("DEVTYPE=disk", "DEVNAME=sda");
            return scan(root);
        }

        @Test
        void hostTakesItsIdAndDriverNameFromItsClassDevice() {
            assertThat(cap(tree(), "scsi_host0", ScsiHostCapability.class))
                    .isEqualTo(new ScsiHostCapability(0, 1L, "ahci"));
        }

        @Test
        void targetIsNamedAndNumberedFromItsSysname() {
            DeviceTree tree = tree();
            assertThat(device(tree, "scsi_target0_0_0").parent()).isEqualTo("scsi_host0");
            assertThat(cap(tree, "scsi_target0_0_0", ScsiTargetCapability.class))
                    .isEqualTo(new ScsiTargetCapability("target0:0:0", 0, 0, 0));
        }

        @Test
        void logicalUnitHasItsAddressKindAndUnpaddedInquiryStrings() {
            DeviceTree tree = tree();
            assertThat(device(tree, "scsi_0_0_0_0").parent()).isEqualTo("scsi_target0_0_0");
            assertThat(cap(tree, "scsi_0_0_0_0", ScsiCapability.class)).isEqualTo(
                    new ScsiCapability(0, 0, 0, 0L, 0, "disk", "ATA", "Samsung SSD 860", "4B6Q"));
        }

        @Test
        void genericNodeCarriesItsDevnodeUnderItsLogicalUnit() {
            DeviceTree tree = tree();
            assertThat(device(tree, "scsi_generic_sg0").parent()).isEqualTo("scsi_0_0_0_0");
            assertThat(cap(tree, "scsi_generic_sg0", ScsiGenericCapability.class))
                    .isEqualTo(new ScsiGenericCapability("/dev/sg0"));
        }

        @Test
        void classDevicesInsideTheScsiDevicesAreNotScsiCapabilities() {
            DeviceTree tree = tree();
            assertThat(device(tree, "scsi_host_host0").capabilityTypes()).containsExactly("generic");
            assertThat(device(tree, "scsi_device_0_0_0_0").capabilityTypes()).containsExactly("generic");
        }
    }

    @Nested
    class OnHostileInput {

        @TempDir
        Path root;

        @Test
        void garbageInEveryAttributeLeavesNumbersAndKindAbsent() {
            FakeSysfs fs = new FakeSysfs(root);
            fs.busDevice(HOST, "scsi").uevent("DEVTYPE=scsi_host");
            FakeSysfs.Dev cls = fs.classDevice(HOST + "/scsi_host/host0", "scsi_host");
            List.of("unique_id", "proc_name").forEach(a -> cls.rawAttr(a, BusScans.GARBAGE));
            FakeSysfs.Dev lun = fs.busDevice(LUN, "scsi").uevent("DEVTYPE=scsi_device");
            List.of("type", "vendor", "model", "rev").forEach(a -> lun.rawAttr(a, BusScans.GARBAGE));

            DeviceTree tree = scan(root);

            assertThat(cap(tree, "scsi_host0", ScsiHostCapability.class).uniqueId()).isNull();
            ScsiCapability s = cap(tree, "scsi_0_0_0_0", ScsiCapability.class);
            assertThat(s.peripheralType()).isNull();
            assertThat(s.kind()).isNull();
            assertThat(s.lun()).isZero();
        }

        @Test
        void hostWithoutItsClassDeviceHasOnlyItsNumber() {
            FakeSysfs fs = new FakeSysfs(root);
            fs.busDevice(HOST, "scsi").uevent("DEVTYPE=scsi_host");
            assertThat(cap(scan(root), "scsi_host0", ScsiHostCapability.class))
                    .isEqualTo(new ScsiHostCapability(0, null, null));
        }

        @Test
        void unknownPeripheralTypeKeepsTheNumberWithoutAName() {
            FakeSysfs fs = new FakeSysfs(root);
            fs.busDevice(LUN, "scsi").uevent("DEVTYPE=scsi_device").attr("type", "11");
            ScsiCapability s = cap(scan(root), "scsi_0_0_0_0", ScsiCapability.class);
            assertThat(s.peripheralType()).isEqualTo(11);
            assertThat(s.kind()).isNull();
        }

        @Test
        void aNameThatIsNoScsiAddressStaysGeneric() {
            FakeSysfs fs = new FakeSysfs(root);
            fs.busDevice(HOST + "/0:0:x:0", "scsi").uevent("DEVTYPE=scsi_device");
            fs.busDevice("platform/hostX", "scsi").uevent("DEVTYPE=scsi_host");
            DeviceTree tree = scan(root);
            assertThat(device(tree, "scsi_0_0_x_0").capabilityTypes()).containsExactly("generic");
            assertThat(device(tree, "scsi_hostX").capabilityTypes()).containsExactly("generic");
        }

        @Test
        void sgNodeWithoutDevnameHasNoDevnode() {
            FakeSysfs fs = new FakeSysfs(root);
            fs.classDevice("virtual/scsi_generic/sg3", "scsi_generic");
            assertThat(cap(scan(root), "scsi_generic_sg3", ScsiGenericCapability.class).devnode()).isNull();
        }
    }

    @Nested
    class Names {
        @ParameterizedTest
        @CsvSource({
                "0:0:0:0, 0, 0, 0, 0",
                "2:0:1:3, 2, 0, 1, 3",
                "10:1:65535:16384, 10, 1, 65535, 16384",
                "1:2:3:4611686018427387904, 1, 2, 3, 4611686018427387904",
                "0:0:0:9223372036854775807, 0, 0, 0, 9223372036854775807",
                "2147483647:0:0:0, 2147483647, 0, 0, 0"})
        void addressParsesFourNumbersWithA64BitLun(String name, int host, int channel, int target, long lun) {
            assertThat(ScsiReader.address(name)).isEqualTo(new ScsiReader.Address(host, channel, target, lun));
        }

        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"", "0:0:0", "0:0:0:0:0", "0::0:0", "a:0:0:0", "0:0:0:-1", "0:0:0:+1", " 0:0:0:0",
                "0:0:0:0 ", "0:0:0:0x1", "0:0:0:9223372036854775808", "0:0:0:18446744073709551615",
                "2147483648:0:0:0", "target0:0:0", "host0", "0:0:0:\u0661"})
        void anythingElseIsNoAddress(String name) {
            assertThat(ScsiReader.address(name)).isNull();
        }

        @ParameterizedTest
        @CsvSource({"target0:0:0, 0, 0, 0", "target7:1:12, 7, 1, 12"})
        void targetParsesThreeNumbers(String name, int host, int channel, int target) {
            assertThat(ScsiReader.target(name)).isEqualTo(new ScsiReader.Address(host, channel, target, 0));
        }

        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"", "target", "target0:0", "target0:0:0:0", "0:0:0", "targetx:0:0", "Target0:0:0"})
        void malformedTargetIsAbsent(String name) {
            assertThat(ScsiReader.target(name)).isNull();
        }

        @ParameterizedTest
        @CsvSource({"host0, 0", "host12, 12"})
        void hostNumberFollowsHost(String name, int expected) {
            assertThat(ScsiReader.hostNumber(name)).isEqualTo(expected);
        }

        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"", "host", "hostx", "host-1", "host 1", "ghost1", "host99999999999"})
        void malformedHostIsAbsent(String name) {
            assertThat(ScsiReader.hostNumber(name)).isNull();
        }

        @ParameterizedTest
        @CsvSource(nullValues = "-", value = {
                "scsi_host, whatever, HOST",
                "scsi_target, whatever, TARGET",
                "scsi_device, whatever, DEVICE",
                "scsi_something, host0, -",
                "-, host3, HOST",
                "-, target3:0:1, TARGET",
                "-, 3:0:1:2, DEVICE",
                "-, sda, -",
                "-, -, -"})
        void devtypeDecidesAndTheNameStandsInWhenItIsMissing(String devtype, String name, ScsiReader.Kind expected) {
            assertThat(ScsiReader.kind(devtype, name)).isEqualTo(expected);
        }
    }

    @Nested
    class Values {
        @ParameterizedTest
        @CsvSource(nullValues = "-", value = {
                "0, disk", "1, tape", "2, printer", "3, processor", "4, worm", "5, cdrom", "6, scanner",
                "7, mod", "8, changer", "9, comm", "10, -", "11, -", "12, raid", "13, enclosure", "14, rbc",
                "15, ocrw", "16, bridge", "17, osd", "18, adc", "19, -", "20, zbc", "30, wlun", "31, -"})
        void peripheralTypeNamesFollowSpc(int type, String kind) {
            assertThat(ScsiReader.peripheralType(Integer.toString(type))).isEqualTo(type);
            assertThat(ScsiReader.peripheralKind(type)).isEqualTo(kind);
        }

        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"", "32", "-1", "0x5", "disk", "99999999999"})
        void peripheralTypeOutsideItsFiveBitsIsAbsent(String raw) {
            assertThat(ScsiReader.peripheralType(raw)).isNull();
        }

        @ParameterizedTest
        @CsvSource({"0, 0", "1, 1", "4294967295, 4294967295"})
        void uniqueIdIsUnsigned32Bit(String raw, long expected) {
            assertThat(ScsiReader.uniqueId(raw)).isEqualTo(expected);
        }

        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"", "4294967296", "-1", "x"})
        void uniqueIdOutOfRangeIsAbsent(String raw) {
            assertThat(ScsiReader.uniqueId(raw)).isNull();
        }
    }
}
