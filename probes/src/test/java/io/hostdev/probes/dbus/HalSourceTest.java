package io.hostdev.probes.dbus;

import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HalSourceTest {

    @Test
    void propertiesAreTypedAndUnusableOnesDropped() {
        Map<String, Object> raw = new HashMap<>();
        raw.put("info.product", new Variant<>("Computer"));
        raw.put("info.empty", new Variant<>(""));
        raw.put("pci.vendor_id", new Variant<>(0x8086));
        raw.put("storage.size", new Variant<>(new UInt64(1L << 40)));
        raw.put("storage.removable", new Variant<>(false));
        raw.put("usb_device.speed", new Variant<>(12.0));
        raw.put("info.capabilities", new Variant<>(List.of("a", "b"), "as"));
        raw.put("weird.bytes", new Variant<>(new byte[] {1, 2}));
        raw.put(null, "x");
        raw.put("null.value", null);

        HalDevice d = HalSource.fromProperties("/org/freedesktop/Hal/devices/computer", raw);

        assertThat(d.properties()).containsOnlyKeys("info.capabilities", "info.product", "pci.vendor_id",
                "storage.removable", "storage.size", "usb_device.speed");
        assertThat(d.properties()).containsEntry("pci.vendor_id", 0x8086L)
                .containsEntry("storage.size", 1L << 40)
                .containsEntry("storage.removable", false)
                .containsEntry("usb_device.speed", 12.0)
                .containsEntry("info.capabilities", List.of("a", "b"));
    }

    @Test
    void noReplyIsNoProperties() {
        assertThat(HalSource.fromProperties("/x", null).properties()).isEmpty();
    }
}
