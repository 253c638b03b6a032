package io.hostdev.agent.metrics;

import io.hostdev.agent.testing.Trees;
import io.hostdev.model.DeviceMatcher;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.cap.PciCapability;
import io.hostdev.model.select.Selector;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DeviceFactsTest {

    private static Double d(String s) {
        return s == null ? null : Double.valueOf(s);
    }

    private static Integer i(String s) {
        return s == null ? null : Integer.valueOf(s);
    }

    @Nested
    class LinkDegraded {

        @ParameterizedTest(name = "max {0} GT/s x{1}, current {2} GT/s x{3} -> {4}")
        @CsvSource(nullValues = "-", value = {
                "8.0,  16, 8.0,  16, 0",
                "8.0,  16, 2.5,  16, 1",   // trained at a lower speed
                "16.0, 16, 16.0, 8,  1",   // fewer lanes: a badly seated card, a x16 card in a x8 slot
                "8.0,  16, 2.5,  8,  1",
                "8.0,  -,  8.0,  -,  0",   // width unknown on both sides: speed alone decides
                "-,    16, -,    4,  1",   // speed "Unknown": width alone decides
                "8.0,  16, -,    16, 0",   // only the width is comparable
                "8.0,  -,  -,    4,  -",   // nothing comparable
                "-,    -,  -,    -,  -",
                "2.5,  1,  5.0,  1,  0",   // above max is not degraded (firmware reporting quirks)
        })
        void comparesOnlyWhatIsKnownOnBothSides(String maxSpeed, String maxWidth, String speed, String width,
                                                String expected) {
            assertThat(DeviceFacts.linkDegraded(Trees.link(d(maxSpeed), i(maxWidth), d(speed), i(width))))
                    .isEqualTo(i(expected));
        }

        @Test
        void aMissingSideIsUnknown() {
            assertThat(DeviceFacts.linkDegraded(null)).isNull();
            assertThat(DeviceFacts.linkDegraded(new PciCapability.Link(null,
                    new PciCapability.LinkState(2.5, 1)))).isNull();
            assertThat(DeviceFacts.linkDegraded(new PciCapability.Link(new PciCapability.LinkState(2.5, 1),
                    null))).isNull();
        }
    }

    @ParameterizedTest(name = "operstate {0} -> {1}")
    @CsvSource(nullValues = "-", value = {
            "up, 1", "UP, 1", "' up ', 1", "down, 0", "lowerlayerdown, 0", "dormant, 0", "testing, 0",
            "notpresent, 0", "unknown, -", "'', -", "-, -"})
    void operstateUpIsOneUnknownIsAbsentTheRestZero(String operstate, String expected) {
        assertThat(DeviceFacts.linkUp(operstate)).isEqualTo(i(expected));
    }

    @ParameterizedTest(name = "{0} Mbit/s -> {1} B/s")
    @CsvSource(nullValues = "-", value = {"10, 1250000", "1000, 125000000", "100000, 12500000000", "0, -", "-1, -",
            "-, -"})
    void speedIsConvertedToBytesPerSecond(String mbits, String expected) {
        assertThat(DeviceFacts.speedBytesPerSecond(mbits == null ? null : Long.valueOf(mbits))).isEqualTo(d(expected));
    }

    @Nested
    class Collect {

        private final DeviceTree tree = Trees.computer()
                .add(Trees.pci("00:02.0", Trees.link(8.0, 16, 8.0, 16), null))
                .add(Trees.pci("00:03.0", null, new PciCapability.Sriov(null, null, List.of(), "0000:00:02.0")))
                .add(Trees.net("eth0", "pci_0000_00_02_0", "unknown", null))
                .add(Trees.disk("vda", 4096L))
                .add(Trees.disk("vdb", null))
                .build();

        @Test
        void devicesWithoutKnownValuesHaveNoSeries() {
            DeviceFacts.Collected c = DeviceFacts.collect(tree, DeviceMatcher.ALL, 100);

            // the VF has an sriov block but no counts, eth0's state is unknown, vdb's size too; siblings in name order
            assertThat(c.samples()).containsExactly(
                    new DeviceFacts.Sample(DeviceFacts.Fact.STORAGE_SIZE, "block_vda", "/dev/vda", 4096),
                    new DeviceFacts.Sample(DeviceFacts.Fact.PCI_LINK_DEGRADED, "pci_0000_00_02_0", "0000:00:02.0", 0));
            assertThat(c.dropped()).isZero();
        }

        @Test
        void theCapKeepsTheFirstSeriesInTreeOrder() {
            DeviceFacts.Collected c = DeviceFacts.collect(tree, DeviceMatcher.ALL, 1);

            assertThat(c.samples()).extracting(DeviceFacts.Sample::device).containsExactly("block_vda");
            assertThat(c.dropped()).isEqualTo(1);
        }

        @Test
        void onlyMatchingDevicesCount() {
            DeviceFacts.Collected c = DeviceFacts.collect(tree, Selector.parse("cap='storage'"), 100);

            assertThat(c.samples()).extracting(DeviceFacts.Sample::device).containsExactly("block_vda");
        }
    }
}
