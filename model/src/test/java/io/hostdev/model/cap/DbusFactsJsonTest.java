package io.hostdev.model.cap;

import io.hostdev.model.Device;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.ModelJson;
import io.hostdev.model.select.Selector;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The model's fields for what only D-Bus knows: UDisks2's storage facts and the systemd capability. */
class DbusFactsJsonTest {

    static final String SDA = "/sys/devices/pci0000:00/0000:00:1f.2/ata1/host0/target0:0:0/0:0:0:0/block/sda";

    static Device disk(StorageCapability storage, SystemdCapability systemd) {
        return new Device("block_sda", "computer", SDA, "block", "disk", null, List.of("/dev/sda"), List.of(),
                systemd == null ? List.of(storage) : List.of(storage, systemd));
    }

    static StorageCapability storage(String media, Integer rotationRate, String connectionBus) {
        return new StorageCapability(StorageCapability.Kind.DISK, "/dev/sda", 1L << 30, 512, true, true, false,
                "Flash", "Kingston", "S1", null, null, null, media, rotationRate, connectionBus);
    }

    @Test
    void udisksStorageFactsAreSnakeCaseAndAbsentWhenUnknown() throws Exception {
        Device d = disk(storage("thumb", 7200, "usb"), null);
        String json = ModelJson.toJson(d);
        assertThat(json).contains("\"media\": \"thumb\"", "\"rotation_rate\": 7200", "\"connection_bus\": \"usb\"");
        assertThat(ModelJson.readDevice(json)).isEqualTo(d);

        assertThat(ModelJson.toJson(disk(storage(null, null, null), null)))
                .doesNotContain("media", "rotation_rate", "connection_bus");
    }

    @Test
    void systemdCapabilitySortsItsUnitsAndRoundTrips() throws Exception {
        SystemdCapability systemd = new SystemdCapability(
                List.of("sys-devices-pci0000:00-block-sda.device", "dev-sda.device", "dev-sda.device"), SDA,
                "active", "plugged");
        assertThat(systemd.units()).containsExactly("dev-sda.device", "sys-devices-pci0000:00-block-sda.device");
        assertThat(new SystemdCapability(null, null, null, null).units()).isEmpty();

        Device d = disk(storage(null, null, null), systemd);
        String json = ModelJson.toJson(d);
        assertThat(json).contains("\"caps\": [\n    \"storage\",\n    \"systemd\"\n  ]", "\"systemd\": {",
                "\"sysfs_path\": \"" + SDA + "\"", "\"active_state\": \"active\"", "\"sub_state\": \"plugged\"");
        assertThat(ModelJson.readDevice(json)).isEqualTo(d);
    }

    @Test
    void selectorsReachTheNewFields() {
        DeviceTree tree = DeviceTree.of(List.of(
                new Device("computer", null, null, null, null, null, List.of(), List.of(), List.of()),
                disk(storage("thumb", null, "usb"), new SystemdCapability(List.of("dev-sda.device"), SDA, "active",
                        "plugged"))));
        for (String s : List.of("cap = 'systemd'", "systemd.units = 'dev-sda.device'", "systemd.active_state = active",
                "storage.media = thumb", "storage.connection_bus = usb", "cap = storage and not exists(storage.rotation_rate)")) {
            assertThat(Selector.parse(s).select(tree)).as(s).extracting(Device::name).containsExactly("block_sda");
        }
    }
}
