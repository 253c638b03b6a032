package io.hostdev.probes.sysfs;

import io.hostdev.model.cap.IdName;
import io.hostdev.model.cap.PciAddress;
import io.hostdev.model.cap.PciCapability;
import io.hostdev.model.cap.PciCapability.Resource;
import io.hostdev.model.cap.PciCapability.ResourceKind;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.HostRoot;
import io.hostdev.probes.testing.FakeSysfs;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class PciReaderTest {

    @Nested
    class Parsing {

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "2.5 GT/s PCIe  | 2.5",
                "5.0 GT/s PCIe  | 5.0",
                "8.0 GT/s PCIe  | 8.0",
                "16.0 GT/s PCIe | 16.0",
                "32.0 GT/s PCIe | 32.0",
                "64.0 GT/s PCIe | 64.0",
                "2.5 GT/s       | 2.5",
                "5 GT/s         | 5.0",
                "8 GT/s         | 8.0",
                "2.5GT/s        | 2.5",
                "'8.0 GT/s PCIe\n' | 8.0",
        })
        void speedIsGigatransfersPerSecond(String text, double expected) {
            assertThat(PciReader.parseSpeed(text)).isEqualTo(expected);
        }

        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"Unknown", "Unknown speed", "", "0 GT/s", "0.0 GT/s PCIe", "GT/s", "8.0", "8.0 MB/s",
                "-8.0 GT/s", "8.0 GT/sPCIe", "1e3 GT/s", "NaN GT/s", "\u0663 GT/s", "8.0 GT/s\n5.0 GT/s",
                "99999999999999999999 GT/s"})
        void unknownOrGarbageSpeedIsAbsent(String text) {
            assertThat(PciReader.parseSpeed(text)).isNull();
        }

        @ParameterizedTest
        @CsvSource({"1, 1", "2, 2", "4, 4", "8, 8", "12, 12", "16, 16", "32, 32", "x16, 16", "X8, 8", "' 4\n', 4"})
        void widthIsALaneCount(String text, int expected) {
            assertThat(PciReader.parseWidth(text)).isEqualTo(expected);
        }

        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"0", "255", "63", "33", "-1", "", "x", "16x", "sixteen", "0x10", "1.5", "\uff11\uff16"})
        void zeroUnknownAndImpossibleWidthsAreAbsent(String text) {
            assertThat(PciReader.parseWidth(text)).isNull();
        }

        @Test
        void linkIsAbsentWhenNoneOfItsAttributesSaysAnything() {
            assertThat(PciReader.link(null, null, null, null)).isNull();
            // a VF: the attributes exist, its link registers are reserved
            assertThat(PciReader.link("Unknown", "0", "Unknown", "0")).isNull();
        }

        @Test
        void linkKeepsWhatIsKnownOfEachState() {
            PciCapability.Link link = PciReader.link("8.0 GT/s PCIe", "8", "2.5 GT/s PCIe", "4");
            assertThat(link.max()).isEqualTo(new PciCapability.LinkState(8.0, 8));
            assertThat(link.current()).isEqualTo(new PciCapability.LinkState(2.5, 4));

            PciCapability.Link down = PciReader.link("16.0 GT/s PCIe", "16", "Unknown", "0");
            assertThat(down.max()).isEqualTo(new PciCapability.LinkState(16.0, 16));
            assertThat(down.current()).isNull();

            PciCapability.Link halfKnown = PciReader.link(null, "x16", "Unknown speed", "255");
            assertThat(halfKnown.max()).isEqualTo(new PciCapability.LinkState(null, 16));
            assertThat(halfKnown.current()).isNull();
        }

        @ParameterizedTest
        @CsvSource({"8086:1572, 0x8086, 0x1572", "1AF4:1045, 0x1af4, 0x1045", "0:0, 0x0000, 0x0000"})
        void ueventIdPairsSplitAtTheColon(String text, String first, String second) {
            assertThat(PciReader.parseIdPair(text)).containsExactly(first, second);
        }

        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"", "8086", "8086:", ":1572", "8086:1572:1", "80861:1572", "g086:1572"})
        void malformedIdPairsAreAbsent(String text) {
            assertThat(PciReader.parseIdPair(text)).isNull();
        }

        @ParameterizedTest
        @CsvSource(value = {"0, 0", "1, 1", "'3\n', 3", "-1, ", "garbage, ", "'', ", "-7, "})
        void numaNodeMinusOneMeansNoNumaInformation(String text, Integer expected) {
            assertThat(PciReader.parseNumaNode(text)).isEqualTo(expected);
        }

        @ParameterizedTest
        @CsvSource(value = {"virtfn0, 0", "virtfn12, 12", "virtfn, ", "virtfnx, ", "physfn, ", "xvirtfn1, ",
                "virtfn-1, "})
        void virtfnLinksAreNumbered(String name, Integer expected) {
            assertThat(PciReader.virtfnIndex(name)).isEqualTo(expected);
        }

        @Test
        void iommuGroupMembersArePciAddressesInOrderThenOthersByName() {
            assertThat(PciReader.sortMembers(List.of("0000:00:1f.3", "fe000000.usb", "0000:00:02.0",
                    "0001:00:00.0", "0000:00:1f.0", "a0000.dma")))
                    .containsExactly("0000:00:02.0", "0000:00:1f.0", "0000:00:1f.3", "0001:00:00.0", "a0000.dma",
                            "fe000000.usb");
        }

        @ParameterizedTest
        @CsvSource(value = {"vfio-pci, true", "pci-stub, true", "xen-pciback, true", "pciback, true",
                "mlx5_vfio_pci, true", "i40e, false", "virtio-pci, false", "nvidia, false", "vfio, false", ", false"})
        void assignableMeansHeldForAGuest(String driver, boolean expected) {
            assertThat(PciReader.isAssignable(driver)).isEqualTo(expected);
        }

        @Test
        void subsystemZeroZeroIsNoSubsystemId() {
            assertThat(PciReader.hasSubsystemId("0x0000", "0x0000")).isFalse();
            assertThat(PciReader.hasSubsystemId("0x1af4", "0x1100")).isTrue();
            assertThat(PciReader.hasSubsystemId("0x0000", "0x0001")).isTrue();
        }
    }

    @Nested
    class Resources {

        static Stream<Arguments> lines() {
            return Stream.of(
                    Arguments.of("0x00000000fe000000 0x00000000fe7fffff 0x0000000000040200",
                            new Resource(3, ResourceKind.MMIO, 0xfe000000L, 0xfe7fffffL, 0x40200)),
                    Arguments.of("0x000000000000c000 0x000000000000c03f 0x0000000000040101",
                            new Resource(3, ResourceKind.IO, 0xc000, 0xc03f, 0x40101)),
                    Arguments.of("0x0000004000000000 0x000000400007ffff 0x0000000000140204",
                            new Resource(3, ResourceKind.MMIO, 0x40_0000_0000L, 0x40_0007_ffffL, 0x140204)),
                    Arguments.of("0xFFFFFFFF00000000 0xFFFFFFFFFFFFFFFF 0x0000000000000200",
                            new Resource(3, ResourceKind.MMIO, 0xffffffff00000000L, -1L, 0x200)),
                    Arguments.of("  0x0000000000001000\t0x0000000000001fff  0x0000000000000101\r",
                            new Resource(3, ResourceKind.IO, 0x1000, 0x1fff, 0x101)));
        }

        @ParameterizedTest
        @MethodSource("lines")
        void aLineIsATypedRange(String line, Resource expected) {
            assertThat(PciReader.parseResourceLine(3, line)).isEqualTo(expected);
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "0x0000000000000000 0x0000000000000000 0x0000000000000000",
                "0x0000000000000000 0x0000000000000000 0x0000000000000200",
                "0x00000000fe000000 0x00000000fe7fffff 0x0000000000000000",
                "0x00000000fe000000 0x00000000fe7fffff 0x0000000000002000",
                "0x00000000fe000000 0x00000000fe7fffff 0x0000000000000300",
                "0x00000000fe7fffff 0x00000000fe000000 0x0000000000000200",
                "0x00000000fe000000 0x00000000fe7fffff",
                "0x00000000fe000000 0x00000000fe7fffff 0x0000000000000200 0x1",
                "00000000fe000000 00000000fe7fffff 0000000000000200",
                "0x00000000fe00000g 0x00000000fe7fffff 0x0000000000000200",
                "0x100000000000000000 0x00000000fe7fffff 0x0000000000000200",
                "0x 0x1 0x200",
                "",
                "\u0000\u00ff\ufffd",
        })
        void unusedUntypedAndGarbageLinesAreSkipped(String line) {
            assertThat(PciReader.parseResourceLine(0, line)).isNull();
        }

        @Test
        void theLineNumberIsTheIndexEvenAfterSkippedLines() {
            String text = String.join("\n",
                    "0x00000000fe000000 0x00000000fe000fff 0x0000000000040200",
                    "garbage that once was BAR 1",
                    "0x0000000000000000 0x0000000000000000 0x0000000000000000",
                    "0x000000000000c000 0x000000000000c01f 0x0000000000040101",
                    "0x0000000000000000 0x0000000000000000 0x0000000000000000",
                    "0x0000000000000000 0x0000000000000000 0x0000000000000000",
                    "0x00000000fe800000 0x00000000fe83ffff 0x0000000000046200");
            assertThat(PciReader.parseResources(text)).containsExactly(
                    new Resource(0, ResourceKind.MMIO, 0xfe000000L, 0xfe000fffL, 0x40200),
                    new Resource(3, ResourceKind.IO, 0xc000, 0xc01f, 0x40101),
                    new Resource(6, ResourceKind.MMIO, 0xfe800000L, 0xfe83ffffL, 0x46200));
        }

        @Test
        void noFileMeansNoResources() {
            assertThat(PciReader.parseResources(null)).isEmpty();
            assertThat(PciReader.parseResources("")).isEmpty();
        }
    }

    @Nested
    class ReadingADevice {

        @TempDir
        Path root;

        FakeSysfs fs;

        PciCapability read(FakeSysfs.Dev dev) {
            HostFiles files = HostFiles.of(HostRoot.of(root));
            SysfsDevice d = new SysfsDevice(dev.dir(), "/" + dev.path(), dev.dir().getFileName().toString(), "pci",
                    SysfsDevice.parseUevent(files.read(dev.dir().resolve("uevent"))));
            return new PciReader().read(d, new ScanContext(files, List.of(d)));
        }

        FakeSysfs.Dev function(String below, String address, String id, String subsys, String cls) {
            if (fs == null) {
                fs = new FakeSysfs(root);
            }
            return fs.busDevice(below + address, "pci").uevent("PCI_CLASS=" + cls, "PCI_ID=" + id,
                    "PCI_SUBSYS_ID=" + subsys, "PCI_SLOT_NAME=" + address);
        }

        @Test
        void anSriovPhysicalFunctionListsItsVirtualFunctionsInIndexOrderAndEachPointsBack() {
            String bridge = "pci0000:00/0000:00:02.0/";
            FakeSysfs.Dev pf = function(bridge, "0000:03:00.0", "8086:1572", "8086:0001", "20000")
                    .driver("pci", "i40e")
                    .attr("revision", "0x01").attr("numa_node", "1")
                    .attr("max_link_speed", "8.0 GT/s PCIe").attr("max_link_width", "8")
                    .attr("current_link_speed", "8.0 GT/s PCIe").attr("current_link_width", "8")
                    .attr("sriov_totalvfs", "64").attr("sriov_numvfs", "2")
                    .attr("resource", String.join("\n",
                            "0x0000380000000000 0x0000380000ffffff 0x000000000014220c",
                            "0x0000000000000000 0x0000000000000000 0x0000000000000000",
                            "0x0000000000000000 0x0000000000000000 0x0000000000000000",
                            "0x0000380001800000 0x0000380001807fff 0x000000000014220c"));
            // VF 10 sorts before VF 2 as text: the order must be numeric
            String[] vfs = {"0000:03:02.0", "0000:03:02.1", "0000:03:03.2"};
            int[] index = {0, 2, 10};
            List<FakeSysfs.Dev> vfDevs = new java.util.ArrayList<>();
            for (int i = vfs.length - 1; i >= 0; i--) {
                vfDevs.add(function(bridge, vfs[i], "8086:154c", "8086:0000", "20000").driver("pci", "iavf")
                        .attr("current_link_speed", "Unknown").attr("current_link_width", "0")
                        .link("physfn", pf.path()));
                pf.link("virtfn" + index[i], "sys/devices/" + bridge + vfs[i]);
            }

            PciCapability p = read(pf);
            assertThat(p.address()).isEqualTo(PciAddress.parse("0000:03:00.0").orElseThrow());
            assertThat(p.vendor()).isEqualTo(IdName.of("0x8086"));
            assertThat(p.product()).isEqualTo(IdName.of("0x1572"));
            assertThat(p.subsystemVendor()).isEqualTo(IdName.of("0x8086"));
            assertThat(p.subsystemProduct()).isEqualTo(IdName.of("0x0001"));
            assertThat(p.deviceClass()).isEqualTo(IdName.of("0x020000"));
            assertThat(p.revision()).isEqualTo("0x01");
            assertThat(p.numaNode()).isEqualTo(1);
            assertThat(p.link()).isEqualTo(new PciCapability.Link(new PciCapability.LinkState(8.0, 8),
                    new PciCapability.LinkState(8.0, 8)));
            assertThat(p.sriov()).isEqualTo(new PciCapability.Sriov(64, 2,
                    List.of("0000:03:02.0", "0000:03:02.1", "0000:03:03.2"), null));
            assertThat(p.resources()).extracting(PciCapability.Resource::index).containsExactly(0, 3);
            assertThat(p.resources()).allMatch(r -> r.kind() == ResourceKind.MMIO);
            assertThat(p.assignable()).isFalse();

            for (FakeSysfs.Dev vf : vfDevs) {
                PciCapability v = read(vf);
                assertThat(v.sriov()).isEqualTo(new PciCapability.Sriov(null, null, List.of(), "0000:03:00.0"));
                assertThat(v.product()).isEqualTo(IdName.of("0x154c"));
                // a VF's link registers are reserved: the kernel prints Unknown / 0
                assertThat(v.link()).isNull();
            }
        }

        @Test
        void aGpuAloneInItsIommuGroupBoundToVfioIsAssignable() {
            FakeSysfs.Dev gpu = function("pci0000:00/0000:00:03.0/", "0000:41:00.0", "10DE:1DB6", "10DE:124A", "30200")
                    .driver("pci", "vfio-pci")
                    .attr("revision", "0xa1").attr("numa_node", "-1")
                    .link("iommu_group", "sys/kernel/iommu_groups/27");
            fs.symlink("sys/kernel/iommu_groups/27/devices/0000:41:00.0",
                    "../../../../devices/pci0000:00/0000:00:03.0/0000:41:00.0");

            PciCapability p = read(gpu);
            assertThat(p.vendor().id()).isEqualTo("0x10de");
            assertThat(p.product().id()).isEqualTo("0x1db6");
            assertThat(p.deviceClass().id()).isEqualTo("0x030200");
            assertThat(p.iommuGroup()).isEqualTo(new PciCapability.IommuGroup(27, List.of("0000:41:00.0")));
            assertThat(p.numaNode()).isNull();
            assertThat(p.assignable()).isTrue();
        }

        @Test
        void iommuGroupListsEveryMemberSorted() {
            FakeSysfs.Dev f = function("pci0000:00/", "0000:00:1f.0", "8086:a304", "0:0", "60100")
                    .link("iommu_group", "sys/kernel/iommu_groups/9");
            for (String m : List.of("0000:00:1f.5", "0000:00:1f.0", "0000:00:1f.4", "0000:00:1f.3")) {
                fs.symlink("sys/kernel/iommu_groups/9/devices/" + m, "../../../../devices/pci0000:00/" + m);
            }
            PciCapability p = read(f);
            assertThat(p.iommuGroup().number()).isEqualTo(9);
            assertThat(p.iommuGroup().members())
                    .containsExactly("0000:00:1f.0", "0000:00:1f.3", "0000:00:1f.4", "0000:00:1f.5");
            assertThat(p.subsystemVendor()).isNull();
            assertThat(p.subsystemProduct()).isNull();
        }

        @Test
        void aDeviceWithNoneOfTheOptionalAttributesHasOnlyItsIds() {
            // this VM's host bridge: uevent and nothing else worth reading
            FakeSysfs.Dev bridge = function("pci0000:00/", "0000:00:00.0", "8086:0D57", "0000:0000", "60000")
                    .attr("resource", String.join("\n", java.util.Collections.nCopies(7,
                            "0x0000000000000000 0x0000000000000000 0x0000000000000000")));
            PciCapability p = read(bridge);
            assertThat(p).isEqualTo(new PciCapability(PciAddress.parse("00:00.0").orElseThrow(),
                    IdName.of("0x8086"), IdName.of("0x0d57"), null, null, IdName.of("0x060000"),
                    null, null, null, null, null, List.of(), false));
        }

        @Test
        void idsComeFromAttributesWhenUeventLacksThem() {
            fs = new FakeSysfs(root);
            FakeSysfs.Dev f = fs.busDevice("pci0000:00/0000:00:01.0", "pci")
                    .attr("vendor", "0x1af4").attr("device", "0x1045")
                    .attr("subsystem_vendor", "0x1af4").attr("subsystem_device", "0x1100")
                    .attr("class", "0x00ff00").attr("revision", "0x01");
            PciCapability p = read(f);
            assertThat(p.vendor().id()).isEqualTo("0x1af4");
            assertThat(p.product().id()).isEqualTo("0x1045");
            assertThat(p.subsystemVendor().id()).isEqualTo("0x1af4");
            assertThat(p.subsystemProduct().id()).isEqualTo("0x1100");
            assertThat(p.deviceClass().id()).isEqualTo("0x00ff00");
            assertThat(p.revision()).isEqualTo("0x01");
        }

        @Test
        void ueventIdsWinOverAttributes() {
            // reading the attribute would cost a syscall; the uevent value is already in memory
            FakeSysfs.Dev f = function("pci0000:00/", "0000:00:02.0", "1AF4:1042", "1AF4:1100", "18000")
                    .attr("vendor", "0x9999").attr("class", "0x999999");
            PciCapability p = read(f);
            assertThat(p.vendor().id()).isEqualTo("0x1af4");
            assertThat(p.deviceClass().id()).isEqualTo("0x018000");
        }

        @Test
        void everyAttributeGarbageLeavesEveryValueAbsent() {
            fs = new FakeSysfs(root);
            byte[] junk = {(byte) 0xff, 0, (byte) 0xfe, '\n', '\r', 'x', (byte) 0xc3};
            FakeSysfs.Dev f = fs.busDevice("pci0000:00/not-an-address", "pci")
                    .uevent("PCI_ID=zz:yy", "PCI_SUBSYS_ID=::", "PCI_CLASS=0x1000000", "PCI_SLOT_NAME=00:99.9");
            for (String name : List.of("vendor", "device", "subsystem_vendor", "subsystem_device", "class", "revision",
                    "numa_node", "max_link_speed", "max_link_width", "current_link_speed", "current_link_width",
                    "sriov_totalvfs", "sriov_numvfs", "resource")) {
                f.rawAttr(name, junk);
            }
            f.link("iommu_group", "sys/kernel/iommu_groups/not-a-number");
            f.link("virtfn0", "sys/devices/pci0000:00/garbage");
            f.link("virtfnX", "sys/devices/pci0000:00/0000:00:09.0");

            PciCapability[] p = new PciCapability[1];
            assertThatCode(() -> p[0] = read(f)).doesNotThrowAnyException();
            assertThat(p[0]).isEqualTo(new PciCapability(null, null, null, null, null, null, null, null, null, null,
                    null, List.of(), false));
        }

        @Test
        void emptyUeventStillFindsTheDriverThroughItsLink() {
            fs = new FakeSysfs(root);
            FakeSysfs.Dev f = fs.busDevice("pci0000:00/0000:00:05.0", "pci").driver("pci", "vfio-pci");
            fs.bytes(f.path() + "/uevent", new byte[0]);
            assertThat(read(f).assignable()).isTrue();
        }

        @Test
        void addressComesFromTheDirectoryName() {
            FakeSysfs.Dev f = function("pci0000:00/", "0000:00:1f.2", "8086:2922", "0:0", "10601");
            f.uevent("PCI_SLOT_NAME=0000:00:1f.3");
            assertThat(read(f).address()).hasToString("0000:00:1f.2");
        }

        @Test
        void garbageBytesInUeventValuesAreNotIds() {
            fs = new FakeSysfs(root);
            FakeSysfs.Dev f = fs.busDevice("pci0000:00/0000:00:06.0", "pci");
            fs.bytes(f.path() + "/uevent", "PCI_ID=\u0661\u0662\u0663\u0664:1572\nPCI_CLASS=\uff12\n"
                    .getBytes(StandardCharsets.UTF_8));
            PciCapability p = read(f);
            assertThat(p.vendor()).isNull();
            assertThat(p.product()).isNull();
            assertThat(p.deviceClass()).isNull();
        }
    }
}
