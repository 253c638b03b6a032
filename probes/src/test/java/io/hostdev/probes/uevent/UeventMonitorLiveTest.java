package io.hostdev.probes.uevent;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The monitor against the running kernel, as root: veth interfaces (named {@code hdue...} so
 * that parallel test runs do not collide) are created and removed, and their uevents must
 * arrive. No udevd runs on the build VM; the kernel group alone is listened to.
 */
class UeventMonitorLiveTest {

    private UeventMonitor monitor;
    private final List<String> cleanup = new ArrayList<>();
    private final List<Uevent> events = new CopyOnWriteArrayList<>();
    private final List<UeventBatch> batches = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        if (monitor != null) {
            monitor.close();
        }
        if (!cleanup.isEmpty()) {
            LiveHost.ipBatch(cleanup);
        }
    }

    /** The first of {@code list} that {@code wanted} accepts, waiting up to {@code millis} for it. */
    private static <T> Optional<T> await(List<T> list, Predicate<T> wanted, long millis) throws InterruptedException {
        return await(list, 0, wanted, millis);
    }

    /** As {@link #await(List, Predicate, long)}, looking only at elements from index {@code from} on. */
    private static <T> Optional<T> await(List<T> list, int from, Predicate<T> wanted, long millis)
            throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            Optional<T> hit = list.stream().skip(from).filter(wanted).findFirst();
            if (hit.isPresent() || System.nanoTime() - end > 0) {
                return hit;
            }
            Thread.sleep(2);
        }
    }

    private static Predicate<Uevent> netEvent(String action, String ifname) {
        return e -> e.action().equals(action) && "net".equals(e.subsystem()) && ifname.equals(e.property("INTERFACE"));
    }

    @Test
    void aVethPairsAddAndRemoveArriveFromTheKernel() throws Exception {
        monitor = LiveHost.openOrSkip(UeventOptions.defaults());
        monitor.start(batches::add, events::add);
        String a = LiveHost.freshName();
        String b = a + "p";
        String devA = "/devices/virtual/net/" + a;
        String devB = "/devices/virtual/net/" + b;
        cleanup.add("link del " + a);

        assertThat(LiveHost.run(List.of("ip", "link", "add", a, "type", "veth", "peer", "name", b))).isZero();

        Optional<Uevent> addA = await(events, netEvent("add", a), 1000);
        assertThat(addA).as("add uevent for %s", a).isPresent();
        assertThat(addA.get().devpath()).isEqualTo(devA);
        assertThat(addA.get().property("IFINDEX")).matches("[0-9]+");
        assertThat(addA.get().seqnum()).isPositive();
        assertThat(addA.get().source()).isEqualTo(Uevent.Source.KERNEL);
        assertThat(await(events, netEvent("add", b), 1000)).as("add uevent for %s", b).isPresent();
        // the interface's queues (uevents of their own) collapse into it within a batch; a queue
        // the kernel adds a little later arrives in a later batch of its own
        Optional<UeventBatch> batch = await(batches, x -> x.devpaths().contains(devA), 1000);
        assertThat(batch).isPresent();
        assertThat(batch.get().devpaths()).noneMatch(p -> p.startsWith(devA + "/"));
        assertThat(await(batches, x -> x.devpaths().contains(devB), 1000)).isPresent();
        assertThat(batches).noneMatch(UeventBatch::rescan);

        assertThat(LiveHost.run(List.of("ip", "link", "del", a))).isZero();

        assertThat(await(events, netEvent("remove", a), 1000)).as("remove uevent for %s", a).isPresent();
        assertThat(await(events, netEvent("remove", b), 1000)).as("remove uevent for %s", b).isPresent();
        assertThat(monitor.counters().received()).isGreaterThanOrEqualTo(4);
        assertThat(monitor.counters().overflows()).isZero();
        assertThat(monitor.failure()).isEmpty();
    }

    @Test
    void anOverflowedReceiveBufferBecomesARescan() throws Exception {
        // the kernel rounds a tiny request up to its minimum, a few KiB: two or three uevents
        monitor = LiveHost.openOrSkip(UeventOptions.defaults().withReceiveBuffer(1));
        String prefix = LiveHost.freshName();
        int pairs = 5;
        cleanup.addAll(LiveHost.vethDels(prefix, pairs));

        // not reading yet: 5 pairs are 50 uevents, far more than the buffer holds
        assertThat(LiveHost.ipBatch(LiveHost.vethAdds(prefix, pairs))).isZero();
        monitor.start(batches::add, events::add);

        Optional<UeventBatch> rescan = await(batches, UeventBatch::rescan, 1000);
        assertThat(rescan).as("a rescan batch; receive buffer granted: %d bytes", monitor.receiveBuffer()).isPresent();
        assertThat(rescan.get().devpaths()).isEmpty();
        assertThat(monitor.counters().overflows()).isPositive();
        assertThat(monitor.failure()).isEmpty();

        // the socket keeps working after the overflow: a new pair's 20 uevents come as a batch
        // again (targeted, or once more a rescan should this buffer of two or three overflow anew)
        int before = batches.size();
        long received = monitor.counters().received();
        String late = LiveHost.freshName();
        String lateDev = "/devices/virtual/net/" + late;
        cleanup.add("link del " + late);
        assertThat(LiveHost.run(List.of("ip", "link", "add", late, "type", "veth", "peer", "name", late + "p"))).isZero();
        assertThat(await(batches, before, x -> x.rescan() || x.devpaths().contains(lateDev), 1000))
                .isPresent();
        assertThat(monitor.counters().received()).isGreaterThan(received);
    }

    @Test
    void closeStopsTheReaderPromptly() throws Exception {
        monitor = LiveHost.openOrSkip(UeventOptions.defaults());
        monitor.start(batches::add);
        Thread reader = monitor.readerThread();

        long t0 = System.nanoTime();
        monitor.close();

        assertThat(reader.isAlive()).isFalse();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(1000);
        monitor.close();
    }
}
