package io.hostdev.agent.metrics;

import io.hostdev.agent.journal.JournalConfig;
import io.hostdev.agent.service.ProbeStatus;
import io.hostdev.agent.testing.JournalBackedService;
import io.hostdev.agent.testing.Trees;
import io.hostdev.model.Device;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.cap.PciCapability;
import io.micrometer.core.instrument.Metrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class AgentMetricsTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    @TempDir
    Path dir;

    private JournalBackedService service;
    private AgentMetrics metrics;

    @BeforeEach
    void start() {
        service = JournalBackedService.open(dir, Trees.computer().build(), JournalConfig.DEFAULTS,
                Clock.fixed(T0, ZoneOffset.UTC));
        metrics = new AgentMetrics(service, MetricsSettings.defaults(),
                Clock.fixed(T0.plusSeconds(90), ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        metrics.close();
        service.close();
    }

    private Exposition scrape() {
        return Exposition.parse(metrics.scrape());
    }

    /** A host with a degraded PCIe NIC (2 of 8 VFs on), its interface up at 10 Gbit/s, a 1 GiB disk and a tty. */
    static DeviceTree host() {
        return Trees.computer()
                .add(Trees.pci("00:03.0", Trees.link(8.0, 16, 2.5, 16), new PciCapability.Sriov(8, 2, List.of(), null)))
                .add(Trees.net("eth0", "pci_0000_00_03_0", "up", 10_000L))
                .add(Trees.disk("vda", 1L << 30))
                .add(Trees.other("tty0", "tty", null))
                .build();
    }

    @Nested
    class Devices {

        @Test
        void countsDevicesByCapabilityAndBusOverTheCurrentTree() {
            service.update(host());

            Exposition e = scrape();

            assertThat(e.get("hostdev_devices")).isEqualTo(5.0);
            assertThat(e.family("hostdev_devices_by_capability")).containsOnly(
                    entry("hostdev_devices_by_capability{capability=\"net\"}", 1.0),
                    entry("hostdev_devices_by_capability{capability=\"pci\"}", 1.0),
                    entry("hostdev_devices_by_capability{capability=\"storage\"}", 1.0));
            assertThat(e.family("hostdev_devices_by_bus")).containsOnly(
                    entry("hostdev_devices_by_bus{bus=\"pci\"}", 1.0));
            assertThat(e.get("hostdev_devices_stale")).isEqualTo(0.0);
        }

        @Test
        void seriesOfAVanishedCapabilityDisappearAtTheNextScrape() {
            service.update(host());
            assertThat(scrape().get("hostdev_devices_by_capability{capability=\"storage\"}")).isEqualTo(1.0);

            service.update(Trees.computer().add(Trees.other("tty0", "tty", null)).build());

            Exposition e = scrape();
            assertThat(e.family("hostdev_devices_by_capability")).isEmpty();
            assertThat(e.family("hostdev_storage_size_bytes")).isEmpty();
            assertThat(e.get("hostdev_devices")).isEqualTo(2.0);
        }

        @Test
        void staleDevicesAreCounted() {
            List<Device> devices = new ArrayList<>(host().devices());
            devices.replaceAll(d -> d.name().equals("block_vda") ? d.withStale(true) : d);
            service.update(DeviceTree.of(devices));

            assertThat(scrape().get("hostdev_devices_stale")).isEqualTo(1.0);
        }
    }

    @Nested
    class DeviceFactSeries {

        @Test
        void exportTheFactsWithTheDeviceNameAndOneIdentityLabel() {
            service.update(host());

            Exposition e = scrape();

            assertThat(e.family("hostdev_pci_link_degraded")).containsOnly(
                    entry("hostdev_pci_link_degraded{device=\"pci_0000_00_03_0\",pci_address=\"0000:00:03.0\"}", 1.0));
            assertThat(e.family("hostdev_pci_sriov_vfs_enabled")).containsOnly(
                    entry("hostdev_pci_sriov_vfs_enabled{device=\"pci_0000_00_03_0\",pci_address=\"0000:00:03.0\"}", 2.0));
            assertThat(e.family("hostdev_pci_sriov_vfs_supported")).containsOnly(
                    entry("hostdev_pci_sriov_vfs_supported{device=\"pci_0000_00_03_0\",pci_address=\"0000:00:03.0\"}", 8.0));
            assertThat(e.family("hostdev_net_link_up")).containsOnly(
                    entry("hostdev_net_link_up{device=\"net_eth0\",interface=\"eth0\"}", 1.0));
            assertThat(e.family("hostdev_net_link_speed_bytes_per_second")).containsOnly(
                    entry("hostdev_net_link_speed_bytes_per_second{device=\"net_eth0\",interface=\"eth0\"}", 1.25e9));
            assertThat(e.family("hostdev_storage_size_bytes")).containsOnly(
                    entry("hostdev_storage_size_bytes{device=\"block_vda\",devnode=\"/dev/vda\"}", 1073741824.0));
            assertThat(e.get("hostdev_device_fact_series")).isEqualTo(6.0);
            assertThat(e.get("hostdev_device_fact_series_dropped")).isEqualTo(0.0);
        }

        @Test
        void aLinkThatComesUpChangesItsSeriesValue() {
            Device nic = Trees.pci("00:03.0", null, null);
            service.update(Trees.computer().add(nic).add(Trees.net("eth0", nic.name(), "down", null)).build());
            assertThat(scrape().get("hostdev_net_link_up{device=\"net_eth0\",interface=\"eth0\"}")).isEqualTo(0.0);

            service.update(Trees.computer().add(nic).add(Trees.net("eth0", nic.name(), "up", 1000L)).build());

            assertThat(scrape().get("hostdev_net_link_up{device=\"net_eth0\",interface=\"eth0\"}")).isEqualTo(1.0);
        }

        @Test
        void byDefaultOnlyInterfacesOnAPciDeviceHaveFacts() {
            // a container host has thousands of veths and bridges: their series would crowd out the NICs'
            Device nic = Trees.pci("00:03.0", null, null);
            service.update(Trees.computer().add(nic).add(Trees.net("eth0", nic.name(), "up", 1000L))
                    .add(Trees.net("veth0", "computer", "up", 10_000L)).build());

            assertThat(scrape().family("hostdev_net_link_up")).containsOnlyKeys(
                    "hostdev_net_link_up{device=\"net_eth0\",interface=\"eth0\"}");
        }

        @Test
        void theSelectorChoosesTheDevices() {
            metrics.close();
            metrics = new AgentMetrics(service, MetricsSettings.of("cap='net'", 100));
            service.update(host());

            Exposition e = scrape();

            assertThat(e.family("hostdev_net_link_up")).hasSize(1);
            assertThat(e.family("hostdev_pci_link_degraded")).isEmpty();
            assertThat(e.family("hostdev_storage_size_bytes")).isEmpty();
            // the counts are over every device, whatever the facts' selector
            assertThat(e.get("hostdev_devices_by_capability{capability=\"storage\"}")).isEqualTo(1.0);
        }

        @Test
        void beyondTheCapSeriesAreDroppedCountedAndLoggedOnce() {
            metrics.close();
            metrics = new AgentMetrics(service, MetricsSettings.of(MetricsSettings.DEFAULT_DEVICE_FACTS, 4));
            Trees many = Trees.computer();
            for (int i = 0; i < 10; i++) {
                many.add(Trees.disk("vd" + (char) ('a' + i), 1000L + i));
            }
            service.update(many.build());
            List<LogRecord> logged = new ArrayList<>();
            Handler capture = new Handler() {
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
            Logger log = Logger.getLogger(AgentMetrics.class.getName());
            log.addHandler(capture);
            log.setUseParentHandlers(false);
            try {
                Exposition first = scrape();
                Exposition second = scrape();

                assertThat(first.family("hostdev_storage_size_bytes")).containsOnlyKeys(
                        "hostdev_storage_size_bytes{device=\"block_vda\",devnode=\"/dev/vda\"}",
                        "hostdev_storage_size_bytes{device=\"block_vdb\",devnode=\"/dev/vdb\"}",
                        "hostdev_storage_size_bytes{device=\"block_vdc\",devnode=\"/dev/vdc\"}",
                        "hostdev_storage_size_bytes{device=\"block_vdd\",devnode=\"/dev/vdd\"}");
                assertThat(first.get("hostdev_device_fact_series")).isEqualTo(4.0);
                assertThat(first.get("hostdev_device_fact_series_dropped")).isEqualTo(6.0);
                assertThat(second.samples()).containsAllEntriesOf(first.family("hostdev_storage_size_bytes"));
                assertThat(logged).singleElement().satisfies(r -> assertThat(r.getMessage())
                        .contains("6 series over the cap of 4"));
            } finally {
                log.removeHandler(capture);
                log.setUseParentHandlers(true);
            }
        }

        @Test
        void aCapOfZeroExportsNoDeviceFacts() {
            metrics.close();
            metrics = new AgentMetrics(service, MetricsSettings.of(MetricsSettings.DEFAULT_DEVICE_FACTS, 0));
            Logger log = Logger.getLogger(AgentMetrics.class.getName());
            log.setUseParentHandlers(false);
            try {
                service.update(host());

                Exposition e = scrape();

                assertThat(e.get("hostdev_device_fact_series")).isEqualTo(0.0);
                assertThat(e.get("hostdev_device_fact_series_dropped")).isEqualTo(6.0);
                assertThat(e.family("hostdev_net_link_up")).isEmpty();
            } finally {
                log.setUseParentHandlers(true);
            }
        }
    }

    @Nested
    class Probes {

        @Test
        void successAndLastSuccessComeFromTheProbeStatus() {
            Instant ok = Instant.parse("2026-03-01T11:59:00.5Z");
            service.probe(new ProbeStatus("sysfs", ok, ok, Duration.ofMillis(40), true, null, 7, 0));
            service.probe(new ProbeStatus("capabilities", ok.plusSeconds(5), ok, Duration.ofSeconds(3), false,
                    "qemu-system-x86_64 timed out", 3, 1));

            Exposition e = scrape();

            assertThat(e.family("hostdev_probe_success")).containsOnly(
                    entry("hostdev_probe_success{probe=\"capabilities\"}", 0.0),
                    entry("hostdev_probe_success{probe=\"sysfs\"}", 1.0));
            assertThat(e.get("hostdev_probe_last_success_timestamp_seconds{probe=\"sysfs\"}"))
                    .isEqualTo(ok.getEpochSecond() + 0.5);
            assertThat(e.get("hostdev_probe_runs_total{probe=\"sysfs\"}")).isEqualTo(7.0);
            assertThat(e.get("hostdev_probe_failures_total{probe=\"capabilities\"}")).isEqualTo(1.0);
            assertThat(e.types()).containsEntry("hostdev_probe_runs_total", "counter");
        }

        @Test
        void aProbeThatNeverRanOrNeverSucceededHasNoSuchSeries() {
            service.probe(new ProbeStatus("sysfs", null, null, null, false, null, 0, 0));
            Instant failed = Instant.parse("2026-03-01T11:59:00Z");
            service.probe(new ProbeStatus("qemu", failed, null, Duration.ofSeconds(10), false, "timeout", 1, 1));

            Exposition e = scrape();

            assertThat(e.family("hostdev_probe_success")).containsOnly(
                    entry("hostdev_probe_success{probe=\"qemu\"}", 0.0));
            assertThat(e.family("hostdev_probe_last_success_timestamp_seconds")).isEmpty();
            assertThat(e.get("hostdev_probe_runs_total{probe=\"sysfs\"}")).isEqualTo(0.0);
        }

        @Test
        void recordedRunsFillTheDurationHistogram() {
            metrics.recordProbeRun("sysfs", Duration.ofMillis(3), true);
            metrics.recordProbeRun("sysfs", Duration.ofMillis(300), false);

            Exposition e = scrape();

            assertThat(e.types()).containsEntry("hostdev_probe_duration_seconds", "histogram");
            assertThat(e.get("hostdev_probe_duration_seconds_count{probe=\"sysfs\"}")).isEqualTo(2.0);
            assertThat(e.get("hostdev_probe_duration_seconds_sum{probe=\"sysfs\"}")).isEqualTo(0.303);
            assertThat(e.get("hostdev_probe_duration_seconds_bucket{probe=\"sysfs\",le=\"0.005\"}")).isEqualTo(1.0);
            assertThat(e.get("hostdev_probe_duration_seconds_bucket{probe=\"sysfs\",le=\"0.5\"}")).isEqualTo(2.0);
        }
    }

    @Nested
    class Changes {

        @Test
        void countChangeEventsByKindAsTheCoreAppendsThem() {
            Exposition before = scrape();
            assertThat(before.family("hostdev_changes_total")).containsOnly(
                    entry("hostdev_changes_total{kind=\"added\"}", 0.0),
                    entry("hostdev_changes_total{kind=\"removed\"}", 0.0),
                    entry("hostdev_changes_total{kind=\"updated\"}", 0.0));

            service.update(host());
            service.update(Trees.computer()
                    .add(Trees.pci("00:03.0", Trees.link(8.0, 16, 8.0, 16), new PciCapability.Sriov(8, 2, List.of(), null)))
                    .add(Trees.net("eth0", "pci_0000_00_03_0", "down", 10_000L))
                    .add(Trees.other("tty0", "tty", null))
                    .build());

            Exposition e = scrape();
            assertThat(e.get("hostdev_changes_total{kind=\"added\"}")).isEqualTo(4.0);
            assertThat(e.get("hostdev_changes_total{kind=\"removed\"}")).isEqualTo(1.0);
            assertThat(e.get("hostdev_changes_total{kind=\"updated\"}")).isEqualTo(2.0);
            assertThat(e.types()).containsEntry("hostdev_changes_total", "counter");
        }

        @Test
        void closingTheMetricsEndsItsSubscription() {
            assertThat(service.subscribers()).isEqualTo(1);

            metrics.close();

            assertThat(service.subscribers()).isZero();
            metrics = new AgentMetrics(service, MetricsSettings.defaults());
        }
    }

    @Nested
    class Subscribers {

        @Test
        void streamsOpenNowAreWhatTheServerCounts() {
            AtomicInteger open = new AtomicInteger();
            metrics.countSubscribersWith(open::get);
            open.set(2);
            assertThat(scrape().get("hostdev_subscribers")).isEqualTo(2.0);

            open.set(1);

            assertThat(scrape().get("hostdev_subscribers")).isEqualTo(1.0);
            open.set(0);
            assertThat(scrape().get("hostdev_subscribers")).isEqualTo(0.0);
        }
    }

    @Nested
    class Journal {

        @Test
        void recordsBytesAndTheOldestRecordsAge() {
            service.update(host());

            Exposition e = scrape();

            assertThat(e.get("hostdev_journal_records")).isEqualTo(4.0);
            assertThat(e.get("hostdev_journal_size_bytes")).isGreaterThan(0.0);
            // appended at T0 by the journal's clock, scraped at T0 + 90 s by the metrics' clock
            assertThat(e.get("hostdev_journal_oldest_record_age_seconds")).isEqualTo(90.0);
        }

        @Test
        void anEmptyJournalHasNoOldestRecordAge() {
            Exposition e = scrape();

            assertThat(e.get("hostdev_journal_records")).isEqualTo(0.0);
            assertThat(e.family("hostdev_journal_oldest_record_age_seconds")).isEmpty();
        }
    }

    @Nested
    class Basics {

        @Test
        void readinessFollowsTheService() {
            service.ready(false);
            assertThat(scrape().get("hostdev_ready")).isEqualTo(0.0);

            service.ready(true);

            assertThat(scrape().get("hostdev_ready")).isEqualTo(1.0);
        }

        @Test
        void jvmAndProcessBasicsArePresent() {
            assertThat(scrape().names()).contains(
                    "jvm_memory_used_bytes", "jvm_memory_max_bytes", "jvm_gc_memory_allocated_bytes_total",
                    "jvm_threads_live_threads", "jvm_classes_loaded_classes", "jvm_info",
                    "process_cpu_seconds_total", "process_uptime_seconds", "process_start_time_seconds",
                    "process_files_open_files", "process_files_max_files", "system_cpus");
        }

        @Test
        void ourSeriesAllCarryTheHostdevPrefixAndNothingGoesToTheGlobalRegistry() {
            service.update(host());

            assertThat(scrape().names()).filteredOn(n -> !n.startsWith("jvm_") && !n.startsWith("process_")
                    && !n.startsWith("system_")).allMatch(n -> n.startsWith("hostdev_"));
            assertThat(Metrics.globalRegistry.getMeters()).isEmpty();
        }

        @Test
        void twoAgentsInOneProcessKeepSeparateRegistries() {
            try (AgentMetrics other = new AgentMetrics(service, MetricsSettings.defaults())) {
                metrics.recordProbeRun("sysfs", Duration.ofMillis(1), true);

                assertThat(Exposition.parse(other.scrape()).family("hostdev_probe_duration_seconds_count")).isEmpty();
                assertThat(other.registry()).isNotSameAs(metrics.registry());
            }
        }
    }
}
