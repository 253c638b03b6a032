package io.hostdev.agent.core;

import io.hostdev.agent.journal.FsyncPolicy;
import io.hostdev.agent.journal.JournalConfig;
import io.hostdev.agent.journal.JournalEntry;
import io.hostdev.agent.journal.ReadResult;
import io.hostdev.agent.service.AgentService;
import io.hostdev.agent.service.ProbeStatus;
import io.hostdev.model.Device;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.change.ChangeEvent;
import io.hostdev.model.change.Patch;
import io.hostdev.model.host.Capabilities;
import io.hostdev.model.host.Host;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.hostdev.agent.core.NetHost.await;
import static io.hostdev.agent.core.NetHost.deviceName;
import static io.hostdev.agent.core.NetHost.schedule;
import static io.hostdev.agent.core.NetHost.summary;
import static org.assertj.core.api.Assertions.assertThat;

/** The core with real Quartz, a real journal in a temporary state directory and a fixture host the tests change. */
class AgentCoreTest {

    static {
        NetHost.quietLogs();
    }

    static final Duration HOUR = Duration.ofHours(1);
    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    NetHost host;
    Path state;
    final List<AgentCore> cores = new ArrayList<>();

    @BeforeEach
    void host() {
        host = new NetHost(tmp.resolve("root")).nic("eth0", 1).nic("eth1", 2);
        state = tmp.resolve("state");
    }

    @AfterEach
    void closeAll() {
        cores.forEach(AgentCore::close);
    }

    AgentCore open(List<AgentProbe> probes) {
        return open(probes, JournalConfig.DEFAULTS.withFsync(FsyncPolicy.NEVER));
    }

    AgentCore open(List<AgentProbe> probes, JournalConfig journal) {
        AgentCore c = AgentCore.open(new AgentCore.Options(state, journal, Duration.ofSeconds(5)), probes);
        cores.add(c);
        return c;
    }

    static ProbeStatus status(AgentService s, String id) {
        return s.probes().stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow();
    }

    static long runs(AgentService s, String id) {
        return status(s, id).runs();
    }

    static AgentProbe.Host capabilities(Duration interval, Duration timeout, Callable<Capabilities> read) {
        return new AgentProbe.Host("capabilities", schedule(interval, timeout), read);
    }

    static Capabilities caps(String uuid) {
        return new Capabilities(new Host(uuid, null, null, null, null, List.of(), List.of(), List.of(), null, null),
                List.of());
    }

    static List<String> staleNames(DeviceTree t) {
        return t.devices().stream().filter(Device::stale).map(Device::name).toList();
    }

    /** A tree probe that blocks while {@code gate} is closed, counting runs and the most at once. */
    static final class Gated implements Callable<DeviceTree> {
        final Callable<DeviceTree> inner;
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger active = new AtomicInteger();
        final AtomicInteger maxActive = new AtomicInteger();
        volatile CountDownLatch gate = new CountDownLatch(0);
        volatile CountDownLatch entered = new CountDownLatch(1);
        volatile boolean ignoreInterrupts;

        Gated(Callable<DeviceTree> inner) {
            this.inner = inner;
        }

        @Override
        public DeviceTree call() throws Exception {
            calls.incrementAndGet();
            maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
            try {
                entered.countDown();
                while (true) {
                    try {
                        gate.await();
                        break;
                    } catch (InterruptedException e) {
                        if (!ignoreInterrupts) {
                            throw e;
                        }
                    }
                }
                return inner.call();
            } finally {
                active.decrementAndGet();
            }
        }
    }

    @Nested
    class Scheduling {

        @Test
        void eachProbeRunsOnItsOwnInterval() {
            AgentCore core = open(List.of(host.devices(Duration.ofMillis(50), WAIT),
                    capabilities(HOUR, WAIT, () -> caps("a"))));
            core.start();

            await(WAIT, "ten sysfs runs", () -> runs(core, "sysfs") >= 10);

            assertThat(runs(core, "capabilities")).isEqualTo(1);
        }

