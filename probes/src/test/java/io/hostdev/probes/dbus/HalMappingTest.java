package io.hostdev.probes.dbus;

import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class HalMappingTest {

    static HalDevice device(Map<String, ?> raw) {
        return HalSource.fromProperties("/org/freedesktop/Hal/devices/x", raw);
    }

    /** HAL key and value (as HAL sends it) → our field and value; null = the field stays unset. */
    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("pci.vendor_id", new Variant<>(0x8086), "pci.vendor.id", "0x8086"),
                Arguments.of("pci.vendor_id", new Variant<>(0x10de0), "pci.vendor.id", null),
                Arguments.of("pci.vendor_id", new Variant<>(-1), "pci.vendor.id", null),
                Arguments.of("pci.product_id", new Variant<>(0x100e), "pci.product.id", "0x100e"),
                Arguments.of("pci.vendor", new Variant<>("Intel Corporation"), "pci.vendor.name", "Intel Corporation"),
                Arguments.of("pci.product", new Variant<>("82540EM"), "pci.product.name", "82540EM"),
                Arguments.of("pci.subsys_vendor_id", new Variant<>(0x1af4), "pci.subsystem_vendor.id", "0x1af4"),
                Arguments.of("pci.subsys_product_id", new Variant<>(0x1100), "pci.subsystem_product.id", "0x1100"),
                Arguments.of("pci.subsys_vendor", new Variant<>("Red Hat, Inc."), "pci.subsystem_vendor.name", "Red Hat, Inc."),
                Arguments.of("pci.subsys_product", new Variant<>("QEMU"), "pci.subsystem_product.name", "QEMU"),
                Arguments.of("usb_device.product", new Variant<>("Unifying Receiver"), "usb_device.product.name",
                        "Unifying Receiver"),
                Arguments.of("volume.size", new Variant<>(new UInt64(1048576)), "storage.size", 1048576L),
                Arguments.of("usb_device.vendor_id", new Variant<>(0x46d), "usb_device.vendor.id", "0x046d"),
                Arguments.of("usb_device.product_id", new Variant<>(0xc52b), "usb_device.product.id", "0xc52b"),
                Arguments.of("usb_device.vendor", new Variant<>("Logitech"), "usb_device.vendor.name", "Logitech"),
                Arguments.of("usb_device.bus_number", new Variant<>(1), "usb_device.bus", 1),
                Arguments.of("usb_device.linux.device_number", new Variant<>(3), "usb_device.device", 3),
                Arguments.of("usb_device.device_class", new Variant<>(9), "usb_device.device_class", "0x09"),
                Arguments.of("usb_device.serial", new Variant<>(""), "usb_device.serial", null),
                Arguments.of("usb_device.speed", new Variant<>(480.0), "usb_device.speed", 480.0),
                Arguments.of("usb_device.speed", new Variant<>(0.0), "usb_device.speed", null),
                Arguments.of("usb_device.version", new Variant<>(2.0), "usb_device.version", "2.00"),
                Arguments.of("usb_device.version", new Variant<>(1.1), "usb_device.version", "1.10"),
                Arguments.of("net.address", new Variant<>("52:54:00:AB:CD:EF"), "net.address", "52:54:00:ab:cd:ef"),
                Arguments.of("net.address", new Variant<>("00:00:00:00"), "net.address", null),
                Arguments.of("net.interface", new Variant<>("eth0"), "net.interface", "eth0"),
                Arguments.of("net.linux.ifindex", new Variant<>(2), "net.ifindex", 2),
                Arguments.of("block.device", new Variant<>("/dev/sda"), "storage.block", "/dev/sda"),
                Arguments.of("storage.vendor", new Variant<>("ATA"), "storage.vendor", "ATA"),
                Arguments.of("storage.model", new Variant<>("QEMU HARDDISK"), "storage.model", "QEMU HARDDISK"),
                Arguments.of("storage.serial", new Variant<>("QM0001"), "storage.serial", "QM0001"),
                Arguments.of("storage.removable", new Variant<>(true), "storage.removable", true),
                Arguments.of("storage.removable", new Variant<>("yes"), "storage.removable", null),
                Arguments.of("storage.size", new Variant<>(new UInt64(10737418240L)), "storage.size", 10737418240L),
                Arguments.of("storage.size", new Variant<>(new UInt64(0)), "storage.size", null),
                Arguments.of("storage.drive_type", new Variant<>("cdrom"), "storage.kind", "cdrom"),
                Arguments.of("storage.drive_type", new Variant<>("floppy"), "storage.kind", null),
                Arguments.of("volume.partition.number", new Variant<>(1), "storage.partition", 1),
                Arguments.of("linux.sysfs_path", new Variant<>("/sys/devices/pci0000:00/0000:00:03.0"), "path",
                        "/sys/devices/pci0000:00/0000:00:03.0"));
    }

    @ParameterizedTest(name = "{0}={1} → {2}={3}")
    @MethodSource("table")
    void aHalKeyFillsItsModelField(String halKey, Object value, String field, Object expected) {
        HalFacts facts = HalMapping.map(device(Map.of(halKey, value)));

        if (expected == null) {
            assertThat(facts.fields()).doesNotContainKey(field);
        } else {
            assertThat(facts.fields()).containsEntry(field, expected);
        }
    }

    @Test
    void theTableCoversEveryRuleItDeclares() {
        assertThat(table().map(a -> (String) a.get()[0]).distinct())
                .containsAll(HalMapping.RULES.stream().map(HalMapping.Rule::halKey).toList());
    }

    @Test
    void thePciClassNeedsAllThreeParts() {
        assertThat(HalMapping.map(device(Map.of("pci.device_class", 2, "pci.device_subclass", 0,
                "pci.device_protocol", 0))).fields()).containsEntry("pci.class.id", "0x020000");
        assertThat(HalMapping.map(device(Map.of("pci.device_class", 2, "pci.device_subclass", 0))).fields())
                .doesNotContainKey("pci.class.id");
        assertThat(HalMapping.map(device(Map.of("pci.device_class", 300, "pci.device_subclass", 0,
                "pci.device_protocol", 0))).fields()).doesNotContainKey("pci.class.id");
    }

    @Test
    void infoKeysBecomeTheFactsOwnFields() {
        HalFacts facts = HalMapping.map(device(Map.of(
                "info.parent", "/org/freedesktop/Hal/devices/computer",
                "info.category", "net.80203",
                "info.capabilities", List.of("net.80203", "net"),
                "info.product", "82540EM Gigabit Ethernet Controller",
                "info.vendor", "Intel Corporation",
                "linux.sysfs_path", "/sys/devices/pci0000:00/0000:00:03.0/net/eth0")));

        assertThat(facts.udi()).isEqualTo("/org/freedesktop/Hal/devices/x");
        assertThat(facts.parentUdi()).isEqualTo("/org/freedesktop/Hal/devices/computer");
        assertThat(facts.category()).isEqualTo("net.80203");
        assertThat(facts.capabilities()).containsExactly("net", "net.80203");
        assertThat(facts.product()).isEqualTo("82540EM Gigabit Ethernet Controller");
        assertThat(facts.vendor()).isEqualTo("Intel Corporation");
        assertThat(facts.sysfsPath()).isEqualTo("/sys/devices/pci0000:00/0000:00:03.0/net/eth0");
    }

    @Test
    void storageSizeWinsOverVolumeSize() {
        assertThat(HalMapping.map(device(Map.of("storage.size", 100L, "volume.size", 50L))).fields())
                .containsEntry("storage.size", 100L);
        assertThat(HalMapping.map(device(Map.of("volume.size", 50L))).fields()).containsEntry("storage.size", 50L);
    }

    @Test
    void aDeviceWithoutPropertiesMapsToNothing() {
        HalFacts facts = HalMapping.map(device(Map.of()));

        assertThat(facts.fields()).isEmpty();
        assertThat(facts.capabilities()).isEmpty();
        assertThat(facts.sysfsPath()).isNull();
    }
}
