package io.hostdev.probes.uevent;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The listener's cost, printed (issue 6's benchmark; no timed assertions): its reader thread's CPU
 * time at idle and for a burst of 1,000 uevents (50 veth pairs added then deleted by one
 * {@code ip -batch}: 20 uevents a pair each way), with the parser alone over the same messages as
 * the floor measured in the same run. Root only, like the other live tests.
 */
class UeventMonitorFiguresTest {

    private static final int PAIRS = 50;
    private static final int EVENTS = PAIRS * 20;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final List<UeventMonitor> monitors = new ArrayList<>();
    private final List<String> cleanup = new ArrayList<>();
    private double liveNanosPerEvent;

    @AfterEach
    void tearDown() throws Exception {
        monitors.forEach(UeventMonitor::close);
        if (!cleanup.isEmpty()) {
            LiveHost.ipBatch(cleanup);
        }
    }

    private UeventMonitor open(UeventOptions o) {
        UeventMonitor m = LiveHost.openOrSkip(o);
        monitors.add(m);
        return m;
    }

    private long cpu(UeventMonitor m) {
        return threads.getThreadCpuTime(m.readerThread().getId());
    }

    @Test
    void listenerCpuAtIdleAndUnderABurstOfAThousandUevents() throws Exception {
        // a measurement, not a check: it runs when asked (mvn -pl probes -am test -Dtest=UeventMonitorFiguresTest -Dhostdev.figures=true)
        org.junit.jupiter.api.Assumptions.assumeTrue(Boolean.getBoolean("hostdev.figures"),
                "uevent listener figures: run with -Dhostdev.figures=true");
        String prefix = LiveHost.freshName();
        List<String> burst = new ArrayList<>(LiveHost.vethAdds(prefix, PAIRS));
        burst.addAll(LiveHost.vethDels(prefix, PAIRS));
        cleanup.addAll(LiveHost.vethDels(prefix, PAIRS));

        // idle: the reader blocks in poll(2); whatever else this host does still arrives
        UeventMonitor idle = open(UeventOptions.defaults());
        idle.start(b -> { });
        Thread.sleep(100);
        long idleCpu0 = cpu(idle);
        long idleWall0 = System.nanoTime();
        Thread.sleep(2000);
        long idleCpu = cpu(idle) - idleCpu0;
        long idleWall = System.nanoTime() - idleWall0;
        long idleEvents = idle.counters().received();
        idle.close();

        // live: reading while `ip` creates and deletes 50 pairs; twice, the first with cold JIT
        UeventMonitor live = open(UeventOptions.defaults().withReceiveBuffer(16 << 20));
        AtomicInteger ours = new AtomicInteger();
        List<UeventBatch> liveBatches = new CopyOnWriteArrayList<>();
        List<Uevent> captured = new CopyOnWriteArrayList<>();
        String[] current = {prefix};
        live.start(liveBatches::add, e -> {
            if (e.devpath().contains(current[0])) {
                ours.incrementAndGet();
                captured.add(e);
            }
        });
        Thread.sleep(50);
        List<String> liveLines = new ArrayList<>();
        for (int round = 1; round <= 2; round++) {
            if (round == 2) {
                String p2 = LiveHost.freshName();
                burst = new ArrayList<>(LiveHost.vethAdds(p2, PAIRS));
                burst.addAll(LiveHost.vethDels(p2, PAIRS));
                cleanup.addAll(LiveHost.vethDels(p2, PAIRS));
                current[0] = p2;
            }
            ours.set(0);
            liveBatches.clear();
            long received0 = live.counters().received();
            long liveCpu0 = cpu(live);
            long t0 = System.nanoTime();
            assertThat(LiveHost.ipBatch(burst)).isZero();
            long ipDone = System.nanoTime();
            awaitCount(ours, EVENTS, 10_000);
            long allIn = System.nanoTime();
            Thread.sleep(300);
            long liveCpu = cpu(live) - liveCpu0;
            long received = live.counters().received() - received0;
            assertThat(ours.get()).isEqualTo(EVENTS);
            liveLines.add(String.format(Locale.ROOT, "  live %s: ip -batch %.1f ms; last uevent read %.1f ms after it began; "
                            + "reader CPU %.1f ms (%.1f us/uevent) for %d received, %d batches",
                    round == 1 ? "(cold JIT)" : "(warm)    ", (ipDone - t0) / 1e6, (allIn - t0) / 1e6, liveCpu / 1e6,
                    liveCpu / 1e3 / received, received, liveBatches.size()));
            if (round == 2) {
                liveNanosPerEvent = (double) liveCpu / received;
            }
        }
        UeventCounters liveCounters = live.counters();
        live.close();

        // drain: the same burst queued in the kernel first, then read in one go
        UeventMonitor drain = open(UeventOptions.defaults().withReceiveBuffer(16 << 20));
        String prefix2 = LiveHost.freshName();
        List<String> burst2 = new ArrayList<>(LiveHost.vethAdds(prefix2, PAIRS));
        burst2.addAll(LiveHost.vethDels(prefix2, PAIRS));
        cleanup.addAll(LiveHost.vethDels(prefix2, PAIRS));
        assertThat(LiveHost.ipBatch(burst2)).isZero();
        AtomicInteger drained = new AtomicInteger();
        List<UeventBatch> drainBatches = new CopyOnWriteArrayList<>();
        long d0 = System.nanoTime();
        drain.start(drainBatches::add, e -> {
            if (e.devpath().contains(prefix2)) {
                drained.incrementAndGet();
            }
        });
        awaitCount(drained, EVENTS, 10_000);
        long drainRead = System.nanoTime() - d0;
        while (drainBatches.isEmpty() && System.nanoTime() - d0 < TimeUnit.SECONDS.toNanos(5)) {
            Thread.sleep(1);
        }
        long drainBatch = System.nanoTime() - d0;
        long drainCpu = cpu(drain);
        UeventCounters drainCounters = drain.counters();

        // the floor: the parser alone over the same thousand messages, warmed up
        List<byte[]> messages = new ArrayList<>();
        for (Uevent e : captured) {
            messages.add(reencode(e));
        }
        long parseNanos = parseFloor(messages);

        assertThat(drained.get()).isEqualTo(EVENTS);
        assertThat(liveCounters.overflows()).isZero();
        assertThat(drainCounters.overflows()).isZero();

        System.out.printf(Locale.ROOT, "uevent figures (%d uevents = %d veth pairs added and deleted, one ip -batch)%n",
                EVENTS, PAIRS);
        System.out.printf(Locale.ROOT, "  idle:  reader CPU %.3f ms over %.2f s (%.4f%% of a core), %d uevents from elsewhere%n",
                idleCpu / 1e6, idleWall / 1e9, 100.0 * idleCpu / idleWall, idleEvents);
        liveLines.forEach(System.out::println);
        System.out.printf(Locale.ROOT, "  drain: %d queued uevents read in %.1f ms, first batch after %.1f ms; reader CPU %.1f ms "
                        + "(%.1f us/uevent), %d batches; receive buffer %d bytes%n",
                drainCounters.received(), drainRead / 1e6, drainBatch / 1e6, drainCpu / 1e6,
                drainCpu / 1e3 / drainCounters.received(), drainBatches.size(), drain.receiveBuffer());
        System.out.printf(Locale.ROOT, "  floor: parser alone %.2f us/uevent; warm live reader / floor = %.1fx%n",
                parseNanos / 1e3 / messages.size(), liveNanosPerEvent / (parseNanos / (double) messages.size()));
    }

    private static void awaitCount(AtomicInteger n, int target, long millis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (n.get() < target && System.nanoTime() - end < 0) {
            Thread.sleep(1);
        }
    }

    private static byte[] reencode(Uevent e) {
        List<String> kvs = new ArrayList<>();
        e.properties().forEach((k, v) -> kvs.add(k + "=" + v));
        return UeventMessages.kernel(e.action() + "@" + e.devpath(), kvs.toArray(String[]::new));
    }

    /** Best of five passes, after a warm-up, in nanoseconds for all messages. */
    private static long parseFloor(List<byte[]> messages) {
        long best = Long.MAX_VALUE;
        int sink = 0;
        for (int round = 0; round < 25; round++) {
            long t = System.nanoTime();
            for (byte[] m : messages) {
                Uevent e = UeventParser.parse(m, m.length);
                sink += e == null ? 0 : e.devpath().length();
            }
            long d = System.nanoTime() - t;
            if (round >= 20) {
                best = Math.min(best, d);
            }
        }
        assertThat(sink).isPositive();
        return best;
    }
}
