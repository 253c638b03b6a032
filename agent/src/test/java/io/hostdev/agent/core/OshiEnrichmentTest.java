package io.hostdev.agent.core;

import io.hostdev.agent.config.AgentConfig;
import io.hostdev.agent.config.ConfigLoader;
import io.hostdev.agent.journal.FsyncPolicy;
import io.hostdev.agent.journal.JournalConfig;
import io.hostdev.agent.journal.JournalEntry;
import io.hostdev.model.Device;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.cap.SystemCapability;
import io.hostdev.model.change.ChangeEvent;
import io.hostdev.model.change.FieldChange;
import io.hostdev.probes.oshi.OshiFacts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.hostdev.agent.core.NetHost.await;
import static io.hostdev.agent.core.NetHost.deviceName;
import static org.assertj.core.api.Assertions.assertThat;

/** The enrichment with hand-written OSHI reads, over a real core (Quartz, journal) probing a fixture host. */
class OshiEnrichmentTest {

    static {
        NetHost.quietLogs();
    }

    static final Duration HOUR = Duration.ofHours(1);
    static final Duration WAIT = Duration.ofSeconds(20);

    static final OshiFacts FACTS = new OshiFacts(
            new OshiFacts.Identity("OSHI Vendor", null, null, null, null), null,
            new SystemCapability.Baseboard("ASUSTeK COMPUTER INC.", "PRIME X570-P", null, null),
            List.of(new SystemCapability.MemoryModule("DIMM_A1", 17179869184L, 3200L, null, "DDR4", null)),
            new SystemCapability.Sensors(48, List.of(), null), 1L << 34);

    @TempDir
    Path tmp;

    NetHost host;
    AgentCore core;
    final List<JournalEntry<ChangeEvent>> seen = new CopyOnWriteArrayList<>();
    final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    final List<OshiEnrichment> enrichments = new ArrayList<>();
    final Logger log = Logger.getLogger("io.hostdev.agent.oshi");
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logged.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void openCore() {
        host = new NetHost(tmp.resolve("root")).nic("eth0", 1);
        core = AgentCore.open(new AgentCore.Options(tmp.resolve("state"), JournalConfig.DEFAULTS.withFsync(FsyncPolicy.NEVER),
                Duration.ofSeconds(5)), List.of(host.devices(HOUR, WAIT)));
        core.start();
        await(WAIT, "the first scan", core::ready);
        core.subscribe(seen::addAll);
        log.setLevel(Level.ALL);
        log.setUseParentHandlers(false);
        log.addHandler(capture);
    }

    @AfterEach
    void closeAll() {
        enrichments.forEach(OshiEnrichment::close);
        core.close();
        log.removeHandler(capture);
        log.setUseParentHandlers(true);
        log.setLevel(null);
    }

    OshiEnrichment enrichment(Callable<OshiFacts> read, Duration timeout) {
        OshiEnrichment e = new OshiEnrichment(core, read, Duration.ZERO, HOUR, timeout);
        enrichments.add(e);
        return e;
    }

    Device computer() {
        return core.current().tree().get(DeviceTree.ROOT).orElseThrow();
    }

    List<String> lines(Level level) {
        return logged.stream().filter(r -> r.getLevel().equals(level)).map(LogRecord::getMessage).toList();
    }

    @Nested
    class Success {

        @Test
        void publishesExactlyOneUpdatedEventForComputer() {
            OshiEnrichment e = enrichment(() -> FACTS, Duration.ofSeconds(10));
            e.start();
            await(WAIT, "the facts published", () -> !seen.isEmpty());
            e.close();

            assertThat(seen).hasSize(1);
            ChangeEvent event = seen.get(0).value();
            assertThat(event.kind()).isEqualTo(ChangeEvent.Kind.UPDATED);
            assertThat(event.name()).isEqualTo(DeviceTree.ROOT);
            assertThat(event.changes()).extracting(FieldChange::field)
                    .contains("sources", "system.baseboard", "system.memory", "system.sensors");
            assertThat(computer().sources()).containsExactly("oshi", "sysfs");
            SystemCapability s = computer().capability(SystemCapability.class).orElseThrow();
            assertThat(s.hardware().vendor()).isEqualTo("OSHI Vendor");
            assertThat(s.memory()).hasSize(1);
            assertThat(lines(Level.WARNING)).isEmpty();
            assertThat(lines(Level.INFO)).singleElement().asString()
                    .startsWith("oshi: first read in ").endsWith("system identity, baseboard, 1 memory module, sensors");
        }

        @Test
        void theSameFactsAgainPublishNothingNewOnesAnUpdate() {
            AtomicInteger temperature = new AtomicInteger(48);
            OshiEnrichment e = enrichment(() -> new OshiFacts(FACTS.system(), null, FACTS.baseboard(), FACTS.memory(),
                    new SystemCapability.Sensors(temperature.get(), List.of(), null), null), Duration.ofSeconds(10));
            e.runOnce();
            e.runOnce();
            temperature.set(51);
            e.runOnce();

            assertThat(seen).hasSize(2);
            assertThat(seen.get(1).value().changes()).extracting(FieldChange::field)
                    .containsExactly("system.sensors.cpu_temperature");
        }

