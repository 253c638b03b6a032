package io.hostdev.probes.sysfs;

import io.hostdev.model.DeviceTree;
import io.hostdev.model.cap.IdName;
import io.hostdev.model.cap.UsbDeviceCapability;
import io.hostdev.model.cap.UsbInterfaceCapability;
import io.hostdev.probes.testing.FakeSysfs;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.hostdev.probes.sysfs.BusScans.cap;
import static io.hostdev.probes.sysfs.BusScans.device;
import static io.hostdev.probes.sysfs.BusScans.scan;
import static org.assertj.core.api.Assertions.assertThat;

class UsbReaderTest {

    private static final String HC = "pci0000:00/0000:00:14.0";
    private static final List<String> DEVICE_ATTRIBUTES = List.of("busnum", "devnum", "idVendor", "idProduct",
            "manufacturer", "product", "bDeviceClass", "version", "speed", "serial");
    private static final List<String> INTERFACE_ATTRIBUTES = List.of("bInterfaceNumber", "bInterfaceClass",
            "bInterfaceSubClass", "bInterfaceProtocol", "interface");

    @Nested
    class OnAHubWithAMouse {

        @TempDir
        Path root;

        DeviceTree tree() {
            FakeSysfs fs = new FakeSysfs(root);
            fs.busDevice(HC, "pci");
            fs.busDevice(HC + "/usb1", "usb").uevent("DEVTYPE=usb_device", "DEVNAME=bus/usb/001/001")
                    .driver("usb", "usb")
                    .attr("busnum", "1").attr("devnum", "1")
                    .attr("idVendor", "1d6b").attr("idProduct", "0002")
                    .attr("manufacturer", "Linux 6.1.0 xhci-hcd").attr("product", "xHCI Host Controller")
                    .attr("bDeviceClass", "09").attr("version", " 2.00").attr("speed", "480")
                    .attr("serial", "0000:00:14.0");
            fs.busDevice(HC + "/usb1/1-0:1.0", "usb").uevent("DEVTYPE=usb_interface").driver("usb", "hub")
                    .attr("bInterfaceNumber", "00").attr("bInterfaceClass", "09")
                    .attr("bInterfaceSubClass", "00").attr("bInterfaceProtocol", "00");
            fs.busDevice(HC + "/usb1/1-2", "usb").uevent("DEVTYPE=usb_device")
                    .attr("busnum", "1").attr("devnum", "2")
                    .attr("idVendor", "046d").attr("idProduct", "C52B")
                    .attr("manufacturer", "Logitech").attr("product", "USB Receiver")
                    .attr("bDeviceClass", "00").attr("version", " 2.00").attr("speed", "12");
            fs.busDevice(HC + "/usb1/1-2/1-2:1.0", "usb").uevent("DEVTYPE=usb_interface").driver("usb", "usbhid")
                    .attr("bInterfaceNumber", "00").attr("bInterfaceClass", "03")
                    .attr("bInterfaceSubClass", "01").attr("bInterfaceProtocol", "02")
                    .attr("interface", "Boot Mouse");
            fs.busDevice(HC + "/usb1/1-2/1-2:1.10", "usb").uevent("DEVTYPE=usb_interface")
                    .attr("bInterfaceNumber", "0a").attr("bInterfaceClass", "ff")
                    .attr("bInterfaceSubClass", "00").attr("bInterfaceProtocol", "00");
            return scan(root);
        }

        @Test
        void rootHubIsAUsbDeviceWithItsOwnStrings() {
            assertThat(cap(tree(), "usb_usb1", UsbDeviceCapability.class)).isEqualTo(new UsbDeviceCapability(
                    1, 1, new IdName("0x1d6b", "Linux 6.1.0 xhci-hcd"), new IdName("0x0002", "xHCI Host Controller"),
                    "0x09", "2.00", 480.0, "0000:00:14.0"));
        }

        @Test
        void deviceUnderTheHubHasLibvirtsNameAndTheHubAsParent() {
            DeviceTree tree = tree();
            assertThat(device(tree, "usb_1_2").parent()).isEqualTo("usb_usb1");
            assertThat(cap(tree, "usb_1_2", UsbDeviceCapability.class)).isEqualTo(new UsbDeviceCapability(
                    1, 2, new IdName("0x046d", "Logitech"), new IdName("0xc52b", "USB Receiver"),
                    "0x00", "2.00", 12.0, null));
        }

        @Test
        void interfaceCarriesItsClassTripleAndDescription() {
            DeviceTree tree = tree();
            assertThat(device(tree, "usb_1_2_1_0").parent()).isEqualTo("usb_1_2");
            assertThat(cap(tree, "usb_1_2_1_0", UsbInterfaceCapability.class))
                    .isEqualTo(new UsbInterfaceCapability(0, "0x03", "0x01", "0x02", "Boot Mouse"));
            assertThat(device(tree, "usb_1_2_1_0").capabilityTypes()).containsExactly("usb");
        }

        @Test
        void interfaceNumberIsReadAsHexAsSysfsPrintsIt() {
            assertThat(cap(tree(), "usb_1_2_1_10", UsbInterfaceCapability.class).number()).isEqualTo(10);
        }
    }

    @Nested
    class OnHostileInput {

        @TempDir
        Path root;

