package io.hostdev.probes.uevent;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class UeventCoalescerTest {

    private static final long MS = 1_000_000L;

    /** 10 ms window, 100 ms max delay, at most 50 paths. */
    private final UeventCoalescer c = new UeventCoalescer(10 * MS, 100 * MS, 50);

    private static Uevent event(String action, String devpath, String... kv) {
        TreeMap<String, String> props = new TreeMap<>();
        props.put("ACTION", action);
        props.put("DEVPATH", devpath);
        for (int i = 0; i + 1 < kv.length; i += 2) {
            props.put(kv[i], kv[i + 1]);
        }
        return new Uevent(action, devpath, null, null, null, props, Uevent.Source.KERNEL);
    }

    @Nested
    class Timing {

        @Test
        void nothingPendingHasNoDeadlineAndNoBatch() {
            assertThat(c.pending()).isFalse();
            assertThat(c.deadline()).isEqualTo(Long.MAX_VALUE);
            assertThat(c.poll(0)).isNull();
            assertThat(c.flush()).isNull();
        }

        @Test
        void aBatchIsDueOneWindowAfterTheLastEvent() {
            c.offer(event("add", "/devices/a"), 1_000 * MS);
            c.offer(event("add", "/devices/b"), 1_004 * MS);

            assertThat(c.deadline()).isEqualTo(1_014 * MS);
            assertThat(c.poll(1_013 * MS)).isNull();
            UeventBatch b = c.poll(1_014 * MS);

            assertThat(b).isNotNull();
            assertThat(b.devpaths()).containsExactly("/devices/a", "/devices/b");
            assertThat(b.events()).isEqualTo(2);
            assertThat(b.rescan()).isFalse();
            assertThat(c.pending()).isFalse();
            assertThat(c.poll(2_000 * MS)).isNull();
        }

        @Test
        void aContinuousStormStillFlushesAtTheMaxDelay() {
            long t = 0;
            UeventBatch first = null;
            for (int i = 0; first == null && i < 1000; i++) {
                c.offer(event("change", "/devices/storm"), t);
                t += 5 * MS;
                first = c.poll(t);
            }

            assertThat(first).isNotNull();
            assertThat(t).isEqualTo(100 * MS);
            assertThat(first.events()).isEqualTo(20);
        }

        @Test
        void theClockMayStartAnywhereEvenNearOverflow() {
            long start = Long.MAX_VALUE - 5 * MS;
            c.offer(event("add", "/devices/a"), start);

            assertThat(c.poll(start + 9 * MS)).isNull();
            assertThat(c.poll(start + 10 * MS)).isNotNull();
        }

        @Test
        void aZeroWindowDeliversEachDrainAtOnce() {
            UeventCoalescer eager = new UeventCoalescer(0, 0, 10);
            eager.offer(event("add", "/devices/a"), 7);

            assertThat(eager.poll(7).devpaths()).containsExactly("/devices/a");
        }

        @Test
        void nonsenseSettingsAreRefused() {
            assertThatThrownBy(() -> new UeventCoalescer(10, 5, 1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new UeventCoalescer(-1, 5, 1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new UeventCoalescer(1, 5, 0)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Paths {

        @Test
        void aVethPairsTwentyEventsBecomeItsTwoInterfaces() {
            long t = 0;
            for (String ifname : List.of("hdue1", "hdue0")) {
                String dev = "/devices/virtual/net/" + ifname;
                c.offer(event("add", dev, "SUBSYSTEM", "net", "INTERFACE", ifname), t++);
                for (String q : List.of("rx-0", "rx-1", "tx-0", "tx-1")) {
                    c.offer(event("add", dev + "/queues/" + q), t++);
                }
            }

            UeventBatch b = c.flush();

            assertThat(b.devpaths()).containsExactly("/devices/virtual/net/hdue0", "/devices/virtual/net/hdue1");
            assertThat(b.events()).isEqualTo(10);
        }

        @Test
        void aMoveContributesItsOldAndNewPath() {
            c.offer(event("move", "/devices/virtual/net/eth1", "DEVPATH_OLD", "/devices/virtual/net/veth0"), 0);

            assertThat(c.flush().devpaths()).containsExactly("/devices/virtual/net/eth1", "/devices/virtual/net/veth0");
        }

        @Test
        void aMoveWithoutItsOldPathKeepsTheNewOne() {
            c.offer(event("move", "/devices/b"), 0);

            assertThat(c.flush().devpaths()).containsExactly("/devices/b");
        }

        @Test
        void onlyAMoveContributesDevpathOld() {
            c.offer(event("change", "/devices/b", "DEVPATH_OLD", "/devices/a"), 0);

            assertThat(c.flush().devpaths()).containsExactly("/devices/b");
        }

        @Test
        void aTrailingSlashIsTheSameDevice() {
            c.offer(event("add", "/devices/a/"), 0);
            c.offer(event("change", "/devices/a"), 1);

            assertThat(c.flush().devpaths()).containsExactly("/devices/a");
        }

        @Test
        void aBatchDoesNotLeakIntoTheNext() {
            c.offer(event("add", "/devices/a"), 0);
            c.flush();
            c.offer(event("add", "/devices/b"), 1);

            assertThat(c.flush().devpaths()).containsExactly("/devices/b");
        }

        @Test
        void tooManyPathsTurnIntoARescan() {
            for (int i = 0; i <= 50; i++) {
                c.offer(event("add", "/devices/d" + i), i);
            }

            UeventBatch b = c.flush();

            assertThat(b.rescan()).isTrue();
            assertThat(b.devpaths()).isEmpty();
            assertThat(b.events()).isEqualTo(51);
        }

        @Test
        void exactlyMaxPathsIsStillTargeted() {
            for (int i = 0; i < 50; i++) {
                c.offer(event("add", "/devices/d" + i), i);
            }

            assertThat(c.flush().devpaths()).hasSize(50);
        }
    }

    @Nested
    class Overflow {

        @Test
        void anOverflowTurnsTheBatchIntoARescan() {
            c.offer(event("add", "/devices/a"), 0);
            c.overflow(MS);
            c.offer(event("add", "/devices/b"), 2 * MS);

            UeventBatch b = c.poll(12 * MS);

            assertThat(b.rescan()).isTrue();
            assertThat(b.devpaths()).isEmpty();
            assertThat(b.events()).isEqualTo(2);
        }

        @Test
        void anOverflowAloneIsDueAfterTheWindow() {
            c.overflow(50 * MS);

            assertThat(c.pending()).isTrue();
            assertThat(c.poll(59 * MS)).isNull();
            UeventBatch b = c.poll(60 * MS);
            assertThat(b.rescan()).isTrue();
            assertThat(b.events()).isZero();
        }

        @Test
        void theBatchAfterARescanIsTargetedAgain() {
            c.overflow(0);
            c.flush();
            c.offer(event("add", "/devices/a"), 1);

            UeventBatch b = c.flush();
            assertThat(b.rescan()).isFalse();
            assertThat(b.devpaths()).containsExactly("/devices/a");
        }
    }

    @Nested
    class TopMost {

        static Stream<Arguments> cases() {
            return Stream.of(
                    arguments(Set.of("/devices/a", "/devices/a/b", "/devices/a/b/c"), Set.of("/devices/a")),
                    // '-' sorts between "/a" and "/a/": a sibling must neither hide nor be hidden
                    arguments(Set.of("/devices/a", "/devices/a-x", "/devices/a/q", "/devices/a-x/r"),
                            Set.of("/devices/a", "/devices/a-x")),
                    arguments(Set.of("/devices/ab", "/devices/a/b"), Set.of("/devices/ab", "/devices/a/b")),
                    arguments(Set.of("/devices/a/b/c", "/devices/a/b/d"), Set.of("/devices/a/b/c", "/devices/a/b/d")),
                    arguments(Set.of("/", "/devices/a"), Set.of("/")),
                    arguments(Set.of(), Set.of()));
        }

        @ParameterizedTest
        @MethodSource("cases")
        void nestedPathsCollapseToTheTopMost(Set<String> in, Set<String> expected) {
            assertThat(UeventCoalescer.topMost(in)).containsExactlyElementsOf(new java.util.TreeSet<>(expected));
        }
    }

    @Test
    void batchPathsMapOntoTheConfiguredRoot() {
        c.offer(event("add", "/devices/pci0000:00/0000:00:03.0"), 0);
        c.offer(event("add", "/devices/../../etc/passwd"), 0);

        List<java.nio.file.Path> paths = c.flush().sysPaths(io.hostdev.probes.HostRoot.of(java.nio.file.Path.of("/host")));

        assertThat(paths).containsExactly(java.nio.file.Path.of("/host/sys/devices/pci0000:00/0000:00:03.0"));
    }

    @Test
    void batchesCompareByValue() {
        assertThat(new UeventBatch(false, new java.util.TreeSet<>(Set.of("/devices/a")), 1))
                .isEqualTo(new UeventBatch(false, new java.util.TreeSet<>(Map.of("/devices/a", 1).keySet()), 1));
    }
}