        @Test
        void otherProbesGoOnAndKeepTheFacts() {
            enrichment(() -> FACTS, Duration.ofSeconds(10)).runOnce();
            host.nic("eth1", 2);
            core.requestRun("sysfs");
            await(WAIT, "eth1 added", () -> core.current().tree().get(deviceName("eth1", 2)).isPresent());

            assertThat(computer().sources()).contains("oshi");
            assertThat(seen).extracting(en -> en.value().kind() + " " + en.value().name())
                    .containsExactly("UPDATED " + DeviceTree.ROOT, "ADDED " + deviceName("eth1", 2));
        }
    }

    @Nested
    class Failure {

        @Test
        void aFailingReadLeavesTheTreeAloneAndIsLoggedOnce() {
            DeviceTree before = core.current().tree();
            AtomicInteger calls = new AtomicInteger();
            OshiEnrichment e = enrichment(() -> {
                calls.incrementAndGet();
                throw new IOException("dmidecode: permission denied");
            }, Duration.ofSeconds(10));

            e.runOnce();
            e.runOnce();
            e.runOnce();

            assertThat(calls).hasValue(3);
            assertThat(core.current().tree()).isSameAs(before);
            assertThat(seen).isEmpty();
            assertThat(lines(Level.WARNING)).singleElement().asString()
                    .contains("failed: java.io.IOException: dmidecode: permission denied", "no OSHI facts yet");
        }

        @Test
        void aHangingReadTimesOutKeepsTheLastFactsAndIsNeverJoinedByASecond() throws Exception {
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger hung = new AtomicInteger();
            AtomicReference<Callable<OshiFacts>> next = new AtomicReference<>(() -> FACTS);
            OshiEnrichment e = enrichment(() -> next.get().call(), Duration.ofMillis(200));
            e.runOnce();
            Device enriched = computer();
            next.set(() -> {
                hung.incrementAndGet();
                // like a read blocked in a native call or on a stuck fork: deaf to the interrupt
                while (true) {
                    try {
                        release.await();
                        return OshiFacts.NONE;
                    } catch (InterruptedException ignored) {
                        // keep hanging
                    }
                }
            });

            e.runOnce();
            e.runOnce();
            e.runOnce();

            assertThat(hung).as("a hanging read is not started again while it hangs").hasValue(1);
            assertThat(computer()).isEqualTo(enriched);
            assertThat(seen).hasSize(1);
            assertThat(lines(Level.WARNING)).singleElement().asString()
                    .contains("no answer within 0.2s", "the last facts stay");

            next.set(() -> FACTS);
            release.countDown();
            await(WAIT, "the hung read to end", () -> {
                e.runOnce();
                return lines(Level.INFO).stream().anyMatch(l -> l.startsWith("oshi: read again"));
            });
            assertThat(seen).hasSize(1);
        }

        @Test
        void aReadThatThrowsAnErrorOfLinkageIsAFailureToo() {
            OshiEnrichment e = enrichment(() -> {
                throw new UnsatisfiedLinkError("libudev.so.1: cannot open shared object file");
            }, Duration.ofSeconds(10));
            e.runOnce();
            assertThat(lines(Level.WARNING)).singleElement().asString().contains("UnsatisfiedLinkError");
            assertThat(seen).isEmpty();
        }
    }

    @Nested
    class Start {

        AgentConfig config(String... sets) throws IOException {
            Path home = Files.createDirectories(tmp.resolve("home"));
            List<ConfigLoader.Override> o = new ArrayList<>();
            o.add(new ConfigLoader.Override("root", tmp.resolve("root").toString(), "--root"));
            for (String s : sets) {
                String[] kv = s.split("=", 2);
                o.add(new ConfigLoader.Override(kv[0], kv[1], "--set " + s));
            }
            return ConfigLoader.load(null, o, new ConfigLoader.Environment(false, Map.of(), home, tmp));
        }

        @Test
        void onARootThatIsNotTheLiveHostOshiIsOffWithOneInfoLine() throws IOException {
            assertThat(OshiEnrichment.start(core, config())).isEqualTo("oshi off (not the live root)");
            assertThat(lines(Level.INFO)).singleElement().asString().startsWith("oshi: not used: the root ");
            assertThat(lines(Level.WARNING)).isEmpty();
        }

        @Test
        void switchedOffItSaysSoAndLogsNothing() throws IOException {
            assertThat(OshiEnrichment.start(core, config("oshi.enabled=false"))).isEqualTo("oshi off (oshi.enabled)");
            assertThat(logged).isEmpty();
        }
    }
}