        @Test
        void garbageInEveryAttributeLeavesEveryNumberAndCodeAbsent() {
            FakeSysfs fs = new FakeSysfs(root);
            FakeSysfs.Dev dev = fs.busDevice(HC + "/usb1", "usb").uevent("DEVTYPE=usb_device");
            DEVICE_ATTRIBUTES.forEach(a -> dev.rawAttr(a, BusScans.GARBAGE));
            FakeSysfs.Dev intf = fs.busDevice(HC + "/usb1/1-0:1.0", "usb").uevent("DEVTYPE=usb_interface");
            INTERFACE_ATTRIBUTES.forEach(a -> intf.rawAttr(a, BusScans.GARBAGE));

            DeviceTree tree = scan(root);

            UsbDeviceCapability d = cap(tree, "usb_usb1", UsbDeviceCapability.class);
            assertThat(d.bus()).isNull();
            assertThat(d.device()).isNull();
            assertThat(d.vendor()).as("a name without an id is no value").isNull();
            assertThat(d.product()).isNull();
            assertThat(d.deviceClass()).isNull();
            assertThat(d.version()).isNull();
            assertThat(d.speed()).isNull();
            UsbInterfaceCapability i = cap(tree, "usb_1_0_1_0", UsbInterfaceCapability.class);
            assertThat(i.number()).isNull();
            assertThat(i.interfaceClass()).isNull();
            assertThat(i.subclass()).isNull();
            assertThat(i.protocol()).isNull();
        }

        @Test
        void unreadableAttributesAreAbsent() {
            FakeSysfs fs = new FakeSysfs(root);
            fs.busDevice(HC + "/usb1", "usb").uevent("DEVTYPE=usb_device");
            // a directory where a file should be answers EISDIR, like an attribute that refuses reads
            DEVICE_ATTRIBUTES.forEach(a -> fs.dir("sys/devices/" + HC + "/usb1/" + a));
            assertThat(cap(scan(root), "usb_usb1", UsbDeviceCapability.class))
                    .isEqualTo(new UsbDeviceCapability(null, null, null, null, null, null, null, null));
        }

        @Test
        void deviceWhoseUeventIsUnreadableIsStillRecognisedByItsName() throws Exception {
            FakeSysfs fs = new FakeSysfs(root);
            Path dir = fs.busDevice(HC + "/usb1/1-2", "usb").attr("busnum", "1").attr("devnum", "3").dir();
            Files.delete(dir.resolve("uevent"));
            Files.createDirectory(dir.resolve("uevent"));
            assertThat(cap(scan(root), "usb_1_2", UsbDeviceCapability.class).device()).isEqualTo(3);
        }

        @Test
        void otherDevtypesOnTheBusStayGeneric() {
            FakeSysfs fs = new FakeSysfs(root);
            fs.busDevice(HC + "/usb1/1-2", "usb").uevent("DEVTYPE=usb_something_new");
            assertThat(device(scan(root), "usb_1_2").capabilityTypes()).containsExactly("generic");
        }
    }

    @Nested
    class Kind {
        @ParameterizedTest
        @CsvSource(nullValues = "-", value = {
                "usb_device, 1-2, DEVICE",
                "usb_interface, 1-2:1.0, INTERFACE",
                "usb_device, whatever, DEVICE",
                "usb_port, usb1-port1, -",
                "usb_endpoint, ep_81, -",
                "-, usb1, DEVICE",
                "-, usb12, DEVICE",
                "-, 1-2, DEVICE",
                "-, 3-1.4.2, DEVICE",
                "-, 1-0:1.0, INTERFACE",
                "-, 3-1.4.2:2.1, INTERFACE",
                "-, usb1-port1, -",
                "-, ep_81, -",
                "-, 1-, -",
                "-, 1-2:1, -",
                "-, usb, -",
                "-, -, -"})
        void devtypeDecidesAndTheNameStandsInWhenItIsMissing(String devtype, String sysname, UsbReader.Kind expected) {
            assertThat(UsbReader.kind(devtype, sysname)).isEqualTo(expected);
        }
    }

    @Nested
    class Values {
        @ParameterizedTest
        @CsvSource({"1.5, 1.5", "12, 12", "480, 480", "5000, 5000", "10000, 10000", "20000, 20000",
                "' 480 ', 480"})
        void speedIsInMegabitsPerSecond(String raw, double expected) {
            assertThat(UsbReader.speed(raw)).isEqualTo(expected);
        }

        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"", "unknown", "-12", "1.5.0", "0x1e0", "NaN", "Infinity", "1e3", "480 Mb/s",
                "\u0664\u0668\u0660"})
        void unknownOrGarbageSpeedIsAbsent(String raw) {
            assertThat(UsbReader.speed(raw)).isNull();
        }

        @ParameterizedTest
        @CsvSource({"' 2.00', 2.00", "' 1.10', 1.10", "3.20, 3.20", "10.00, 10.00"})
        void versionLosesItsPadding(String raw, String expected) {
            assertThat(UsbReader.version(raw)).isEqualTo(expected);
        }

        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"", " ", "2", "2.0", "2.000", "x.yz", "2.00 beta", "-2.00"})
        void malformedVersionIsAbsent(String raw) {
            assertThat(UsbReader.version(raw)).isNull();
        }

        @ParameterizedTest
        @CsvSource(nullValues = "-", value = {
                "1d6b, Linux Foundation, 0x1d6b, Linux Foundation",
                "046D, '  ', 0x046d, -",
                "046d, -, 0x046d, -"})
        void idKeepsTheDevicesOwnName(String rawId, String rawName, String id, String name) {
            assertThat(UsbReader.idName(rawId, rawName)).isEqualTo(new IdName(id, name));
        }

        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"", "xyz"})
        void noIdMeansNoValue(String rawId) {
            assertThat(UsbReader.idName(rawId, "Logitech")).isNull();
        }
    }
}
