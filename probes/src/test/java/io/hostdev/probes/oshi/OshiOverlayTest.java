package io.hostdev.probes.oshi;

import io.hostdev.model.Device;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.ModelJson;
import io.hostdev.model.Overlay;
import io.hostdev.model.cap.GenericCapability;
import io.hostdev.model.cap.SystemCapability;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** OSHI's facts over a small hand-built tree, as sysfs would have built it. */
class OshiOverlayTest {

    static final SystemCapability.Baseboard BOARD = new SystemCapability.Baseboard("ASUSTeK COMPUTER INC.",
            "PRIME X570-P", "Rev X.0x", null);
    static final SystemCapability.MemoryModule DIMM = new SystemCapability.MemoryModule("DIMM_A1", 17179869184L,
            3200L, "Kingston", "DDR4", "KF3200C16D4/16GX");
    static final SystemCapability.Sensors SENSORS = new SystemCapability.Sensors(48, List.of(1210), 1.24);

    static final OshiFacts FACTS = new OshiFacts(
            new OshiFacts.Identity("OSHI Vendor", "OSHI Product", "1.0", "SER-OSHI", "uuid-oshi"),
            new OshiFacts.Firmware("OSHI BIOS Inc.", "2.3", "2023-03-14"),
            BOARD, List.of(DIMM), SENSORS, 25274793984L);

    /** computer with what DMI in sysfs gave: a vendor and a BIOS version, nothing else. */
    static final Device COMPUTER = new Device(DeviceTree.ROOT, null, null, null, null, null, null, List.of(), List.of(),
            List.of(SystemCapability.of(null, new SystemCapability.Hardware("Sysfs Vendor", null, null, null),
                    new SystemCapability.Firmware(null, "sysfs-bios-1", null))), false, List.of(Device.SYSFS));
    static final Device TTY = new Device("tty_ttyS0", DeviceTree.ROOT, "/sys/devices/virtual/tty/ttyS0", "tty", null,
            null, null, List.of("/dev/ttyS0"), List.of(), List.of(GenericCapability.of("tty", Map.of("dev", "4:64"))),
            false, List.of(Device.SYSFS));
    static final DeviceTree TREE = DeviceTree.of(List.of(COMPUTER, TTY));

    @Test
    void fillsOnlyWhatSysfsLeftAbsentAndSetsWhatOnlyOshiReads() {
        Device d = OshiOverlay.of(FACTS).apply(COMPUTER);
        SystemCapability s = d.capability(SystemCapability.class).orElseThrow();
        assertThat(s.product()).isEqualTo("OSHI Product");
        assertThat(s.hardware()).isEqualTo(new SystemCapability.Hardware("Sysfs Vendor", "1.0", "SER-OSHI", "uuid-oshi"));
        assertThat(s.firmware()).isEqualTo(new SystemCapability.Firmware("OSHI BIOS Inc.", "sysfs-bios-1", "2023-03-14"));
        assertThat(s.baseboard()).isEqualTo(BOARD);
        assertThat(s.memory()).containsExactly(DIMM);
        assertThat(s.sensors()).isEqualTo(SENSORS);
        assertThat(d.sources()).containsExactly("oshi", "sysfs");
    }

    @Test
    void otherDevicesAreTheSameInstance() {
        assertThat(OshiOverlay.of(FACTS).apply(TTY)).isSameAs(TTY);
    }

    @Test
    void overTheTreeOnlyComputerChangesAndTopologyStays() {
        DeviceTree out = Overlay.over(TREE, List.of(OshiOverlay.of(FACTS)));
        assertThat(out.devices()).extracting(Device::name).containsExactly(DeviceTree.ROOT, "tty_ttyS0");
        assertThat(out.get("tty_ttyS0").orElseThrow()).isSameAs(TTY);
        assertThat(out.get(DeviceTree.ROOT).orElseThrow().sources()).containsExactly("oshi", "sysfs");
        assertThat(out.get(DeviceTree.ROOT).orElseThrow().parent()).isNull();
    }

    @Test
    void factsThatKnowNothingAreNoOverlayAndLeaveTheTreeAlone() {
        OshiFacts onlyTotal = new OshiFacts(null, null, null, List.of(), null, 1L << 30);
        assertThat(OshiOverlay.of(onlyTotal)).isSameAs(Overlay.NONE);
        assertThat(OshiOverlay.of(OshiFacts.NONE)).isSameAs(Overlay.NONE);
        assertThat(Overlay.over(TREE, List.of(OshiOverlay.of(onlyTotal)))).isSameAs(TREE);
    }

    @Test
    void whenSysfsHadEveryValueOnlyTheSourceIsAdded() {
        OshiFacts same = new OshiFacts(new OshiFacts.Identity("Other Vendor", null, null, null, null),
                null, null, List.of(), null, null);
        Device d = OshiOverlay.of(same).apply(COMPUTER);
        assertThat(d.capabilities()).isEqualTo(COMPUTER.capabilities());
        assertThat(d.sources()).containsExactly("oshi", "sysfs");
    }

    @Test
    void aComputerWithoutItsSystemCapabilityGetsOne() {
        Device bare = new Device(DeviceTree.ROOT, null, null, null, null, null, null, List.of(), List.of(), List.of(),
                false);
        Device d = OshiOverlay.of(FACTS).apply(bare);
        assertThat(d.capability(SystemCapability.class)).get().extracting(SystemCapability::baseboard).isEqualTo(BOARD);
    }

    @Test
    void theEnrichedComputerRoundTripsThroughJson() throws Exception {
        Device d = OshiOverlay.of(FACTS).apply(COMPUTER);
        String json = ModelJson.toJson(d);
        assertThat(json).contains("\"baseboard\"", "\"memory\"", "\"part_number\"", "\"cpu_temperature\": 48",
                "\"fan_speeds\"", "\"cpu_voltage\": 1.24", "\"speed\": 3200", "\"oshi\"");
        assertThat(ModelJson.readDevice(json)).isEqualTo(d);
    }

    @Test
    void overlaysAreEqualWhenTheyLayTheSameFacts() {
        OshiFacts otherTotal = new OshiFacts(FACTS.system(), FACTS.firmware(), BOARD, List.of(DIMM), SENSORS, 1L);
        OshiFacts warmer = new OshiFacts(FACTS.system(), FACTS.firmware(), BOARD, List.of(DIMM),
                new SystemCapability.Sensors(49, List.of(1210), 1.24), FACTS.memoryTotal());
        assertThat(OshiOverlay.of(otherTotal)).isEqualTo(OshiOverlay.of(FACTS)).hasSameHashCodeAs(OshiOverlay.of(FACTS));
        assertThat(OshiOverlay.of(warmer)).isNotEqualTo(OshiOverlay.of(FACTS));
    }
}
