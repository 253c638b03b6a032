package io.hostdev.probes.sysfs;

import io.hostdev.model.Device;
import io.hostdev.model.cap.Capability;
import io.hostdev.model.cap.GenericCapability;
import io.hostdev.model.cap.IdName;
import io.hostdev.model.cap.PciCapability;
import io.hostdev.probes.Access;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.HostRoot;
import io.hostdev.probes.testing.FakeSysfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PciNamesTest {

    @TempDir
    Path root;

    @TempDir
    Path elsewhere;

    final Map<SysfsDevice, Capability> caps = new LinkedHashMap<>();

    SysfsDevice device(String sysname, Capability cap) {
        SysfsDevice d = new SysfsDevice(root.resolve("sys/devices/pci0000:00").resolve(sysname),
                "/sys/devices/pci0000:00/" + sysname, sysname, cap.type(), Map.of());
        caps.put(d, cap);
        return d;
    }

    static PciCapability x710() {
        return PciIdsTest.pci("0x8086", "0x1572", "0x8086", "0x0001", "0x020000");
    }

    @Test
    void everyPciCapabilityIsReplacedByANamedCopyAndOthersAreLeftAlone() {
        new FakeSysfs(root).file("usr/share/hwdata/pci.ids", PciIdsTest.SMALL);
        SysfsDevice nic = device("0000:03:00.0", x710());
        SysfsDevice gpu = device("0000:41:00.0", PciIdsTest.pci("0x10de", "0x1db6", "0x10de", "0x124a", "0x030200"));
        GenericCapability generic = GenericCapability.of("platform", Map.of());
        SysfsDevice other = device("other", generic);

        PciNames.apply(caps, HostFiles.of(HostRoot.of(root)), null);

        PciCapability n = (PciCapability) caps.get(nic);
        assertThat(n.vendor()).isEqualTo(new IdName("0x8086", "Intel Corporation"));
        assertThat(n.subsystemProduct().name()).isEqualTo("Ethernet Converged Network Adapter X710-4");
        assertThat(n.deviceClass().name()).isEqualTo("Ethernet controller");
        assertThat(n.address()).isEqualTo(x710().address());
        PciCapability g = (PciCapability) caps.get(gpu);
        assertThat(PciIdsTest.names(g)).containsExactly("NVIDIA Corporation", "GV100GL [Tesla V100 PCIe 32GB]",
                "NVIDIA Corporation", "GV100GL [Tesla V100 PCIe 32GB]", "3D controller");
        assertThat(caps.get(other)).isSameAs(generic);
    }

    @Test
    void withoutADatabaseIdsStayUnnamed() {
        SysfsDevice nic = device("0000:03:00.0", x710());
        PciNames.apply(caps, HostFiles.of(HostRoot.of(root)), elsewhere.resolve("missing.ids"));
        assertThat(caps.get(nic)).isEqualTo(x710());
        assertThat(PciIdsTest.names((PciCapability) caps.get(nic))).containsOnlyNulls();
    }

    @Test
    void theConfiguredDatabaseServesARootWithoutOne() throws IOException {
        Path configured = Files.writeString(elsewhere.resolve("pci.ids"), PciIdsTest.SMALL);
        SysfsDevice nic = device("0000:03:00.0", x710());
        PciNames.apply(caps, HostFiles.of(HostRoot.of(root)), configured);
        assertThat(((PciCapability) caps.get(nic)).product().name()).isEqualTo("Ethernet Controller X710 for 10GbE SFP+");
    }

    @Test
    void theRootsOwnDatabaseWinsOverTheConfiguredOne() throws IOException {
        new FakeSysfs(root).file("usr/share/misc/pci.ids", "8086  Intel from the fixture\n");
        Path configured = Files.writeString(elsewhere.resolve("pci.ids"), PciIdsTest.SMALL);
        SysfsDevice nic = device("0000:03:00.0", x710());
        PciNames.apply(caps, HostFiles.of(HostRoot.of(root)), configured);
        assertThat(((PciCapability) caps.get(nic)).vendor().name()).isEqualTo("Intel from the fixture");
        assertThat(((PciCapability) caps.get(nic)).product().name()).isNull();
    }

    @Test
    void theDatabaseIsOpenedThroughHostFilesSoCaptureRecordsIt() {
        new FakeSysfs(root).file("usr/share/hwdata/pci.ids", PciIdsTest.SMALL);
        device("0000:03:00.0", x710());
        HostFiles files = HostFiles.recording(HostRoot.of(root));
        PciNames.apply(caps, files, null);
        assertThat(files.accesses()).contains(new Access(Access.Kind.OPEN, root.resolve("usr/share/hwdata/pci.ids")));
    }

    @Test
    void aHostWithoutPciDevicesNeverLooksForTheDatabase() {
        new FakeSysfs(root).file("usr/share/hwdata/pci.ids", PciIdsTest.SMALL);
        device("other", GenericCapability.of("platform", Map.of()));
        HostFiles files = HostFiles.recording(HostRoot.of(root));
        PciNames.apply(caps, files, null);
        assertThat(files.accesses()).isEmpty();
    }

    @Test
    void theSysfsProbeNamesPciDevicesFromTheFixturesOwnDatabase() {
        FakeSysfs fs = new FakeSysfs(root);
        fs.file("usr/share/hwdata/pci.ids", PciIdsTest.SMALL);
        fs.busDevice("pci0000:00/0000:00:02.0", "pci").driver("pci", "virtio-pci")
                .uevent("PCI_CLASS=18000", "PCI_ID=1AF4:1042", "PCI_SUBSYS_ID=1AF4:1100", "PCI_SLOT_NAME=0000:00:02.0")
                .attr("revision", "0x01").attr("numa_node", "-1");

        Device d = new SysfsProbe().probe(HostFiles.of(HostRoot.of(root))).tree().get("pci_0000_00_02_0").orElseThrow();

        assertThat(d.aliases()).contains("0000:00:02.0", "00:02.0");
        assertThat(d.capabilityTypes()).containsExactly("pci");
        PciCapability p = (PciCapability) d.capabilities().get(0);
        assertThat(p.vendor()).isEqualTo(new IdName("0x1af4", "Red Hat, Inc."));
        assertThat(p.product()).isEqualTo(new IdName("0x1042", "Virtio 1.0 block device"));
        assertThat(p.subsystemVendor()).isEqualTo(new IdName("0x1af4", "Red Hat, Inc."));
        assertThat(p.subsystemProduct()).isEqualTo(IdName.of("0x1100"));
        assertThat(p.deviceClass()).isEqualTo(new IdName("0x018000", "Mass storage controller"));
        assertThat(p.revision()).isEqualTo("0x01");
        assertThat(p.numaNode()).isNull();
    }
}