        @Test
        void aSlowProbeTimesOutItsDevicesGoStaleAndTheOtherProbeContinues() {
            Gated slow = new Gated(host.reader());
            AtomicInteger capsRuns = new AtomicInteger();
            AgentCore core = open(List.of(new AgentProbe.Devices("sysfs", schedule(Duration.ofMillis(50),
                            Duration.ofMillis(300)), slow),
                    capabilities(Duration.ofMillis(50), WAIT, () -> caps("run-" + capsRuns.incrementAndGet()))));
            core.start();
            await(WAIT, "the first tree", () -> core.current().tree().size() == 3);

            slow.gate = new CountDownLatch(1);
            await(WAIT, "a timed-out run", () -> status(core, "sysfs").lastError() != null);
            int capsBefore = capsRuns.get();

            assertThat(status(core, "sysfs").lastError()).isEqualTo("timed out after 300 ms");
            assertThat(staleNames(core.current().tree())).containsExactlyInAnyOrder("computer",
                    deviceName("eth0", 1), deviceName("eth1", 2));
            await(WAIT, "the capabilities probe going on", () -> capsRuns.get() >= capsBefore + 3);

            slow.gate.countDown();
            await(WAIT, "the devices fresh again", () -> staleNames(core.current().tree()).isEmpty());
            assertThat(status(core, "sysfs").failures()).isPositive();
            assertThat(status(core, "sysfs").lastOk()).isTrue();
        }

        @Test
        void aHungWorkerIsNeverJoinedByASecondAndItsLateResultIsDropped() throws Exception {
            AtomicReference<DeviceTree> late = new AtomicReference<>();
            Gated hung = new Gated(() -> {
                DeviceTree t = late.getAndSet(null);
                return t == null ? host.read() : t;
            });
            AgentCore core = open(List.of(new AgentProbe.Devices("sysfs", schedule(Duration.ofMillis(30),
                    Duration.ofMillis(200)), hung)));
            core.start();
            await(WAIT, "the first tree", () -> core.current().tree().size() == 3);
            hung.ignoreInterrupts = true;
            hung.gate = new CountDownLatch(1);
            await(WAIT, "a run refused while the worker hangs",
                    () -> String.valueOf(status(core, "sysfs").lastError()).contains("is still running"));
            long failures = status(core, "sysfs").failures();
            await(WAIT, "more refused runs", () -> status(core, "sysfs").failures() >= failures + 3);

            // the hung read returns a tree with a device that must never be published
            host.nic("late0", 9);
            late.set(host.read());
            host.remove("late0");
            hung.gate.countDown();
            await(WAIT, "a good run again", () -> status(core, "sysfs").lastOk());

            assertThat(hung.maxActive.get()).isEqualTo(1);
            assertThat(core.current().tree().get(deviceName("late0", 9))).isEmpty();
            assertThat(summary(readAll(core))).noneMatch(s -> s.contains("late0"));
        }

        @Test
        void twentyRequestsDuringARunCauseExactlyOneMoreRun() throws Exception {
            Gated gated = new Gated(host.reader());
            gated.gate = new CountDownLatch(1);
            AgentCore core = open(List.of(new AgentProbe.Devices("sysfs", schedule(HOUR, WAIT), gated)));
            core.start();
            assertThat(gated.entered.await(20, TimeUnit.SECONDS)).isTrue();

            for (int i = 0; i < 20; i++) {
                assertThat(core.requestRun("sysfs")).isTrue();
            }
            gated.gate.countDown();

            await(WAIT, "two runs", () -> runs(core, "sysfs") == 2);
            Thread.sleep(500);
            assertThat(gated.calls.get()).isEqualTo(2);
            assertThat(runs(core, "sysfs")).isEqualTo(2);
        }

        @Test
        void aRequestWhileIdleRunsAtOnce() {
            AgentCore core = open(List.of(host.devices(HOUR, WAIT)));
            core.start();
            await(WAIT, "the first run", () -> runs(core, "sysfs") == 1);

            core.requestRun("sysfs");

            await(WAIT, "the requested run", () -> runs(core, "sysfs") == 2);
        }

        @Test
        void requestsForUnknownOrDisabledProbesAreRefused() {
            AgentProbe.Host off = new AgentProbe.Host("capabilities", schedule(HOUR, WAIT).withEnabled(false),
                    () -> caps("x"));
            AgentCore core = open(List.of(host.devices(HOUR, WAIT), off));

            assertThat(core.requestRun("nope")).isFalse();
            assertThat(core.requestRun("capabilities")).isFalse();
            assertThat(core.probes()).extracting(ProbeStatus::id).containsExactly("sysfs");
        }

