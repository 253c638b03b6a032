package io.hostdev.model;

import io.hostdev.model.cap.NetCapability;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FactsTest {

    static final NetCapability NET = new NetCapability("eth0", "52:54:00:12:34:56", 2, null, null, null, null, null,
            null, null, null, null);

    static Device eth0(NetCapability net) {
        return new Device("net_eth0", DeviceTree.ROOT, "/sys/devices/virtual/net/eth0", "net", null, null, null,
                List.of(), List.of("eth0"), List.of(net), false, List.of(Device.SYSFS));
    }

    static NetCapability net(Device d) {
        return d.capability(NetCapability.class).orElseThrow();
    }

    @Nested
    class Fill {

        @Test
        void absentFieldsAreFilledAndPresentOnesKept() {
            Device filled = Facts.fill(eth0(NET), Map.of("net.mtu", 9000, "net.address", "aa:bb:cc:dd:ee:ff"));

            assertThat(net(filled).mtu()).isEqualTo(9000);
            assertThat(net(filled).address()).as("sysfs wins").isEqualTo("52:54:00:12:34:56");
        }

        @Test
        void nestedFieldsAreFilledBelowAnAbsentObject() {
            Device filled = Facts.fill(eth0(NET), Map.of("net.link.state", "up", "net.link.speed", 1000L));

            assertThat(net(filled).link()).isEqualTo(new NetCapability.Link("up", 1000L));
        }

        @Test
        void aCapabilityTheDeviceLacksIsNotCreated() {
            Device d = eth0(NET);

            assertThat(Facts.fill(d, Map.of("pci.vendor.id", "0x8086", "storage.serial", "X"))).isSameAs(d);
        }

        @Test
        void aValueOfTheWrongTypeIsSkippedAndTheRestFilled() {
            Device filled = Facts.fill(eth0(NET), Map.of("net.mtu", "not a number", "net.link.state", "up"));

            assertThat(net(filled).mtu()).isNull();
            assertThat(net(filled).link().state()).isEqualTo("up");
        }

        @Test
        void nothingToFillGivesTheSameInstanceAndSourcesAreUntouched() {
            Device d = eth0(NET);

            assertThat(Facts.fill(d, Map.of("net.interface", "other", "net.unknown_field", "x"))).isSameAs(d);
            assertThat(Facts.fill(d, Map.of("net.mtu", 1500)).sources()).containsExactly("sysfs");
        }
    }

    @Nested
    class Overlays {

        @Test
        void anOverlayKeepsTheTopologyWhateverItReturns() {
            DeviceTree tree = DeviceTree.of(List.of(
                    new Device(DeviceTree.ROOT, null, null, null, null, null, List.of(), List.of(), List.of()),
                    eth0(NET)));

            DeviceTree over = Overlay.over(tree, List.of(d -> d.isRoot() ? d
                    : d.withName("renamed").withParent("elsewhere").withSource("dbus.hal")
                            .withAliases(List.of("eth0", "/org/freedesktop/Hal/devices/net_eth0"))));

            Device d = over.get("net_eth0").orElseThrow();
            assertThat(d.parent()).isEqualTo(DeviceTree.ROOT);
            assertThat(d.path()).isEqualTo("/sys/devices/virtual/net/eth0");
            assertThat(d.sources()).containsExactly("dbus.hal", "sysfs");
            assertThat(d.aliases()).contains("/org/freedesktop/Hal/devices/net_eth0");
        }

        @Test
        void overlaysThatChangeNothingGiveTheSameTree() {
            DeviceTree tree = DeviceTree.of(List.of(
                    new Device(DeviceTree.ROOT, null, null, null, null, null, List.of(), List.of(), List.of()),
                    eth0(NET)));

            assertThat(Overlay.over(tree, List.of(Overlay.NONE, d -> d))).isSameAs(tree);
        }
    }
}
