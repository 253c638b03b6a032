package io.hostdev.probes.uevent;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.hostdev.probes.uevent.UeventMessages.kernel;
import static io.hostdev.probes.uevent.UeventMessages.kernelEvent;
import static io.hostdev.probes.uevent.UeventMessages.libudev;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class UeventParserTest {

    private static Uevent parse(byte[] msg) {
        return UeventParser.parse(msg, msg.length);
    }

    @Nested
    class KernelFormat {

        @Test
        void vethInterfaceAddCarriesSubsystemInterfaceAndIfindex() {
            // as received on this VM from `ip link add hduepy0 type veth peer name hduepy1`
            byte[] msg = kernel("add@/devices/virtual/net/hduepy1", "ACTION=add",
                    "DEVPATH=/devices/virtual/net/hduepy1", "SUBSYSTEM=net", "INTERFACE=hduepy1", "IFINDEX=346",
                    "SEQNUM=4185");

            Uevent e = parse(msg);

            assertThat(e).isNotNull();
            assertThat(e.action()).isEqualTo("add");
            assertThat(e.kind()).isEqualTo(Uevent.Kind.ADD);
            assertThat(e.devpath()).isEqualTo("/devices/virtual/net/hduepy1");
            assertThat(e.subsystem()).isEqualTo("net");
            assertThat(e.seqnum()).isEqualTo(4185L);
            assertThat(e.devtype()).isNull();
            assertThat(e.source()).isEqualTo(Uevent.Source.KERNEL);
            assertThat(e.properties()).containsExactly(
                    Map.entry("ACTION", "add"), Map.entry("DEVPATH", "/devices/virtual/net/hduepy1"),
                    Map.entry("IFINDEX", "346"), Map.entry("INTERFACE", "hduepy1"), Map.entry("SEQNUM", "4185"),
                    Map.entry("SUBSYSTEM", "net"));
        }

        static Stream<Arguments> documentedEvents() {
            return Stream.of(
                    arguments(kernelEvent("add", "/devices/virtual/block/loop7", "SUBSYSTEM=block", "MAJOR=7",
                                    "MINOR=7", "DEVNAME=loop7", "DEVTYPE=disk", "DISKSEQ=19", "SEQNUM=5001"),
                            Uevent.Kind.ADD, "block", "disk", 5001L, "DEVNAME", "loop7"),
                    arguments(kernelEvent("bind", "/devices/pci0000:00/0000:00:03.0", "SUBSYSTEM=pci",
                                    "DRIVER=virtio-pci", "PCI_SLOT_NAME=0000:00:03.0", "SEQNUM=88"),
                            Uevent.Kind.BIND, "pci", null, 88L, "DRIVER", "virtio-pci"),
                    arguments(kernelEvent("unbind", "/devices/pci0000:00/0000:00:03.0", "SUBSYSTEM=pci", "SEQNUM=89"),
                            Uevent.Kind.UNBIND, "pci", null, 89L, "SUBSYSTEM", "pci"),
                    arguments(kernelEvent("move", "/devices/virtual/net/eth1", "SUBSYSTEM=net",
                                    "DEVPATH_OLD=/devices/virtual/net/veth7", "INTERFACE=eth1", "SEQNUM=90"),
                            Uevent.Kind.MOVE, "net", null, 90L, "DEVPATH_OLD", "/devices/virtual/net/veth7"),
                    arguments(kernelEvent("change", "/devices/virtual/block/loop0", "SUBSYSTEM=block",
                                    "DEVTYPE=disk", "DISK_MEDIA_CHANGE=1", "SEQNUM=91"),
                            Uevent.Kind.CHANGE, "block", "disk", 91L, "DISK_MEDIA_CHANGE", "1"),
                    arguments(kernelEvent("offline", "/devices/system/cpu/cpu3", "SUBSYSTEM=cpu", "SEQNUM=92"),
                            Uevent.Kind.OFFLINE, "cpu", null, 92L, "SUBSYSTEM", "cpu"),
                    arguments(kernelEvent("online", "/devices/system/cpu/cpu3", "SUBSYSTEM=cpu", "SEQNUM=93"),
                            Uevent.Kind.ONLINE, "cpu", null, 93L, "SUBSYSTEM", "cpu"),
                    arguments(kernelEvent("remove", "/devices/pci0000:00/0000:00:14.0/usb1/1-1/1-1:1.0",
                                    "SUBSYSTEM=usb", "DEVTYPE=usb_interface", "INTERFACE=3/1/1", "SEQNUM=94"),
                            Uevent.Kind.REMOVE, "usb", "usb_interface", 94L, "INTERFACE", "3/1/1"),
                    arguments(kernelEvent("frobnicate", "/devices/virtual/misc/x", "SUBSYSTEM=misc"),
                            Uevent.Kind.OTHER, "misc", null, null, "ACTION", "frobnicate"));
        }

        @ParameterizedTest
        @MethodSource("documentedEvents")
        void documentedEventsParse(byte[] msg, Uevent.Kind kind, String subsystem, String devtype, Long seqnum,
                                   String key, String value) {
            Uevent e = parse(msg);

            assertThat(e).isNotNull();
            assertThat(e.kind()).isEqualTo(kind);
            assertThat(e.subsystem()).isEqualTo(subsystem);
            assertThat(e.devtype()).isEqualTo(devtype);
            assertThat(e.seqnum()).isEqualTo(seqnum);
            assertThat(e.property(key)).isEqualTo(value);
        }

        @Test
        void unknownActionKeepsItsText() {
            Uevent e = parse(kernelEvent("frobnicate", "/devices/x"));

            assertThat(e.action()).isEqualTo("frobnicate");
            assertThat(e.kind()).isEqualTo(Uevent.Kind.OTHER);
        }

        @Test
        void moveNamesItsOldPath() {
            Uevent e = parse(kernelEvent("move", "/devices/b", "DEVPATH_OLD=/devices/a"));

            assertThat(e.devpathOld()).isEqualTo("/devices/a");
        }

        @Test
        void headerAloneIsEnoughForActionAndDevpath() {
            Uevent e = parse(kernel("add@/devices/virtual/net/lo"));

            assertThat(e.action()).isEqualTo("add");
            assertThat(e.devpath()).isEqualTo("/devices/virtual/net/lo");
            assertThat(e.subsystem()).isNull();
            assertThat(e.properties()).containsOnlyKeys("ACTION", "DEVPATH");
        }

        @Test
        void missingFinalNulStillParses() {
            byte[] msg = kernelEvent("add", "/devices/x", "SUBSYSTEM=net");

            Uevent e = UeventParser.parse(msg, msg.length - 1);

            assertThat(e.subsystem()).isEqualTo("net");
        }

        @Test
        void onlyTheGivenLengthIsRead() {
            byte[] event = kernelEvent("add", "/devices/x", "SUBSYSTEM=net");
            byte[] withGarbage = Arrays.copyOf(event, event.length + 20);
            Arrays.fill(withGarbage, event.length, withGarbage.length, (byte) 'Z');

            assertThat(UeventParser.parse(withGarbage, event.length).properties()).containsOnlyKeys("ACTION",
                    "DEVPATH", "SUBSYSTEM");
        }

        @Test
        void stringsWithoutEqualsOrKeyAreSkipped() {
            Uevent e = parse(kernel("add@/devices/x", "ACTION=add", "garbage", "=orphan", "", "SUBSYSTEM=net"));

            assertThat(e.properties()).containsOnlyKeys("ACTION", "DEVPATH", "SUBSYSTEM");
        }

        @Test
        void valueMayContainEquals() {
            assertThat(parse(kernelEvent("add", "/devices/x", "MODALIAS=a=b")).property("MODALIAS")).isEqualTo("a=b");
        }

        @Test
        void firstOfRepeatedKeysWins() {
            assertThat(parse(kernelEvent("add", "/devices/x", "SUBSYSTEM=net", "SUBSYSTEM=block")).subsystem())
                    .isEqualTo("net");
        }

        @Test
        void malformedUtf8IsReplacedNotFatal() {
            byte[] msg = kernelEvent("add", "/devices/x", "NAME=\u0000");
            msg[msg.length - 2] = (byte) 0xff;

            assertThat(parse(msg).property("NAME")).isEqualTo("\ufffd");
        }

        @Test
        void nonNumericSeqnumIsAbsent() {
            assertThat(parse(kernelEvent("add", "/devices/x", "SEQNUM=12a")).seqnum()).isNull();
        }
    }

    @Nested
    class LibudevFormat {

        static Stream<ByteOrder> orders() {
            return Stream.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN);
        }

        @ParameterizedTest
        @MethodSource("orders")
        void udevdsCopyOfABlockAddParses(ByteOrder order) {
            byte[] msg = libudev(order, List.of("ACTION=add", "DEVPATH=/devices/virtual/block/loop3",
                    "SUBSYSTEM=block", "DEVNAME=/dev/loop3", "DEVTYPE=disk", "SEQNUM=7001", "USEC_INITIALIZED=123",
                    "MAJOR=7", "MINOR=3", "TAGS=:systemd:"));

            Uevent e = UeventParser.parse(msg, msg.length, order);

            assertThat(e).isNotNull();
            assertThat(e.source()).isEqualTo(Uevent.Source.UDEV);
            assertThat(e.kind()).isEqualTo(Uevent.Kind.ADD);
            assertThat(e.devpath()).isEqualTo("/devices/virtual/block/loop3");
            assertThat(e.subsystem()).isEqualTo("block");
            assertThat(e.devtype()).isEqualTo("disk");
            assertThat(e.seqnum()).isEqualTo(7001L);
            assertThat(e.property("DEVNAME")).isEqualTo("/dev/loop3");
            assertThat(e.property("TAGS")).isEqualTo(":systemd:");
        }

        @Test
        void propertiesMayStartAfterALargerHeader() {
            byte[] props = "\0\0\0\0ACTION=change\0DEVPATH=/devices/x\0".getBytes(StandardCharsets.UTF_8);
            byte[] msg = libudev(ByteOrder.nativeOrder(), UeventParser.LIBUDEV_MAGIC, 44, 44, props.length - 4, props);

            assertThat(parse(msg).kind()).isEqualTo(Uevent.Kind.CHANGE);
        }

        static Stream<Arguments> broken() {
            byte[] props = "ACTION=add\0DEVPATH=/devices/x\0".getBytes(StandardCharsets.UTF_8);
            int magic = UeventParser.LIBUDEV_MAGIC;
            ByteOrder o = ByteOrder.nativeOrder();
            return Stream.of(
                    arguments("wrong magic", libudev(o, 0xcafefeed, 40, 40, props.length, props)),
                    arguments("magic in host order on a little-endian host",
                            libudev(o, Integer.reverseBytes(magic), 40, 40, props.length, props)),
                    arguments("properties past the end", libudev(o, magic, 40, 40, props.length + 1, props)),
                    arguments("offset inside the header", libudev(o, magic, 40, 16, props.length, props)),
                    arguments("header smaller than its fields", libudev(o, magic, 8, 40, props.length, props)),
                    arguments("huge length wrapping around", libudev(o, magic, 40, 40, -1, props)),
                    arguments("huge offset wrapping around", libudev(o, magic, 40, -8, 16, props)),
                    arguments("empty properties", libudev(o, magic, 40, 40, 0, props)),
                    arguments("no DEVPATH", libudev(o, List.of("ACTION=add", "SUBSYSTEM=net"))),
                    arguments("prefix only", "libudev\0".getBytes(StandardCharsets.UTF_8)));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("broken")
        void brokenMessagesAreNotUevents(String why, byte[] msg) {
            assertThat(parse(msg)).isNull();
        }
    }

    @Nested
    class NotUevents {

        static Stream<Arguments> cases() {
            return Stream.of(
                    arguments("empty", new byte[0]),
                    arguments("no @ in the header", kernel("add /devices/x", "SUBSYSTEM=net")),
                    arguments("no action", kernel("@/devices/x", "SUBSYSTEM=net")),
                    arguments("no devpath", kernel("add@", "SUBSYSTEM=net")),
                    arguments("relative devpath", kernel("add@devices/x", "SUBSYSTEM=net")),
                    arguments("empty ACTION property wins over the header", kernel("add@/devices/x", "ACTION=")),
                    arguments("NULs only", new byte[16]));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("cases")
        void areNull(String why, byte[] msg) {
            assertThat(parse(msg)).isNull();
        }

        @Test
        void nullOrNonPositiveLengthIsNull() {
            assertThat(UeventParser.parse(null, 10)).isNull();
            assertThat(UeventParser.parse(kernelEvent("add", "/devices/x"), 0)).isNull();
            assertThat(UeventParser.parse(kernelEvent("add", "/devices/x"), -3)).isNull();
        }

        @Test
        void lengthBeyondTheArrayIsCut() {
            byte[] msg = kernelEvent("add", "/devices/x");

            assertThat(UeventParser.parse(msg, msg.length + 100).devpath()).isEqualTo("/devices/x");
        }
    }
}
