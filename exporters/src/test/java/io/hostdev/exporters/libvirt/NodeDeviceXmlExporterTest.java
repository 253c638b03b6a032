package io.hostdev.exporters.libvirt;

import io.hostdev.exporters.libvirt.testing.LibvirtSchemas;
import io.hostdev.model.Device;
import io.hostdev.model.cap.Capability;
import io.hostdev.model.cap.DrmCapability;
import io.hostdev.model.cap.GenericCapability;
import io.hostdev.model.cap.IdName;
import io.hostdev.model.cap.NetCapability;
import io.hostdev.model.cap.PciAddress;
import io.hostdev.model.cap.PciCapability;
import io.hostdev.model.cap.ScsiCapability;
import io.hostdev.model.cap.ScsiGenericCapability;
import io.hostdev.model.cap.ScsiHostCapability;
import io.hostdev.model.cap.ScsiTargetCapability;
import io.hostdev.model.cap.StorageCapability;
import io.hostdev.model.cap.SystemCapability;
import io.hostdev.model.cap.UsbDeviceCapability;
import io.hostdev.model.cap.UsbInterfaceCapability;
import io.hostdev.model.cap.VirtioCapability;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class NodeDeviceXmlExporterTest {

    static Device device(String name, String parent, String path, String driver, List<String> devnodes,
                         Capability... caps) {
        return new Device(name, parent, path, null, null, driver, devnodes, List.of(), List.of(caps));
    }

    static PciCapability pci(String address, PciCapability.Sriov sriov, PciCapability.IommuGroup group, Integer numa,
                             PciCapability.Link link) {
        return new PciCapability(PciAddress.parse(address).orElseThrow(), new IdName("0x8086", "Intel Corporation"),
                new IdName("0x1572", null), null, null, new IdName("0x020000", "Ethernet controller"), "0x01", group,
                numa, link, sriov, List.of(), false);
    }

    static NetCapability net(String iface, String address, NetCapability.Link link, NetCapability.Kind kind) {
        return new NetCapability(iface, address, 4, 1500, link, kind, null, null, null, null, null, null);
    }

    static StorageCapability storage(StorageCapability.Kind kind, String block, Long size, Integer blockSize,
                                     Boolean removable) {
        return new StorageCapability(kind, block, size, blockSize, removable, false, false, "MZ7LH960", "ATA",
                "S45NNA0M123456", "naa.5002538e40a1b2c3", null, null, null, null, null);
    }

    /** One device of every capability libvirt has, as the sysfs probe would give them. */
    static Map<String, Device> samples() {
        Map<String, Device> m = new LinkedHashMap<>();
        m.put("system without DMI", device("computer", null, null, null, List.of(),
                SystemCapability.of(null, null, null)));
        m.put("system with DMI", device("computer", null, null, null, List.of(), SystemCapability.of("SYS-2029U-TR4",
                new SystemCapability.Hardware("Supermicro", "0123", "S348719X", "4c4c4544-0035-3910-8046-b4c04f4b4e32"),
                new SystemCapability.Firmware("American Megatrends Inc.", "3.4", "11/09/2020"))));
        m.put("SR-IOV physical function", device("pci_0000_01_00_0", "pci_0000_00_01_0",
                "/sys/devices/pci0000:00/0000:00:01.0/0000:01:00.0", "i40e", List.of(),
                pci("0000:01:00.0", new PciCapability.Sriov(64, 2, List.of("0000:01:02.0", "0000:01:02.1"), null),
                        new PciCapability.IommuGroup(12, List.of("0000:01:00.0", "0000:01:00.1", "platform-x")), 0,
                        new PciCapability.Link(new PciCapability.LinkState(8.0, 8),
                                new PciCapability.LinkState(2.5, 4)))));
        m.put("virtual function", device("pci_0000_01_02_0", "pci_0000_01_00_0", null, "vfio-pci", List.of(),
                pci("0000:01:02.0", new PciCapability.Sriov(null, null, List.of(), "0000:01:00.0"), null, null, null)));
        m.put("PCIe link unknown", device("pci_0000_00_00_0", "computer", null, null, List.of(),
                pci("0000:00:00.0", null, null, null, new PciCapability.Link(
                        new PciCapability.LinkState(16.0, null), null))));
        m.put("ethernet NIC", device("net_eth0_02_fc_00_00_00_01", "pci_0000_00_03_0", null, null, List.of(),
                net("eth0", "02:fc:00:00:00:01", new NetCapability.Link("up", 10000L), NetCapability.Kind.PHYSICAL)));
        m.put("loopback", device("net_lo_00_00_00_00_00_00", "computer", null, null, List.of(),
                net("lo", "00:00:00:00:00:00", new NetCapability.Link("unknown", null), NetCapability.Kind.LOOPBACK)));
        m.put("tun", device("net_tun0", "computer", null, null, List.of(),
                net("tun0", null, new NetCapability.Link("down", null), NetCapability.Kind.TUN)));
        m.put("wireless", device("net_wlan0_00_13_02_b9_f9_d3", "pci_0000_03_00_0", null, null, List.of(),
                net("wlan0", "00:13:02:B9:F9:D3", new NetCapability.Link("dormant", 4294967296L),
                        NetCapability.Kind.WIRELESS)));
        m.put("infiniband", device("net_ib0", "pci_0000_04_00_0", null, null, List.of(),
                net("ib0", "80:00:02:08:fe:80:00:00:00:00:00:00:f4:52:14:03:00:7b:cb:a1",
                        new NetCapability.Link("weird", null), NetCapability.Kind.PHYSICAL)));
        m.put("disk", device("block_sda_X", "scsi_0_0_0_0", "/sys/devices/x/block/sda", null, List.of("/dev/sda"),
                storage(StorageCapability.Kind.DISK, "/dev/sda", 960197124096L, 512, false)));
        m.put("partition", device("block_sda1_X", "block_sda_X", null, null, List.of("/dev/sda1"),
                new StorageCapability(StorageCapability.Kind.PARTITION, "/dev/sda1", 1048576L, null, false, false,
                        false, null, null, null, null, 1, null, null, null, null)));
        m.put("empty DVD drive", device("block_sr0", "scsi_1_0_0_0", null, null, List.of("/dev/sr0"),
                storage(StorageCapability.Kind.CDROM, "/dev/sr0", 0L, 2048, true)));
        m.put("USB stick", device("block_sdb", "scsi_2_0_0_0", null, null, List.of("/dev/sdb"),
                storage(StorageCapability.Kind.DISK, "/dev/sdb", 1024L * 1024 * 1024, 512, true)));
        m.put("usb device", device("usb_1_2", "usb_usb1", null, "usb", List.of("/dev/bus/usb/001/002"),
                new UsbDeviceCapability(1, 2, new IdName("0x0781", "SanDisk"), new IdName("0x5583", null), "0x00",
                        "3.20", 5000.0, "4C5300")));
        m.put("usb interface", device("usb_1_2_1_0", "usb_1_2", null, "usb-storage", List.of(),
                new UsbInterfaceCapability(10, "0x08", "0x06", "0x50", "Mass Storage")));
        m.put("scsi host", device("scsi_host0", "pci_0000_00_17_0", null, null, List.of(),
                new ScsiHostCapability(0, 4294967295L, "ahci")));
        m.put("scsi target", device("scsi_target0_0_0", "scsi_host0", null, null, List.of(),
                new ScsiTargetCapability("target0:0:0", 0, 0, 0)));
        m.put("scsi device", device("scsi_0_0_0_0", "scsi_target0_0_0", null, "sd", List.of(),
                new ScsiCapability(0, 0, 0, 72057594037927936L, 0, "disk", "ATA", "MZ7LH960", "904Q")));
        m.put("scsi generic", device("scsi_generic_sg0", "scsi_0_0_0_0", null, null, List.of("/dev/sg0"),
                new ScsiGenericCapability("/dev/sg0")));
        m.put("drm render node", device("drm_renderD128", "pci_0000_00_02_0", null, null,
                List.of("/dev/dri/renderD128"), DrmCapability.node("render")));
        return m;
    }

    static String xml(String sample) {
        return NodeDeviceXmlExporter.device(samples().get(sample));
    }

    @Nested
    class Pci {
        @Test
        void aPhysicalFunctionInLibvirtsConventions() {
            assertThat(xml("SR-IOV physical function")).isEqualTo("""
                    <device>
                      <name>pci_0000_01_00_0</name>
                      <path>/sys/devices/pci0000:00/0000:00:01.0/0000:01:00.0</path>
                      <parent>pci_0000_00_01_0</parent>
                      <driver>
                        <name>i40e</name>
                      </driver>
                      <capability type='pci'>
                        <class>0x020000</class>
                        <domain>0</domain>
                        <bus>1</bus>
                        <slot>0</slot>
                        <function>0</function>
                        <product id='0x1572'/>
                        <vendor id='0x8086'>Intel Corporation</vendor>
                        <capability type='virt_functions' maxCount='64'>
                          <address domain='0x0000' bus='0x01' slot='0x02' function='0x0'/>
                          <address domain='0x0000' bus='0x01' slot='0x02' function='0x1'/>
                        </capability>
                        <iommuGroup number='12'>
                          <address domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>
                          <address domain='0x0000' bus='0x01' slot='0x00' function='0x1'/>
                        </iommuGroup>
                        <numa node='0'/>
                        <pci-express>
                          <link validity='cap' speed='8' width='8'/>
                          <link validity='sta' speed='2.5' width='4'/>
                        </pci-express>
                      </capability>
                    </device>
                    """);
        }

        @Test
        void aVirtualFunctionNamesItsPhysicalFunction() {
            assertThat(xml("virtual function")).contains("""
                        <capability type='phys_function'>
                          <address domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>
                        </capability>
                    """).doesNotContain("virt_functions");
        }

        @Test
        void aLinkStateWithoutItsWidthIsLeftOutButThePcieMarkStays() {
            assertThat(xml("PCIe link unknown")).contains("    <pci-express/>\n").doesNotContain("<link");
        }

        @Test
        void aPciFunctionWithoutItsIdsHasNoLibvirtForm() {
            PciCapability noVendor = new PciCapability(new PciAddress(0, 0, 0, 0), null, IdName.of("0x1234"), null,
                    null, null, null, null, null, null, null, List.of(), false);
            assertThat(NodeDeviceXmlExporter.problem(noVendor)).hasValue("its pci capability has no vendor id");
        }
    }

    @Nested
    class Net {
        @Test
        void anEthernetNicHasItsMacLinkAnd8023() {
            assertThat(xml("ethernet NIC")).contains("""
                      <capability type='net'>
                        <interface>eth0</interface>
                        <address>02:fc:00:00:00:01</address>
                        <link speed='10000' state='up'/>
                        <capability type='80203'/>
                      </capability>
                    """);
        }

        @Test
        void aSpeedBeyondLibvirtsUnsignedIntIsLeftOutNeverPrintedAsUnknown() {
            assertThat(xml("wireless")).contains("<link state='dormant'/>", "<capability type='80211'/>")
                    .doesNotContain("4294967295", "4294967296", "80203");
        }

        @Test
        void loopbackAndTunAreNotEthernet() {
            assertThat(xml("loopback")).contains("<address>00:00:00:00:00:00</address>").doesNotContain("80203");
            assertThat(xml("tun")).doesNotContain("<address>", "80203").contains("<link state='down'/>");
        }

        @Test
        void addressesThatAreNoMacAndStatesLibvirtDoesNotKnowAreLeftOut() {
            assertThat(xml("infiniband")).doesNotContain("<address>", "<link", "80203");
        }
    }

    @Nested
    class Storage {
        @Test
        void aFixedDiskHasSizeBlockSizeAndBlockCount() {
            assertThat(xml("disk")).isEqualTo("""
                    <device>
                      <name>block_sda_X</name>
                      <path>/sys/devices/x/block/sda</path>
                      <devnode type='dev'>/dev/sda</devnode>
                      <parent>scsi_0_0_0_0</parent>
                      <capability type='storage'>
                        <block>/dev/sda</block>
                        <drive_type>disk</drive_type>
                        <model>MZ7LH960</model>
                        <vendor>ATA</vendor>
                        <serial>S45NNA0M123456</serial>
                        <size>960197124096</size>
                        <logical_block_size>512</logical_block_size>
                        <num_blocks>1875385008</num_blocks>
                      </capability>
                    </device>
                    """);
        }

        @Test
        void removableMediaIsASubCapabilityAvailableWhenItHasASize() {
            assertThat(xml("empty DVD drive")).contains("""
                        <drive_type>cdrom</drive_type>
                        <model>MZ7LH960</model>
                        <vendor>ATA</vendor>
                        <serial>S45NNA0M123456</serial>
                        <capability type='removable'>
                          <media_available>0</media_available>
                          <media_size>0</media_size>
                          <logical_block_size>2048</logical_block_size>
                          <num_blocks>0</num_blocks>
                        </capability>
                    """).doesNotContain("<size>");
            assertThat(xml("USB stick")).contains("<media_available>1</media_available>",
                    "<media_size>1073741824</media_size>", "<num_blocks>2097152</num_blocks>");
        }

        @Test
        void aPartitionSaysSoAndWithoutABlockSizeHasNoBlockCount() {
            assertThat(xml("partition")).contains("<drive_type>partition</drive_type>", "<size>1048576</size>")
                    .doesNotContain("logical_block_size", "num_blocks");
        }

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(nullValues = "-", textBlock = """
                DISK,           disk
                NVME_NAMESPACE, disk
                CDROM,          cdrom
                PARTITION,      partition
                LOOP,           loop
                ZRAM,           zram
                DEVICE_MAPPER,  device_mapper
                MD,             md
                """)
        void driveTypesAreLibvirtsWhereLibvirtHasOne(StorageCapability.Kind kind, String driveType) {
            assertThat(NodeDeviceXmlExporter.driveType(kind)).isEqualTo(driveType);
        }

        @Test
        void aBlockDeviceWithoutNodeOrSizeHasNoLibvirtForm() {
            assertThat(NodeDeviceXmlExporter.problem(storage(StorageCapability.Kind.DISK, null, 1L, 512, false)))
                    .isPresent();
            assertThat(NodeDeviceXmlExporter.problem(storage(StorageCapability.Kind.DISK, "/dev/a b", 1L, 512, false)))
                    .isPresent();
            assertThat(NodeDeviceXmlExporter.problem(storage(StorageCapability.Kind.DISK, "/dev/sda", null, 512, false)))
                    .hasValue("its storage capability has no size");
        }
    }

    @Nested
    class BusDevices {
        @Test
        void usbDeviceAndInterfaceNumbersAreDecimal() {
            assertThat(xml("usb device")).contains("""
                      <capability type='usb_device'>
                        <bus>1</bus>
                        <device>2</device>
                        <product id='0x5583'/>
                        <vendor id='0x0781'>SanDisk</vendor>
                      </capability>
                    """).contains("<devnode type='dev'>/dev/bus/usb/001/002</devnode>");
            assertThat(xml("usb interface")).contains("""
                      <capability type='usb'>
                        <number>10</number>
                        <class>8</class>
                        <subclass>6</subclass>
                        <protocol>80</protocol>
                        <description>Mass Storage</description>
                      </capability>
                    """);
        }

        @Test
        void scsiDevicesInLibvirtsShape() {
            assertThat(xml("scsi host")).contains("<host>0</host>", "<unique_id>4294967295</unique_id>");
            assertThat(xml("scsi target")).contains("<target>target0:0:0</target>");
            assertThat(xml("scsi device")).contains("""
                        <host>0</host>
                        <bus>0</bus>
                        <target>0</target>
                        <lun>72057594037927936</lun>
                        <type>disk</type>
                    """);
            assertThat(xml("scsi generic")).contains("<char>/dev/sg0</char>");
        }

        @Test
        void drmConnectorsHaveNoLibvirtForm() {
            assertThat(xml("drm render node")).contains("<type>render</type>");
            assertThat(NodeDeviceXmlExporter.problem(new DrmCapability("connector", "HDMI-A-1", "connected", true)))
                    .hasValueSatisfying(why -> assertThat(why).contains("connector"));
        }

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(nullValues = "-", textBlock = """
                0x09, 9
                0xff, 255
                08,   8
                0x,   -
                0x100, -
                0xzz, -
                -,    -
                """)
        void usbClassBytesPrintInDecimal(String hex, String decimal) {
            assertThat(NodeDeviceXmlExporter.hexByte(hex)).isEqualTo(decimal);
        }
    }

    @Nested
    class System {
        @Test
        void aHostWithoutDmiGetsLibvirtsAllZeroUuidBecauseTheSchemaRequiresOne() {
            assertThat(xml("system without DMI")).isEqualTo("""
                    <device>
                      <name>computer</name>
                      <capability type='system'>
                        <hardware>
                          <uuid>00000000-0000-0000-0000-000000000000</uuid>
                        </hardware>
                        <firmware/>
                      </capability>
                    </device>
                    """);
        }

        @Test
        void dmiIdentityAndFirmware() {
            assertThat(xml("system with DMI")).contains("""
                        <product>SYS-2029U-TR4</product>
                        <hardware>
                          <vendor>Supermicro</vendor>
                          <version>0123</version>
                          <serial>S348719X</serial>
                          <uuid>4c4c4544-0035-3910-8046-b4c04f4b4e32</uuid>
                        </hardware>
                        <firmware>
                          <vendor>American Megatrends Inc.</vendor>
                          <version>3.4</version>
                          <release_date>11/09/2020</release_date>
                        </firmware>
                    """);
        }

        @Test
        void aUuidTheSchemaRejectsIsReplacedByTheUnknownOne() {
            Device d = device("computer", null, null, null, List.of(), SystemCapability.of(null,
                    new SystemCapability.Hardware("QEMU", null, null, "not-a-uuid"), null));
            assertThat(NodeDeviceXmlExporter.device(d)).contains("<vendor>QEMU</vendor>",
                    "<uuid>" + NodeDeviceXmlExporter.UNKNOWN_UUID + "</uuid>");
        }
    }

    @Test
    void capabilitiesLibvirtDoesNotHaveAreLeftOutOfTheDocument() {
        Device d = device("virtio_virtio2", "pci_0000_00_03_0", null, "virtio_net", List.of(),
                new VirtioCapability(1, "net", "0x1af4"), GenericCapability.of("virtio", Map.of("features", "01")));
        assertThat(NodeDeviceXmlExporter.device(d)).doesNotContain("<capability");
        assertThat(NodeDeviceXmlExporter.problem(new VirtioCapability(1, "net", "0x1af4")))
                .hasValue("libvirt's node-device XML has no capability for virtio");
    }

    @Test
    void theSystemdCapabilityAndUdisksOnlyStorageFactsAreLeftOutAndTheDiskStays() {
        StorageCapability udisks = new StorageCapability(StorageCapability.Kind.DISK, "/dev/sda", 1073741824L, 512,
                true, true, false, "DT", "Kingston", "S1", null, null, null, "thumb", 7200, "usb");
        Device d = device("block_sda", "computer", "/sys/devices/x/block/sda", null, List.of("/dev/sda"), udisks,
                new io.hostdev.model.cap.SystemdCapability(List.of("dev-sda.device"), "/sys/devices/x/block/sda",
                        "active", "plugged"));
        String xml = NodeDeviceXmlExporter.device(d);
        assertThat(xml).contains("<capability type='storage'>").doesNotContain("systemd", "thumb", "7200", "usb");
        assertThat(LibvirtView.exclusion(d)).isEmpty();
    }

    @Test
    void namesAndTextAreEscaped() {
        Device d = device("block_a_b", "computer", "/sys/devices/x&y", null, List.of(),
                storage(StorageCapability.Kind.DISK, "/dev/sda", 0L, null, false));
        assertThat(NodeDeviceXmlExporter.device(d)).contains("<path>/sys/devices/x&amp;y</path>");
    }

    @ParameterizedTest(name = "{0} GT/s -> {1}")
    @CsvSource(nullValues = "-", textBlock = """
            2.5,  2.5
            5.0,  5
            8.0,  8
            16.0, 16
            64.0, 64
            -1.0, -
            NaN,  -
            """)
    void pcieSpeedsPrintAsLibvirtDoes(Double gts, String printed) {
        assertThat(NodeDeviceXmlExporter.gts(gts)).isEqualTo(printed);
    }

    @Nested
    class AgainstLibvirtsSchema {
        @TestFactory
        Stream<DynamicTest> everySampleValidatesAgainstNodedevRng() {
            LibvirtSchemas.require();
            return samples().entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
                String xml = NodeDeviceXmlExporter.device(e.getValue());
                assertThat(LibvirtSchemas.nodedevErrors(xml)).as(xml).isEmpty();
            }));
        }

        @Test
        void theValidatorRejectsWhatTheSchemaForbids() {
            LibvirtSchemas.require();
            assertThat(LibvirtSchemas.nodedevErrors("<device><name>x</name><capability type='drm'>"
                    + "<type>connector</type></capability></device>")).isNotEmpty();
            assertThat(LibvirtSchemas.nodedevErrors("<device><name>x</name></device>")).isEmpty();
        }
    }
}