        @Test
        void oneProbeNeverRunsTwiceAtOnce() throws Exception {
            Gated counted = new Gated(() -> {
                Thread.sleep(20);
                return host.read();
            });
            AgentCore core = open(List.of(new AgentProbe.Devices("sysfs", schedule(Duration.ofMillis(5), WAIT),
                    counted)));
            core.start();
            for (int i = 0; i < 200; i++) {
                core.requestRun("sysfs");
                Thread.sleep(2);
            }
            await(WAIT, "twenty runs", () -> counted.calls.get() >= 20);

            assertThat(counted.maxActive.get()).isEqualTo(1);
        }
    }

    static List<JournalEntry<ChangeEvent>> readAll(AgentService s) {
        List<JournalEntry<ChangeEvent>> out = new ArrayList<>();
        ReadResult<ChangeEvent> r = s.changes(null, 1000);
        while (r instanceof ReadResult.Page<ChangeEvent> p) {
            out.addAll(p.entries());
            if (!p.more()) {
                return out;
            }
            r = s.changes(p.next().encoded(), 1000);
        }
        throw new AssertionError("resync: " + r);
    }

    @Nested
    class Publishing {

        @Test
        void theJournalGrowsOnlyWhenSomethingChanged() {
            AgentCore core = open(List.of(host.devices(Duration.ofMillis(20), WAIT)));
            core.start();
            await(WAIT, "five runs", () -> runs(core, "sysfs") >= 5);
            long head = core.current().cursor().sequence();
            await(WAIT, "five more runs", () -> runs(core, "sysfs") >= 10);

            assertThat(core.current().cursor().sequence()).isEqualTo(head);
            assertThat(summary(readAll(core))).containsExactly("added " + deviceName("eth0", 1),
                    "added " + deviceName("eth1", 2), "updated computer");

            host.mtu("eth1", 9000);
            await(WAIT, "the change journaled", () -> core.current().cursor().sequence() == head + 1);
            assertThat(readAll(core).get((int) head).value().changes()).extracting(c -> c.field())
                    .containsExactly("net.mtu");
        }

        @Test
        void subscribersGetEveryBatchWithItsCursorsRightAfterTheHeadTheySubscribedAt() {
            AgentCore core = open(List.of(host.devices(Duration.ofMillis(20), WAIT)));
            List<JournalEntry<ChangeEvent>> seen = new CopyOnWriteArrayList<>();
            AgentService.Subscription sub = core.subscribe(seen::addAll);
            assertThat(sub.startsAfter().sequence()).isZero();
            core.start();
            await(WAIT, "the first batch", () -> seen.size() == 3);

            host.nic("eth2", 3);
            host.remove("eth0");
            await(WAIT, "the second batch", () -> seen.size() == 5);
            sub.close();
            host.mtu("eth1", 1400);
            await(WAIT, "the third batch journaled", () -> core.current().cursor().sequence() == 6);

            assertThat(seen).hasSize(5);
            assertThat(seen).extracting(JournalEntry::sequence).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(seen).isEqualTo(readAll(core).subList(0, 5));
            assertThat(summary(seen.subList(3, 5))).containsExactly("added " + deviceName("eth2", 3),
                    "removed " + deviceName("eth0", 1));
        }

        @Test
        void aListenerThatThrowsIsDroppedAndPublishingGoesOn() {
            AgentCore core = open(List.of(host.devices(Duration.ofMillis(20), WAIT)));
            AtomicInteger calls = new AtomicInteger();
            core.subscribe(e -> {
                calls.incrementAndGet();
                throw new IllegalStateException("broken listener");
            });
            List<JournalEntry<ChangeEvent>> good = new CopyOnWriteArrayList<>();
            core.subscribe(good::addAll);
            core.start();
            await(WAIT, "the first batch", () -> good.size() == 3);
            host.nic("eth2", 3);
            await(WAIT, "the second batch", () -> good.size() == 4);

            assertThat(calls.get()).isEqualTo(1);
        }

