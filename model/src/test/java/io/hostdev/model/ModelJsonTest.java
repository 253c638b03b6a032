package io.hostdev.model;

import io.hostdev.model.cap.Capability;
import io.hostdev.model.cap.GenericCapability;
import io.hostdev.model.cap.IdName;
import io.hostdev.model.cap.NetCapability;
import io.hostdev.model.cap.PciAddress;
import io.hostdev.model.cap.PciCapability;
import io.hostdev.model.cap.StorageCapability;
import io.hostdev.model.cap.SystemCapability;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelJsonTest {

    static Device pciNic() {
        PciCapability pci = new PciCapability(
                PciAddress.parse("0000:03:00.0").orElseThrow(),
                new IdName("0x8086", "Intel Corporation"),
                new IdName("0x1572", "Ethernet Controller X710 for 10GbE SFP+"),
                IdName.of("0x8086"), IdName.of("0x0001"),
                new IdName("0x020000", "Ethernet controller"),
                "0x01",
                new PciCapability.IommuGroup(14, List.of("0000:03:00.0", "0000:03:00.1")),
                0,
                new PciCapability.Link(new PciCapability.LinkState(8.0, 8), new PciCapability.LinkState(2.5, 4)),
                new PciCapability.Sriov(64, 2, List.of("0000:03:02.0", "0000:03:02.1"), null),
                List.of(new PciCapability.Resource(0, PciCapability.ResourceKind.MMIO, 0x3800_0000_0000L,
                        0x3800_00ff_ffffL, 0x14220c)),
                false);
        return new Device("pci_0000_03_00_0", "computer", "/sys/devices/pci0000:00/0000:00:02.0/0000:03:00.0", "pci",
                null, "i40e", List.of(), List.of("0000:03:00.0", "03:00.0"), List.of(pci));
    }

    @Test
    void deviceJsonHasSnakeCaseKeysCapsAsTopLevelKeysAndNoAbsentValues() {
        String json = ModelJson.toJson(pciNic());
        assertThat(json).startsWith("{\n  \"name\": \"pci_0000_03_00_0\",\n  \"parent\": \"computer\",\n")
                .contains("\"caps\": [\n    \"pci\"\n  ],\n  \"pci\": {")
                .contains("\"subsystem_vendor\": {", "\"iommu_group\": {", "\"numa_node\": 0", "\"total_vfs\": 64",
                        "\"class\": {", "\"start\": \"0x380000000000\"", "\"kind\": \"mmio\"",
                        "\"assignable\": false")
                .doesNotContain("null", "\"devtype\"", "\"devnodes\"", "\"pf\"", "\r", " : ")
                .endsWith("}\n");
    }

    @Test
    void roundTripsEveryFieldIncludingCapabilities() throws Exception {
        Device net = new Device("net_br0_52_54_00_00_00_01", "computer", "/sys/devices/virtual/net/br0", "net",
                "bridge", null, List.of(), List.of("br0", "52:54:00:00:00:01"),
                List.of(new NetCapability("br0", "52:54:00:00:00:01", 7, 1500, new NetCapability.Link("up", null),
                        NetCapability.Kind.BRIDGE, null, null, new NetCapability.Bridge(List.of("veth0", "eth1")),
                        null, null, null)));
        Device disk = new Device("block_vda", "virtio_virtio1", "/sys/devices/x/block/vda", "block", "disk", null,
                List.of("/dev/vda"), List.of("/dev/vda"),
                List.of(new StorageCapability(StorageCapability.Kind.DISK, "/dev/vda", 274877906944L, 512, false, true,
                        false, null, null, "overlay", null, null, null, null, null, null)));
        Device root = new Device("computer", null, null, null, null, null, List.of(), List.of(),
                List.of(SystemCapability.of("KVM", new SystemCapability.Hardware("QEMU", null, null, "u-u-i-d"),
                        null)));
        Device tty = new Device("tty_ttyS0", "computer", "/sys/devices/virtual/tty/ttyS0", "tty", null, null,
                List.of("/dev/ttyS0"), List.of(), List.of(GenericCapability.of("tty", Map.of("dev", "4:64",
                "type", "4"))));
        Device enriched = new Device("computer", null, null, null, null, null, List.of(), List.of(),
                List.of(new SystemCapability(null, null, null,
                        new SystemCapability.Baseboard("ASUSTeK", "PRIME X570-P", "Rev X.0x", null),
                        List.of(new SystemCapability.MemoryModule("DIMM_B1", 17179869184L, 3200L, "Kingston", "DDR4",
                                        "KF3200C16D4/16GX"),
                                new SystemCapability.MemoryModule("DIMM_A1", 17179869184L, 3200L, null, "DDR4", null)),
                        new SystemCapability.Sensors(48, List.of(1200, 0), 1.35))));
        for (Device d : List.of(pciNic(), net, disk, root, tty, enriched)) {
            String json = ModelJson.toJson(d);
            Device back = ModelJson.readDevice(json);
            assertThat(back).isEqualTo(d);
            assertThat(ModelJson.toJson(back)).isEqualTo(json);
        }
    }

    @Test
    void unknownCapabilityTypeFromANewerAgentIsSkipped() throws Exception {
        Device d = ModelJson.readDevice("{\"name\":\"x\",\"parent\":\"computer\",\"caps\":[\"hologram\",\"generic\"],"
                + "\"hologram\":{\"depth\":3},\"generic\":{\"subsystem\":\"misc\"},\"future_field\":1}");
        assertThat(d.capabilityTypes()).containsExactly("generic");
    }

    @Test
    void everyPermittedCapabilityIsRegisteredUnderItsType() throws Exception {
        Class<?>[] permitted = Capability.class.getPermittedSubclasses();
        assertThat(Capability.TYPES.values()).containsExactlyInAnyOrder(
                Arrays.stream(permitted).map(c -> (Class<? extends Capability>) c.asSubclass(Capability.class))
                        .toArray(Class[]::new));
        for (var e : Capability.TYPES.entrySet()) {
            assertThat(e.getValue().getField("TYPE").get(null)).isEqualTo(e.getKey());
        }
    }

    @Test
    void twoCapabilitiesOfOneTypeAreRejected() {
        GenericCapability g = GenericCapability.of("misc", Map.of());
        assertThatThrownBy(() -> new Device("x", "computer", null, null, null, null, null, null, List.of(g, g)))
                .hasMessageContaining("two 'generic' capabilities");
    }

    @Test
    void resourceAddressesMustBeAsciiHex() {
        String template = "{\"name\":\"x\",\"caps\":[\"pci\"],\"pci\":{\"assignable\":false,"
                + "\"resources\":[{\"index\":0,\"kind\":\"mmio\",\"start\":\"%s\",\"end\":\"0x10\",\"flags\":\"0x200\"}]}}";
        for (String bad : List.of("0x\u0661", "0x+1", "0x", "zz", "0x12345678901234567")) {
            assertThatThrownBy(() -> ModelJson.readDevice(String.format(template, bad)))
                    .as(bad).isInstanceOf(java.io.IOException.class);
        }
        assertThatCode(() -> ModelJson.readDevice(String.format(template, "0xFFFFFFFFFFFFFFFF")))
                .doesNotThrowAnyException();
    }

    @Test
    void busAndStaleAreWrittenOnlyWhenSetAndReadBack() throws Exception {
        Device fresh = new Device("pci_0000_00_03_0", "computer", null, "pci", "pci", null, null, List.of(), List.of(),
                List.of(), false);
        String json = ModelJson.toJson(fresh);
        assertThat(json).contains("\"bus\": \"pci\"").doesNotContain("stale");
        Device stale = fresh.withStale(true);
        assertThat(ModelJson.toJson(stale)).contains("\"stale\": true");
        assertThat(ModelJson.readDevice(ModelJson.toJson(stale))).isEqualTo(stale);
        assertThat(stale.withStale(false)).isEqualTo(fresh);
    }
}
