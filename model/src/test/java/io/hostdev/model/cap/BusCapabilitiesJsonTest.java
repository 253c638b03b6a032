package io.hostdev.model.cap;

import io.hostdev.model.Device;
import io.hostdev.model.ModelJson;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class BusCapabilitiesJsonTest {

    static Stream<Arguments> capabilities() {
        return Stream.of(
                Arguments.of(new UsbDeviceCapability(1, 2, new IdName("0x046d", "Logitech"), IdName.of("0xc52b"),
                        "0x00", "2.00", 1.5, null),
                        List.of("\"usb_device\": {", "\"device_class\": \"0x00\"", "\"speed\": 1.5", "\"bus\": 1"),
                        List.of("serial")),
                Arguments.of(new UsbInterfaceCapability(0, "0x03", "0x01", "0x02", null),
                        List.of("\"usb\": {", "\"number\": 0", "\"class\": \"0x03\"", "\"subclass\": \"0x01\""),
                        List.of("interface_class", "description")),
                Arguments.of(new ScsiHostCapability(0, 4294967295L, "ahci"),
                        List.of("\"scsi_host\": {", "\"host\": 0", "\"unique_id\": 4294967295",
                                "\"proc_name\": \"ahci\""),
                        List.of()),
                Arguments.of(new ScsiTargetCapability("target0:0:1", 0, 0, 1),
                        List.of("\"scsi_target\": {", "\"target\": \"target0:0:1\"", "\"channel\": 0", "\"id\": 1"),
                        List.of()),
                Arguments.of(new ScsiCapability(1, 0, 0, 4611686018427387904L, 5, "cdrom", "QEMU", null, "2.5+"),
                        List.of("\"scsi\": {", "\"lun\": 4611686018427387904", "\"peripheral_type\": 5",
                                "\"kind\": \"cdrom\""),
                        List.of("model")),
                Arguments.of(new ScsiGenericCapability("/dev/sg0"),
                        List.of("\"scsi_generic\": {", "\"devnode\": \"/dev/sg0\""), List.of()),
                Arguments.of(new DrmCapability("connector", "HDMI-A-1", "connected", false),
                        List.of("\"drm\": {", "\"connector\": \"HDMI-A-1\"", "\"enabled\": false"), List.of()),
                Arguments.of(DrmCapability.node("render"),
                        List.of("\"drm\": {\n    \"kind\": \"render\"\n  }"), List.of("status", "enabled")),
                Arguments.of(new InputCapability("device", "Power Button", null, null, "0x0019", "0x0000", "0x0001",
                        "0x0000"),
                        List.of("\"input\": {", "\"bustype\": \"0x0019\"", "\"vendor\": \"0x0000\""),
                        List.of("phys", "uniq")),
                Arguments.of(new SoundCapability("pcm_capture", 0, 3, null),
                        List.of("\"sound\": {", "\"card\": 0", "\"device\": 3"), List.of("\"id\"")),
                Arguments.of(new VirtioCapability(19, "vsock", "0x1af4"),
                        List.of("\"virtio\": {", "\"device_id\": 19", "\"device_type\": \"vsock\""), List.of()),
                Arguments.of(new VirtioCapability(null, null, null),
                        List.of("\"virtio\": { }"), List.of("device_id")));
    }

    @ParameterizedTest
    @MethodSource("capabilities")
    void printsSnakeCaseKeysOmitsAbsentValuesAndRoundTrips(Capability cap, List<String> present, List<String> absent)
            throws Exception {
        Device d = new Device("x", "computer", null, null, null, null, List.of(), List.of(), List.of(cap));
        String json = ModelJson.toJson(d);
        assertThat(json).contains(present).doesNotContain("null");
        absent.forEach(key -> assertThat(json).doesNotContain(key));
        Device back = ModelJson.readDevice(json);
        assertThat(back).isEqualTo(d);
        assertThat(ModelJson.toJson(back)).isEqualTo(json);
    }
}