        @Test
        void aFailedReadKeepsTheDevicesAsStaleUpdatesNeverRemovals() throws Exception {
            AtomicReference<Exception> fail = new AtomicReference<>();
            Callable<DeviceTree> reader = host.reader();
            AgentCore core = open(List.of(new AgentProbe.Devices("sysfs", schedule(Duration.ofMillis(20), WAIT), () -> {
                if (fail.get() != null) {
                    throw fail.get();
                }
                return reader.call();
            })));
            core.start();
            await(WAIT, "the first tree", () -> core.current().cursor().sequence() == 3);

            fail.set(new java.io.IOException("sysfs went away"));
            await(WAIT, "the stale marks", () -> core.current().cursor().sequence() == 6);
            List<JournalEntry<ChangeEvent>> all = readAll(core);

            assertThat(all.subList(3, 6)).allSatisfy(e -> {
                assertThat(e.value().kind()).isEqualTo(ChangeEvent.Kind.UPDATED);
                assertThat(e.value().changes()).extracting(c -> c.field()).containsExactly("stale");
            });
            assertThat(status(core, "sysfs").lastError()).isEqualTo("IOException: sysfs went away");
        }

        @Test
        void aRootWithoutSysfsIsAFailedReadNotAnEmptyHost() throws Exception {
            AgentCore core = open(List.of(host.devices(Duration.ofMillis(20), WAIT)));
            core.start();
            await(WAIT, "the first tree", () -> core.current().tree().size() == 3);

            // at once, as an unmounted sysfs goes: a run in the middle of a recursive delete would see
            // sys/devices without the class links and read an empty host, which is not this test
            java.nio.file.Files.move(host.root.resolve("sys"), host.root.resolve("sys.gone"),
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);

            await(WAIT, "a failed run", () -> !status(core, "sysfs").lastOk());
            assertThat(status(core, "sysfs").lastError()).startsWith("sysfs: no sysfs device directory");
            assertThat(core.current().tree().size()).isEqualTo(3);
        }

        @Test
        void capabilitiesFollowSuccessesAndKeepTheLastGoodDocumentOnFailure() {
            AtomicInteger n = new AtomicInteger();
            AgentCore core = open(List.of(capabilities(Duration.ofMillis(20), WAIT, () -> {
                int i = n.incrementAndGet();
                if (i >= 3) {
                    throw new IllegalStateException("no cpuinfo");
                }
                return caps("uuid-" + i);
            })));
            assertThat(core.current().capabilities()).isNull();
            core.start();

            await(WAIT, "failures", () -> status(core, "capabilities").failures() >= 2);

            assertThat(core.current().capabilities().host().uuid()).isEqualTo("uuid-2");
            assertThat(core.current().cursor().sequence()).isZero();
        }
    }

    @Nested
    class Readiness {

        @Test
        void readyOnceEveryEnabledProbeHasRunEvenWhenOneFails() throws Exception {
            CountDownLatch capsGate = new CountDownLatch(1);
            AgentCore core = open(List.of(
                    new AgentProbe.Devices("sysfs", schedule(HOUR, WAIT), () -> {
                        throw new IllegalStateException("no sysfs");
                    }),
                    capabilities(HOUR, WAIT, () -> {
                        capsGate.await();
                        return caps("a");
                    }),
                    new AgentProbe.Host("other", schedule(HOUR, WAIT).withEnabled(false), () -> caps("b"))));
            assertThat(core.ready()).isFalse();
            core.start();
            await(WAIT, "the failed sysfs run", () -> runs(core, "sysfs") == 1);

            assertThat(core.ready()).isFalse();
            capsGate.countDown();
            await(WAIT, "readiness", core::ready);
            assertThat(core.current().tree().devices()).extracting(Device::name).containsExactly("computer");
        }
    }

    @Nested
    class Restart {

        @Test
        void aCleanRestartContinuesTheSequenceAndRepeatsNothing() {
            AgentCore first = open(List.of(host.devices(Duration.ofMillis(20), WAIT)), JournalConfig.DEFAULTS);
            first.start();
            await(WAIT, "the first tree", () -> first.current().cursor().sequence() == 3);
            first.close();
            host.remove("eth1").nic("eth2", 3);

            AgentCore second = open(List.of(host.devices(Duration.ofMillis(20), WAIT)), JournalConfig.DEFAULTS);
            assertThat(second.startup()).isEqualTo(new AgentCore.Startup(AgentCore.Startup.Kind.SNAPSHOT, 0, null));
            assertThat(second.epoch()).isEqualTo(first.epoch());
            assertThat(second.current().tree().devices()).isEqualTo(first.current().tree().devices());
            second.start();
            await(WAIT, "the changes made while stopped", () -> second.current().cursor().sequence() == 5);
            await(WAIT, "more runs", () -> runs(second, "sysfs") >= 5);

            assertThat(summary(readAll(second)).subList(3, 5)).containsExactly("added " + deviceName("eth2", 3),
                    "removed " + deviceName("eth1", 2));
            assertThat(second.current().cursor().sequence()).isEqualTo(5);
        }

