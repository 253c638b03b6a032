package io.hostdev.probes.sysfs;

import io.hostdev.model.Device;
import io.hostdev.model.cap.StorageCapability;
import io.hostdev.model.cap.StorageCapability.Kind;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.HostRoot;
import io.hostdev.probes.testing.FakeSysfs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class StorageReaderTest {

    @Nested
    class Parsing {

        @ParameterizedTest(name = "size \"{0}\" -> {1}")
        @CsvSource(nullValues = "null", value = {
                "1048576, 536870912",
                "16384, 8388608",
                "1, 512",
                "0, 0",
                "18014398509481983, 9223372036854775296",
                "18014398509481984, null",
                "-8, null",
                "lots, null",
                "'', null",
                "null, null"})
        void sizeIsSectorsOf512BytesWhateverTheBlockSize(String text, Long expected) {
            assertThat(StorageReader.sizeInBytes(text)).isEqualTo(expected);
        }

        @ParameterizedTest(name = "positive \"{0}\" -> {1}")
        @CsvSource(nullValues = "null", value = {
                "512, 512",
                "4096, 4096",
                "0, null",
                "-512, null",
                "4294967296, null",
                "x, null",
                "null, null"})
        void blockSizesAndPartitionNumbersArePositive(String text, Integer expected) {
            assertThat(StorageReader.positiveInt(text)).isEqualTo(expected);
        }

        @ParameterizedTest(name = "text \"{0}\" -> {1}")
        @CsvSource(nullValues = "null", value = {
                "'ATA     ', ATA",
                "'Samsung SSD 980 PRO 1TB                 ', Samsung SSD 980 PRO 1TB",
                "overlayblk, overlayblk",
                "'    ', null",
                "'', null",
                "null, null"})
        void textIsStrippedOfPadding(String text, String expected) {
            assertThat(StorageReader.printableText(text)).isEqualTo(expected);
        }

        @Test
        void textWithControlCharactersOrUndecodableBytesIsAbsent() {
            assertThat(StorageReader.printableText("SER\u0001IAL")).isNull();
            assertThat(StorageReader.printableText("SER\uFFFDIAL")).isNull();
        }

        static byte[] vpd(int pageCode, int declaredLength, String body) {
            byte[] text = body.getBytes(StandardCharsets.ISO_8859_1);
            byte[] page = new byte[4 + text.length];
            page[1] = (byte) pageCode;
            page[2] = (byte) (declaredLength >> 8);
            page[3] = (byte) declaredLength;
            System.arraycopy(text, 0, page, 4, text.length);
            return page;
        }

        static Stream<Arguments> vpdPages() {
            return Stream.of(
                    Arguments.of("plain", vpd(0x80, 8, "ZDH1ABCD"), "ZDH1ABCD"),
                    Arguments.of("space padded", vpd(0x80, 21, "      WD-WCC4N1234567"), "WD-WCC4N1234567"),
                    Arguments.of("trailing pad", vpd(0x80, 12, "S1234567    "), "S1234567"),
                    Arguments.of("NUL padded", vpd(0x80, 10, "Z1Z2Z3\0\0\0\0"), "Z1Z2Z3"),
                    Arguments.of("length beyond the data", vpd(0x80, 200, "QM00001"), "QM00001"),
                    Arguments.of("data beyond the length", vpd(0x80, 4, "ABCDEFGH"), "ABCD"),
                    Arguments.of("two-byte length", vpd(0x80, 0x0105, "LONGSERIAL"), "LONGSERIAL"),
                    Arguments.of("zero length", vpd(0x80, 0, "IGNORED"), null),
                    Arguments.of("blank serial", vpd(0x80, 8, "        "), null),
                    Arguments.of("another page", vpd(0x83, 8, "ZDH1ABCD"), null),
                    Arguments.of("non-ASCII serial", vpd(0x80, 4, "AB\u00ffC"), null),
                    Arguments.of("control byte in serial", vpd(0x80, 4, "AB\u0007C"), null),
                    Arguments.of("header only", new byte[] {0, (byte) 0x80, 0, 8}, null),
                    Arguments.of("short", new byte[] {0, (byte) 0x80, 0}, null),
                    Arguments.of("empty", new byte[0], null),
                    Arguments.of("unreadable", null, null));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("vpdPages")
        void unitSerialNumberPageIsReadLeniently(String what, byte[] page, String expected) {
            assertThat(StorageReader.parseVpdSerial(page)).isEqualTo(expected);
        }

        @ParameterizedTest(name = "{0} devtype={1} [{2}] parent={3} scsi type={4} -> {5}")
        @CsvSource(nullValues = "null", value = {
                "vda1,      partition, partition size,  block,          null, PARTITION",
                "nvme0n1p2, partition, partition,       block,          null, PARTITION",
                "sda1,      null,      partition size,  block,          null, PARTITION",
                "loop0,     disk,      loop size,       null,           null, LOOP",
                "loop7,     disk,      size,            null,           null, LOOP",
                "zram0,     disk,      size,            null,           null, ZRAM",
                "dm-0,      disk,      dm size,         null,           null, DEVICE_MAPPER",
                "md127,     disk,      md size,         null,           null, MD",
                "nvme0n1,   disk,      nsid wwid,       nvme,           null, NVME_NAMESPACE",
                "nvme1n3,   disk,      wwid,            nvme-subsystem, null, NVME_NAMESPACE",
                "nvme0c0n1, disk,      nsid,            nvme,           null, NVME_NAMESPACE",
                "nvme0n1,   disk,      size,            virtio,         null, DISK",
                "sr0,       disk,      size device,     scsi,           5,    CDROM",
                "sdb,       disk,      size device,     scsi,           5,    CDROM",
                "sda,       disk,      size device,     scsi,           0,    DISK",
                "vda,       disk,      serial size,     virtio,         null, DISK",
                "mmcblk0,   disk,      size,            mmc,            null, DISK"})
        void kindRules(String sysname, String devtype, String names, String parent, Integer scsiType, Kind expected) {
            assertThat(StorageReader.kind(sysname, devtype, Set.of(names.split(" ")), parent, scsiType))
                    .isEqualTo(expected);
        }
    }

    @Nested
    class Reading {

        @TempDir
        Path root;

        FakeSysfs fs;

        @BeforeEach
        void setUp() {
            fs = new FakeSysfs(root);
        }

        FakeSysfs.Dev block(String devicesPath, String devtype, int major, int minor) {
            String name = Path.of(devicesPath).getFileName().toString();
            return fs.classDevice(devicesPath, "block")
                    .uevent("MAJOR=" + major, "MINOR=" + minor, "DEVNAME=" + name, "DEVTYPE=" + devtype)
                    .attr("ro", "0");
        }

        FakeSysfs.Dev disk(String devicesPath, int major, int minor, long sectors, int logicalBlockSize,
                boolean rotational) {
            return block(devicesPath, "disk", major, minor)
                    .attr("size", Long.toString(sectors))
                    .attr("removable", "0")
                    .attr("queue/logical_block_size", Integer.toString(logicalBlockSize))
                    .attr("queue/rotational", rotational ? "1" : "0");
        }

        FakeSysfs.Dev partition(String devicesPath, int major, int minor, int number, long start, long sectors) {
            return block(devicesPath, "partition", major, minor)
                    .uevent("PARTN=" + number)
                    .attr("partition", Integer.toString(number))
                    .attr("start", Long.toString(start))
                    .attr("size", Long.toString(sectors));
        }

        SysfsScan scan() {
            return new SysfsProbe().probe(HostFiles.of(HostRoot.of(root)));
        }

        Device device(SysfsScan scan, String devicesPath) {
            return scan.tree().devices().stream()
                    .filter(x -> ("/sys/devices/" + devicesPath).equals(x.path()))
                    .findFirst().orElseThrow(() -> new AssertionError("no device at " + devicesPath));
        }

        StorageCapability storage(SysfsScan scan, String devicesPath) {
            Device d = device(scan, devicesPath);
            return d.capability(StorageCapability.class)
                    .orElseThrow(() -> new AssertionError(devicesPath + " has no storage capability: " + d));
        }

        StorageCapability storage(String devicesPath) {
            SysfsScan scan = scan();
            assertThat(scan.problems()).isEmpty();
            return storage(scan, devicesPath);
        }

        static final String VDA = "pci0000:00/0000:00:02.0/virtio1/block/vda";

        @Test
        void virtioDiskHasItsSerialAndItsPartitionTakesTheDisksQueueValues() {
            fs.busDevice("pci0000:00/0000:00:02.0", "pci");
            fs.busDevice("pci0000:00/0000:00:02.0/virtio1", "virtio").driver("virtio", "virtio_blk");
            disk(VDA, 254, 0, 1048576, 4096, true).attr("serial", "overlayblk")
                    .link("device", "sys/devices/pci0000:00/0000:00:02.0/virtio1");
            partition(VDA + "/vda1", 254, 1, 1, 2048, 4096).attr("ro", "1");

            SysfsScan scan = scan();
            assertThat(scan.problems()).isEmpty();
            assertThat(storage(scan, VDA)).isEqualTo(new StorageCapability(Kind.DISK, "/dev/vda", 536870912L, 4096,
                    false, true, false, null, null, "overlayblk", null, null, null, null, null, null));
            assertThat(storage(scan, VDA + "/vda1")).isEqualTo(new StorageCapability(Kind.PARTITION, "/dev/vda1",
                    2097152L, 4096, false, true, true, null, null, null, null, 1, null, null, null, null));
            assertThat(device(scan, VDA + "/vda1").parent()).isEqualTo(device(scan, VDA).name());
        }

        static final String NVME0 = "pci0000:00/0000:00:01.0/0000:01:00.0/nvme/nvme0";

        @Test
        void nvmeNamespaceTakesModelAndSerialFromItsControllerAndWwnFromItself() {
            fs.busDevice("pci0000:00/0000:00:01.0/0000:01:00.0", "pci").driver("pci", "nvme");
            fs.classDevice(NVME0, "nvme")
                    .attr("model", "Samsung SSD 980 PRO 1TB                 ")
                    .attr("serial", "S5GXNF0R123456      ")
                    .attr("firmware_rev", "5B2QGXA7");
            disk(NVME0 + "/nvme0n1", 259, 0, 1953525168L, 512, false)
                    .attr("wwid", "eui.0025388b11223344")
                    .attr("nsid", "1")
                    .link("device", "sys/devices/" + NVME0);
            partition(NVME0 + "/nvme0n1/nvme0n1p1", 259, 1, 1, 2048, 1048576);
            partition(NVME0 + "/nvme0n1/nvme0n1p2", 259, 2, 2, 1050624, 1952474511L);

            SysfsScan scan = scan();
            assertThat(scan.problems()).isEmpty();
            assertThat(storage(scan, NVME0 + "/nvme0n1")).isEqualTo(new StorageCapability(Kind.NVME_NAMESPACE,
                    "/dev/nvme0n1", 1953525168L * 512, 512, false, false, false, "Samsung SSD 980 PRO 1TB", null,
                    "S5GXNF0R123456", "eui.0025388b11223344", null, null, null, null, null));
            StorageCapability p2 = storage(scan, NVME0 + "/nvme0n1/nvme0n1p2");
            assertThat(p2.kind()).isEqualTo(Kind.PARTITION);
            assertThat(p2.partition()).isEqualTo(2);
            assertThat(p2.size()).isEqualTo(1952474511L * 512);
            assertThat(p2.logicalBlockSize()).isEqualTo(512);
            assertThat(p2.rotational()).isFalse();
            assertThat(p2.model()).as("a partition does not repeat its disk's identity").isNull();
            assertThat(p2.serial()).isNull();
            assertThat(p2.wwn()).isNull();
            assertThat(storage(scan, NVME0 + "/nvme0n1/nvme0n1p1").partition()).isEqualTo(1);
        }

        static final String SDA_SCSI = "pci0000:00/0000:00:1f.2/ata1/host0/target0:0:0/0:0:0:0";

        @Test
        void scsiDiskReadsVendorModelWwidAndTheSerialFromVpdPage80() {
            fs.busDevice("pci0000:00/0000:00:1f.2", "pci");
            fs.busDevice(SDA_SCSI, "scsi")
                    .attr("type", "0")
                    .attr("vendor", "ATA     ")
                    .attr("model", "ST1000DM003-1CH1")
                    .attr("wwid", "naa.5000c500a1b2c3d4")
                    .rawAttr("vpd_pg80", Parsing.vpd(0x80, 20, "            Z1D5ABCD"));
            disk(SDA_SCSI + "/block/sda", 8, 0, 1953525168L, 512, true)
                    .link("device", "sys/devices/" + SDA_SCSI);
            partition(SDA_SCSI + "/block/sda/sda1", 8, 1, 1, 2048, 1000000);

            SysfsScan scan = scan();
            assertThat(scan.problems()).isEmpty();
            assertThat(storage(scan, SDA_SCSI + "/block/sda")).isEqualTo(new StorageCapability(Kind.DISK, "/dev/sda",
                    1953525168L * 512, 512, false, true, false, "ST1000DM003-1CH1", "ATA", "Z1D5ABCD",
                    "naa.5000c500a1b2c3d4", null, null, null, null, null));
            StorageCapability sda1 = storage(scan, SDA_SCSI + "/block/sda/sda1");
            assertThat(sda1.vendor()).isNull();
            assertThat(sda1.rotational()).isTrue();
        }

        @Test
        void scsiRomDeviceIsACdrom() {
            String sr = "pci0000:00/0000:00:1f.2/ata2/host1/target1:0:0/1:0:0:0";
            fs.busDevice(sr, "scsi").attr("type", "5").attr("vendor", "QEMU    ").attr("model", "QEMU DVD-ROM    ");
            block(sr + "/block/sr0", "disk", 11, 0).attr("size", "0").attr("removable", "1")
                    .attr("queue/logical_block_size", "2048").attr("queue/rotational", "1")
                    .link("device", "sys/devices/" + sr);
            StorageCapability cd = storage(sr + "/block/sr0");
            assertThat(cd.kind()).isEqualTo(Kind.CDROM);
            assertThat(cd.size()).isZero();
            assertThat(cd.removable()).isTrue();
            assertThat(cd.model()).isEqualTo("QEMU DVD-ROM");
            assertThat(cd.serial()).as("no vpd_pg80").isNull();
        }

        @Test
        void boundLoopDeviceNamesItsBackingFile() {
            disk("virtual/block/loop0", 7, 0, 16384, 512, false)
                    .attr("loop/backing_file", "/var/lib/images/disk.img")
                    .attr("loop/offset", "0");
            StorageCapability loop = storage("virtual/block/loop0");
            assertThat(loop).isEqualTo(new StorageCapability(Kind.LOOP, "/dev/loop0", 8388608L, 512, false, false,
                    false, null, null, null, null, null, "/var/lib/images/disk.img", null, null, null));
        }

        @Test
        void emptyLoopDeviceHasSizeZeroAndNoBackingFile() {
            disk("virtual/block/loop1", 7, 1, 0, 512, false);
            StorageCapability loop = storage("virtual/block/loop1");
            assertThat(loop.kind()).isEqualTo(Kind.LOOP);
            assertThat(loop.size()).isZero();
            assertThat(loop.backingFile()).isNull();
        }

        @Test
        void zramDevice() {
            disk("virtual/block/zram0", 253, 0, 0, 4096, false).attr("disksize", "0").attr("comp_algorithm", "lzo");
            StorageCapability zram = storage("virtual/block/zram0");
            assertThat(zram.kind()).isEqualTo(Kind.ZRAM);
            assertThat(zram.logicalBlockSize()).isEqualTo(4096);
        }

        @Test
        void deviceMapperAndMdAreKnownByTheirDirectories() {
            disk("virtual/block/dm-0", 252, 0, 2048, 512, false).attr("dm/name", "vg0-root")
                    .attr("dm/uuid", "LVM-abc");
            disk("virtual/block/md127", 9, 127, 4096, 512, false).attr("md/level", "raid1");
            SysfsScan scan = scan();
            assertThat(storage(scan, "virtual/block/dm-0").kind()).isEqualTo(Kind.DEVICE_MAPPER);
            assertThat(storage(scan, "virtual/block/md127").kind()).isEqualTo(Kind.MD);
        }

        @Test
        void partitionWhoseDiskIsMissingKeepsItsOwnValuesOnly() {
            partition("virtual/block/orphan1", 8, 17, 1, 2048, 100);
            StorageCapability p = storage("virtual/block/orphan1");
            assertThat(p.kind()).isEqualTo(Kind.PARTITION);
            assertThat(p.size()).isEqualTo(51200L);
            assertThat(p.logicalBlockSize()).isNull();
            assertThat(p.removable()).isNull();
        }

        @Test
        void binaryGarbageEverywhereMakesValuesAbsentNotErrors() {
            byte[] junk = {(byte) 0xff, 0x00, (byte) 0xfe, 0x01, '\n', (byte) 0x80, ' ', 'x'};
            String sd = "pci0000:00/0000:00:1f.2/ata3/host2/target2:0:0/2:0:0:0";
            FakeSysfs.Dev scsi = fs.busDevice(sd, "scsi");
            for (String attr : List.of("type", "vendor", "model", "wwid", "vpd_pg80")) {
                scsi.rawAttr(attr, junk);
            }
            FakeSysfs.Dev d = block(sd + "/block/sdc", "disk", 8, 32).link("device", "sys/devices/" + sd);
            for (String attr : List.of("size", "ro", "removable", "serial", "wwid", "queue/logical_block_size",
                    "queue/rotational")) {
                d.rawAttr(attr, junk);
            }
            FakeSysfs.Dev loop = block("virtual/block/loop3", "disk", 7, 3);
            loop.rawAttr("loop/backing_file", junk);
            loop.rawAttr("size", junk);

            SysfsScan scan = scan();
            assertThat(scan.problems()).isEmpty();
            assertThat(storage(scan, sd + "/block/sdc")).isEqualTo(new StorageCapability(Kind.DISK, "/dev/sdc", null,
                    null, null, null, null, null, null, null, null, null, null, null, null, null));
            assertThat(storage(scan, "virtual/block/loop3")).isEqualTo(new StorageCapability(Kind.LOOP, "/dev/loop3",
                    null, null, null, null, false, null, null, null, null, null, null, null, null, null));
        }

        @Test
        void virtioDiskDoesNotProbeScsiOrNvmeFiles() {
            fs.busDevice("pci0000:00/0000:00:02.0/virtio1", "virtio");
            disk(VDA, 254, 0, 8, 512, true)
                    .link("device", "sys/devices/pci0000:00/0000:00:02.0/virtio1");
            HostFiles files = HostFiles.recording(HostRoot.of(root));
            new SysfsProbe().probe(files);
            assertThat(files.accesses()).extracting(a -> a.path().toString())
                    .noneMatch(p -> p.contains("vpd_pg80") || p.endsWith("/device/model")
                            || p.endsWith("/device/serial") || p.endsWith("vda/serial") || p.endsWith("vda/wwid")
                            || p.contains("backing_file"));
        }
    }
}
