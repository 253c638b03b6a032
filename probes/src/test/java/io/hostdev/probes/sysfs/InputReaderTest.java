package io.hostdev.probes.sysfs;

import io.hostdev.model.DeviceTree;
import io.hostdev.model.cap.InputCapability;
import io.hostdev.probes.testing.FakeSysfs;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static io.hostdev.probes.sysfs.BusScans.cap;
import static io.hostdev.probes.sysfs.BusScans.device;
import static io.hostdev.probes.sysfs.BusScans.scan;
import static org.assertj.core.api.Assertions.assertThat;

class InputReaderTest {

    private static final String KBD = "platform/i8042/serio0/input/input0";

    static InputCapability handler(String kind) {
        return new InputCapability(kind, null, null, null, null, null, null, null);
    }

    @Nested
    class OnAKeyboardWithItsHandlers {

        @TempDir
        Path root;

        DeviceTree tree() {
            FakeSysfs fs = new FakeSysfs(root);
            fs.classDevice(KBD, "input")
                    .attr("name", "AT Translated Set 2 keyboard").attr("phys", "isa0060/serio0/input0")
                    .attr("uniq", "")
                    .attr("id/bustype", "0011").attr("id/vendor", "0001").attr("id/product", "0001")
                    .attr("id/version", "ab41");
            fs.classDevice(KBD + "/event0", "input").uevent("MAJOR=13", "MINOR=64", "DEVNAME=input/event0");
            fs.classDevice("virtual/input/mice", "input").uevent("DEVNAME=input/mice");
            fs.classDevice("virtual/input/input5/js0", "input");
            fs.classDevice("virtual/input/input5/mouse2", "input");
            return scan(root);
        }

        @Test
        void inputDeviceReadsItsNamesAndHexIds() {
            assertThat(cap(tree(), "input_input0", InputCapability.class)).isEqualTo(new InputCapability("device",
                    "AT Translated Set 2 keyboard", "isa0060/serio0/input0", null, "0x0011", "0x0001", "0x0001",
                    "0xab41"));
        }

        @Test
        void eventNodeIsAChildOfItsDeviceWithOnlyItsKind() {
            DeviceTree tree = tree();
            assertThat(device(tree, "input_event0").parent()).isEqualTo("input_input0");
            assertThat(device(tree, "input_event0").devnodes()).containsExactly("/dev/input/event0");
            assertThat(cap(tree, "input_event0", InputCapability.class)).isEqualTo(handler("event"));
        }

        @Test
        void mouseAndJoystickNodesHaveTheirKinds() {
            DeviceTree tree = tree();
            assertThat(cap(tree, "input_mice", InputCapability.class)).isEqualTo(handler("mouse"));
            assertThat(cap(tree, "input_mouse2", InputCapability.class)).isEqualTo(handler("mouse"));
            assertThat(cap(tree, "input_js0", InputCapability.class)).isEqualTo(handler("joystick"));
        }
    }

    @Nested
    class OnHostileInput {

        @TempDir
        Path root;

        @Test
        void garbageIdsAreAbsent() {
            FakeSysfs fs = new FakeSysfs(root);
            FakeSysfs.Dev d = fs.classDevice(KBD, "input");
            List.of("name", "phys", "uniq", "id/bustype", "id/vendor", "id/product", "id/version")
                    .forEach(a -> d.rawAttr(a, BusScans.GARBAGE));
            InputCapability c = cap(scan(root), "input_input0", InputCapability.class);
            assertThat(c.kind()).isEqualTo("device");
            assertThat(c.bustype()).isNull();
            assertThat(c.vendor()).isNull();
            assertThat(c.product()).isNull();
            assertThat(c.version()).isNull();
        }

        @Test
        void deviceWithoutAttributesIsStillAnInputDevice() {
            FakeSysfs fs = new FakeSysfs(root);
            fs.classDevice(KBD, "input");
            assertThat(cap(scan(root), "input_input0", InputCapability.class)).isEqualTo(handler("device"));
        }

        @Test
        void unknownHandlerNodesStayGeneric() {
            FakeSysfs fs = new FakeSysfs(root);
            fs.classDevice("virtual/input/input5/ts0", "input");
            assertThat(device(scan(root), "input_ts0").capabilityTypes()).containsExactly("generic");
        }
    }

    @Nested
    class Values {
        @ParameterizedTest
        @CsvSource(nullValues = "-", value = {
                "input0, device", "input17, device", "event0, event", "event255, event", "mouse0, mouse",
                "mice, mouse", "js0, joystick", "input, -", "eventX, -", "mouse, -", "js, -", "ts0, -",
                "hidraw0, -", "-, -"})
        void kindFollowsTheNodeName(String name, String kind) {
            assertThat(InputReader.kind(name)).isEqualTo(kind);
        }

        @ParameterizedTest
        @CsvSource({"0011, 0x0011", "0001, 0x0001", "ab41, 0xab41", "AB41, 0xab41", "0x0003, 0x0003",
                "3, 0x0003", "0010, 0x0010", "ffff, 0xffff"})
        void idsAreHexNeverDecimal(String raw, String expected) {
            assertThat(InputReader.inputId(raw)).isEqualTo(expected);
        }

        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"", "10000", "zz", "-1", "0x", "ffffffffffffffff"})
        void idsOutsideSixteenBitsOrGarbageAreAbsent(String raw) {
            assertThat(InputReader.inputId(raw)).isNull();
        }
    }
}