        @Test
        void aSnapshotBehindTheJournalIsCaughtUpWithTheJournaledEvents() throws Exception {
            AgentCore first = open(List.of(host.devices(Duration.ofMillis(20), WAIT)));
            first.start();
            await(WAIT, "the first tree", () -> first.current().cursor().sequence() == 3);
            // the snapshot is written after the publish, on a thread of its own
            await(WAIT, "its snapshot", () -> new StateStore(state, false).load() instanceof StateStore.Loaded.Found f
                    && f.saved().cursor().sequence() == 3);
            byte[] old = java.nio.file.Files.readAllBytes(state.resolve(StateStore.FILE));
            host.nic("eth2", 3);
            await(WAIT, "the addition", () -> first.current().cursor().sequence() == 4);
            first.close();
            // as if the agent had died between the append and the snapshot
            java.nio.file.Files.write(state.resolve(StateStore.FILE), old);

            AgentCore second = open(List.of(host.devices(Duration.ofMillis(20), WAIT)));

            assertThat(second.startup()).isEqualTo(new AgentCore.Startup(AgentCore.Startup.Kind.SNAPSHOT, 1, null));
            assertThat(second.current().tree().devices()).isEqualTo(first.current().tree().devices());
            second.start();
            await(WAIT, "runs", () -> runs(second, "sysfs") >= 3);
            assertThat(second.current().cursor().sequence()).isEqualTo(4);
        }

        @Test
        void anUnreadableSnapshotIsRebuiltFromAWholeJournal() throws Exception {
            AgentCore first = open(List.of(host.devices(Duration.ofMillis(20), WAIT)));
            first.start();
            await(WAIT, "the first tree", () -> first.current().cursor().sequence() == 3);
            first.close();
            java.nio.file.Files.writeString(state.resolve(StateStore.FILE), "{\"format\": \"hostdev-state 1\", ");

            AgentCore second = open(List.of(host.devices(Duration.ofMillis(20), WAIT)));

            assertThat(second.startup().kind()).isEqualTo(AgentCore.Startup.Kind.JOURNAL);
            assertThat(second.startup().replayed()).isEqualTo(3);
            assertThat(second.startup().reason()).startsWith("the snapshot " + state.resolve(StateStore.FILE)
                    + " cannot be read");
            assertThat(second.current().tree().devices()).isEqualTo(first.current().tree().devices());
        }

        @Test
        void aSnapshotThatDoesNotFitTheJournalFallsBackToTheWholeJournal() throws Exception {
            AgentCore first = open(List.of(host.devices(Duration.ofMillis(20), WAIT)));
            first.start();
            await(WAIT, "the first tree", () -> first.current().cursor().sequence() == 3);
            StateStore store = new StateStore(state, false);
            StateStore.Saved at3 = ((StateStore.Loaded.Found) store.load()).saved();
            host.mtu("eth0", 9000);
            await(WAIT, "the update", () -> first.current().cursor().sequence() == 4);
            first.close();
            // a snapshot at sequence 3 that lacks eth0, which event 4 updates
            DeviceTree without = DeviceTree.of(at3.tree().devices().stream()
                    .filter(d -> !d.name().equals(deviceName("eth0", 1))).toList());
            store.save(new StateStore.Saved(at3.cursor(), without, null, at3.updated()));

            AgentCore second = open(List.of(host.devices(Duration.ofMillis(20), WAIT)));

            assertThat(second.startup().kind()).isEqualTo(AgentCore.Startup.Kind.JOURNAL);
            assertThat(second.startup().reason()).contains("does not lead to the journal's head")
                    .contains("updated " + deviceName("eth0", 1) + ", which is not there");
            assertThat(second.current().tree().devices()).isEqualTo(first.current().tree().devices());
        }

