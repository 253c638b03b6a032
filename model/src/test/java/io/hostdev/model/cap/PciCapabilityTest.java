package io.hostdev.model.cap;

import io.hostdev.model.Device;
import io.hostdev.model.ModelJson;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PciCapabilityTest {

    static Device device(PciCapability pci) {
        return new Device("pci_0000_00_00_0", "computer", "/sys/devices/pci0000:00/0000:00:00.0", "pci", null, null,
                List.of(), List.of(), List.of(pci));
    }

    @Test
    void aFunctionWithOnlyIdsHasNoEmptyObjectsInJson() {
        PciCapability bare = new PciCapability(PciAddress.parse("00:00.0").orElseThrow(), IdName.of("0x8086"),
                IdName.of("0x0d57"), null, null, IdName.of("0x060000"), null, null, null, null, null, null, false);
        String json = ModelJson.toJson(device(bare));
        assertThat(json).contains("\"vendor\": {\n      \"id\": \"0x8086\"\n    }", "\"assignable\": false")
                .doesNotContain("\"link\"", "\"sriov\"", "\"iommu_group\"", "\"numa_node\"", "\"subsystem_vendor\"",
                        "null");
    }

    @Test
    void resourcesAboveTwoToTheSixtyThirdRoundTripAsUnsignedHex() throws Exception {
        PciCapability pci = new PciCapability(PciAddress.parse("0000:00:00.0").orElseThrow(), null, null, null, null,
                null, null, null, null,
                new PciCapability.Link(new PciCapability.LinkState(16.0, 16), new PciCapability.LinkState(null, 4)),
                new PciCapability.Sriov(null, null, List.of(), "0000:03:00.0"),
                List.of(new PciCapability.Resource(0, PciCapability.ResourceKind.MMIO, 0xffffffff00000000L, -1L,
                                0x200),
                        new PciCapability.Resource(2, PciCapability.ResourceKind.IO, 0xc000, 0xc03f, 0x40101)),
                true);
        String json = ModelJson.toJson(device(pci));
        assertThat(json).contains("\"start\": \"0xffffffff00000000\"", "\"end\": \"0xffffffffffffffff\"",
                "\"kind\": \"io\"", "\"pf\": \"0000:03:00.0\"", "\"speed\": 16.0", "\"width\": 4");
        Device back = ModelJson.readDevice(json);
        assertThat(back.capabilities()).containsExactly(pci);
        assertThat(pci.resources().get(1).size()).isEqualTo(64);
    }
}
