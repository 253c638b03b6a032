package io.hostdev.exporters.libvirt;

import io.hostdev.model.Device;
import io.hostdev.model.cap.NetCapability;
import io.hostdev.model.cap.PciCapability;
import io.hostdev.model.cap.ScsiTargetCapability;
import io.hostdev.model.cap.StorageCapability;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class NodeDeviceXmlReaderTest {

    static Stream<String> samples() {
        return NodeDeviceXmlExporterTest.samples().keySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void whatTheExporterWritesReadsBackToTheSameDocument(String sample) {
        String xml = NodeDeviceXmlExporter.device(NodeDeviceXmlExporterTest.samples().get(sample));
        assertThat(NodeDeviceXmlReader.read(xml).map(NodeDeviceXmlExporter::device)).hasValue(xml);
    }

    @Test
    void readsLibvirtsValuesIntoTheModelsConventions() {
        Device d = NodeDeviceXmlReader.read("""
                <device>
                  <name>pci_0000_02_10_7</name>
                  <parent>pci_0000_00_04_0</parent>
                  <capability type='pci'>
                    <class>0xFFFFFF</class>
                    <domain>0</domain><bus>2</bus><slot>16</slot><function>7</function>
                    <product id='0x10CA'>82576 Virtual Function</product>
                    <vendor id='8086'/>
                    <capability type='phys_function'>
                      <address domain='0x0000' bus='0x02' slot='0x00' function='0x1'/>
                    </capability>
                    <numa node='-1'/>
                    <pci-express><link validity='cap' port='0' speed='2.5' width='4'/><link validity='sta' width='0'/></pci-express>
                  </capability>
                </device>
                """).orElseThrow();
        PciCapability p = d.capability(PciCapability.class).orElseThrow();
        assertThat(d.parent()).isEqualTo("pci_0000_00_04_0");
        assertThat(p.address()).hasToString("0000:02:10.7");
        assertThat(p.deviceClass().id()).isEqualTo("0xffffff");
        assertThat(p.product().id()).isEqualTo("0x10ca");
        assertThat(p.vendor().id()).isEqualTo("0x8086");
        assertThat(p.vendor().name()).isNull();
        assertThat(p.sriov().pf()).isEqualTo("0000:02:00.1");
        assertThat(p.numaNode()).isEqualTo(-1);
        assertThat(p.link().max()).isEqualTo(new PciCapability.LinkState(2.5, 4));
        assertThat(p.link().current()).isEqualTo(new PciCapability.LinkState(null, 0));
    }

    @Test
    void capabilitiesWithoutTheValuesTheirRecordNeedsAreLeftOut() {
        Device d = NodeDeviceXmlReader.read("""
                <device><name>x</name>
                  <capability type='pci'><domain>0</domain><bus>4294967295</bus><slot>2</slot><function>0</function>
                    <product id='0x0416'/><vendor id='0x8086'/></capability>
                  <capability type='scsi_target'><target>not-a-target</target></capability>
                  <capability type='mdev'><type id='mtty-1'/></capability>
                </device>""").orElseThrow();
        assertThat(d.capabilities()).isEmpty();
        assertThat(NodeDeviceXmlReader.read("<device><name>t</name><capability type='scsi_target'>"
                + "<target>target1:2:3</target></capability></device>").orElseThrow()
                .capability(ScsiTargetCapability.class)).hasValue(new ScsiTargetCapability("target1:2:3", 1, 2, 3));
    }

    @Test
    void wirelessIsTheOnlyNetKindTheXmlTells() {
        assertThat(net("<capability type='80211'/>").kind()).isEqualTo(NetCapability.Kind.WIRELESS);
        assertThat(net("<capability type='80203'/>").kind()).isNull();
    }

    private static NetCapability net(String sub) {
        return NodeDeviceXmlReader.read("<device><name>n</name><capability type='net'><interface>eth0</interface>"
                + "<address>00:13:02:B9:F9:D3</address><link speed='1000' state='up'/>" + sub + "</capability></device>")
                .orElseThrow().capability(NetCapability.class).orElseThrow();
    }

    @Test
    void removableMediaBecomesTheSizeOfARemovableDevice() {
        StorageCapability s = NodeDeviceXmlReader.read("""
                <device><name>DVD</name><capability type='storage'><block>/dev/sr0</block>
                <drive_type>cdrom</drive_type><capability type='removable'><media_available>1</media_available>
                <media_size>12345678</media_size><logical_block_size>2048</logical_block_size><num_blocks>6028</num_blocks>
                </capability></capability></device>""").orElseThrow().capability(StorageCapability.class).orElseThrow();
        assertThat(s.kind()).isEqualTo(StorageCapability.Kind.CDROM);
        assertThat(s.removable()).isTrue();
        assertThat(s.size()).isEqualTo(12345678L);
        assertThat(s.logicalBlockSize()).isEqualTo(2048);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not xml", "<device>", "<device/>", "<device><path>/x</path></device>",
            "<capabilities/>", "<device><name>  </name></device>", "\u0000\u0001<device>"})
    void whatIsNoNodeDeviceDocumentReadsAsEmpty(String xml) {
        assertThat(NodeDeviceXmlReader.read(xml)).isEmpty();
    }

    @Test
    void neverLoadsExternalEntities(@TempDir Path tmp) throws Exception {
        Path secret = Files.writeString(tmp.resolve("secret"), "leaked");
        String xml = "<?xml version='1.0'?><!DOCTYPE device [<!ENTITY x SYSTEM '" + secret.toUri()
                + "'>]><device><name>&x;</name></device>";
        assertThat(NodeDeviceXmlReader.read(xml)).isEmpty();
    }

    @Test
    void arbitraryBytesNeverThrow() {
        Random random = new Random(3);
        String valid = NodeDeviceXmlExporter.device(NodeDeviceXmlExporterTest.samples().get("SR-IOV physical function"));
        int devices = 0;
        int nothing = 0;
        for (int i = 0; i < 2000; i++) {
            StringBuilder s = new StringBuilder(valid);
            for (int k = 0; k < 3; k++) {
                int at = random.nextInt(s.length());
                s.setCharAt(at, (char) random.nextInt(128));
            }
            if (NodeDeviceXmlReader.read(s.toString()).isPresent()) {
                devices++;
            } else {
                nothing++;
            }
        }
        assertThat(devices).as("damaged documents still read").isPositive();
        assertThat(nothing).as("broken documents read as empty").isPositive();
    }
}