        @Test
        void withoutASnapshotAndWithExpiredRecordsANewEpochBegins() throws Exception {
            JournalConfig tiny = JournalConfig.DEFAULTS.withFsync(FsyncPolicy.NEVER).withMaxRecords(2)
                    .withSegmentRecords(1);
            AgentCore first = open(List.of(host.devices(Duration.ofMillis(20), WAIT)), tiny);
            first.start();
            await(WAIT, "the first tree", () -> first.current().cursor().sequence() == 3);
            first.close();
            java.nio.file.Files.delete(state.resolve(StateStore.FILE));

            AgentCore second = open(List.of(host.devices(Duration.ofMillis(20), WAIT)), tiny);

            assertThat(second.startup().kind()).isEqualTo(AgentCore.Startup.Kind.NEW_EPOCH);
            assertThat(second.epoch()).isNotEqualTo(first.epoch());
            assertThat(second.current().cursor().sequence()).isZero();
            assertThat(java.nio.file.Files.isDirectory(state.resolve("journal.abandoned-" + first.epoch()))).isTrue();
            second.start();
            await(WAIT, "the devices added again", () -> second.current().cursor().sequence() == 3);
            // the journal keeps two records: the first addition is already gone
            assertThat(summary(readAll(second))).containsExactly("added " + deviceName("eth1", 2), "updated computer");
        }

        @Test
        void theWholeJournalReplayedFromTheBareRootIsTheCurrentTree() {
            AgentCore core = open(List.of(host.devices(Duration.ofMillis(20), WAIT)));
            core.start();
            await(WAIT, "the first tree", () -> core.current().cursor().sequence() == 3);
            host.nic("eth2", 3).remove("eth0").mtu("eth1", 1280);
            await(WAIT, "the changes", () -> core.current().cursor().sequence() == 6);

            DeviceTree replayed = Patch.apply(AgentCore.bareRoot(),
                    readAll(core).stream().map(JournalEntry::value).toList());

            assertThat(replayed.devices()).isEqualTo(core.current().tree().devices());
            assertThat(replayed.devices()).isEqualTo(host.read().devices());
        }
    }

    @Nested
    class Lifecycle {

        @Test
        void closeRunsTheHooksWhileTheJournalIsStillOpenThenClosesIt() {
            AgentCore core = open(List.of(host.devices(Duration.ofMillis(20), WAIT)));
            core.start();
            await(WAIT, "the first tree", () -> core.current().cursor().sequence() == 3);
            List<String> seen = Collections.synchronizedList(new ArrayList<>());
            core.addCloseHook(() -> seen.add("hook read " + readAll(core).size()));

            core.close();

            assertThat(seen).containsExactly("hook read 3");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> core.changes(null, 1))
                    .isInstanceOf(IllegalStateException.class);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> core.subscribe(e -> { }))
                    .isInstanceOf(IllegalStateException.class);
        }

        @Test
        void closeGivesUpOnAHungProbeAfterTheShutdownTimeout() throws Exception {
            Gated hung = new Gated(host.reader());
            hung.gate = new CountDownLatch(1);
            hung.ignoreInterrupts = true;
            AgentCore core = AgentCore.open(new AgentCore.Options(state, JournalConfig.DEFAULTS,
                    Duration.ofMillis(300)), List.of(new AgentProbe.Devices("sysfs", schedule(HOUR, HOUR), hung)));
            core.start();
            assertThat(hung.entered.await(20, TimeUnit.SECONDS)).isTrue();

            long t0 = System.nanoTime();
            core.close();
            long ms = (System.nanoTime() - t0) / 1_000_000;

            assertThat(ms).as("close took %d ms", ms).isLessThan(5_000);
            hung.gate.countDown();
            assertThat(core.current().cursor().sequence()).isZero();
        }

        @Test
        void closeLetsARunInProgressFinishAndPublish() throws Exception {
            Gated slow = new Gated(() -> {
                Thread.sleep(300);
                return host.read();
            });
            AgentCore core = AgentCore.open(new AgentCore.Options(state, JournalConfig.DEFAULTS, Duration.ofSeconds(10)),
                    List.of(new AgentProbe.Devices("sysfs", schedule(HOUR, WAIT), slow)));
            core.start();
            assertThat(slow.entered.await(20, TimeUnit.SECONDS)).isTrue();

            core.close();

            assertThat(NetHost.journal(state)).hasSize(3);
        }
    }
}
