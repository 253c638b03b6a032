package io.hostdev.probes.uevent;

import io.hostdev.probes.HostRoot;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The monitor's pure parts; {@link UeventMonitorLiveTest} talks to the kernel. */
class UeventMonitorTest {

    @Nested
    class PollTimeout {

        @ParameterizedTest
        @CsvSource({
                "1000000, 0, 1",
                "1000001, 0, 2",
                "999999, 0, 1",
                "1, 0, 1",
                "0, 0, 0",
                "-5, 0, 0",
                "50000000, 40000000, 10"})
        void roundsUpToWholeMillisecondsAndNeverWaitsPastTheDeadline(long deadline, long now, int expected) {
            assertThat(UeventMonitor.timeoutMillis(deadline, now)).isEqualTo(expected);
        }

        @Test
        void nothingPendingWaitsForever() {
            assertThat(UeventMonitor.timeoutMillis(Long.MAX_VALUE, 123)).isEqualTo(-1);
        }

        @Test
        void aFarDeadlineIsCappedNotWrapped() {
            assertThat(UeventMonitor.timeoutMillis(Long.MAX_VALUE - 1, 0)).isEqualTo(Integer.MAX_VALUE);
        }
    }

    @Nested
    class Refusals {

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "1|permission denied",
                "13|permission denied",
                "97|no netlink in this kernel or sandbox (EAFNOSUPPORT)",
                "93|EPROTONOSUPPORT",
                "24|EMFILE",
                "105|ENOBUFS",
                "71|errno 71"})
        void sayWhyInOneSentence(int errno, String why) {
            assertThat(NetlinkUeventSocket.refusal("socket(AF_NETLINK, NETLINK_KOBJECT_UEVENT)", errno))
                    .startsWith("socket(AF_NETLINK, NETLINK_KOBJECT_UEVENT) failed: ").contains(why);
        }

        @Test
        void absentReadsAsAbsent() {
            UeventMonitor.Open open = new UeventMonitor.Absent("not Linux");

            assertThat(open).hasToString("absent: not Linux");
            assertThat(open.available()).isEmpty();
        }
    }

    @Test
    void sockaddrNlIsFamilyPadPortAndGroupsInHostOrder() {
        ByteBuffer b = ByteBuffer.wrap(NetlinkUeventSocket.sockaddrNl(0, 3)).order(ByteOrder.nativeOrder());

        assertThat(b.capacity()).isEqualTo(12);
        assertThat(b.getShort(0)).isEqualTo((short) 16);
        assertThat(b.getShort(2)).isZero();
        assertThat(b.getInt(4)).isZero();
        assertThat(b.getInt(8)).isEqualTo(3);
    }

    @Nested
    class Paths {

        @ParameterizedTest
        @CsvSource(delimiter = '|', nullValues = "null", value = {
                "/devices/virtual/net/hdue0|/host/sys/devices/virtual/net/hdue0",
                "/devices/pci0000:00/0000:00:1f.2/ata1|/host/sys/devices/pci0000:00/0000:00:1f.2/ata1",
                "/module/loop|/host/sys/module/loop",
                "/|/host/sys",
                "/devices/../../etc|null",
                "/../sys2/x|null",
                "devices/x|null"})
        void devpathsMapBelowTheRootsSysfs(String devpath, String expected) {
            Path p = Uevent.sysPath(HostRoot.of(Path.of("/host")), devpath);

            assertThat(p).isEqualTo(expected == null ? null : Path.of(expected));
        }
    }

    @Nested
    class Options {

        @Test
        void defaultsListenToTheKernelOnlyWithATenMillisecondWindow() {
            UeventOptions o = UeventOptions.defaults();

            assertThat(o.udevGroup()).isFalse();
            assertThat(o.window()).isEqualTo(Duration.ofMillis(4));
            assertThat(o.maxDelay()).isEqualTo(Duration.ofMillis(250));
            assertThat(o.receiveBufferBytes()).isEqualTo(4 << 20);
        }

        @Test
        void aMaxDelayShorterThanTheWindowIsRefused() {
            assertThatThrownBy(() -> UeventOptions.defaults().withWindow(Duration.ofMillis(50), Duration.ofMillis(10)))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void negativeSizesAreRefused() {
            assertThatThrownBy(() -> UeventOptions.defaults().withReceiveBuffer(-1))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> UeventOptions.defaults().withMaxPaths(0))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
