package io.hostdev.agent.metrics;

import io.hostdev.agent.journal.JournalEntry;
import io.hostdev.agent.service.AgentService;
import io.hostdev.agent.service.JournalStatus;
import io.hostdev.agent.service.ProbeStatus;
import io.hostdev.agent.service.StateSnapshot;
import io.hostdev.model.Device;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.change.ChangeEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * The agent's Prometheus metrics: one {@link PrometheusMeterRegistry} per agent (never Micrometer's
 * global registry), filled from an {@link AgentService}. Nothing runs in the background: the state
 * gauges (devices, device facts, probe status, journal) are read from the service when
 * {@link #scrape()} is called, counters and timers are fed by the core ({@link #recordProbeRun}),
 * the HTTP server's stream count ({@link #countSubscribersWith}) and a subscription to the service's change events.
 *
 * <p>Names, labels and what each series means: docs/metrics.md.
 */
public final class AgentMetrics implements AutoCloseable {

    /** The media type of {@link #scrape()}: Prometheus text exposition format 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /**
     * Histogram buckets of probe run times: a sysfs probe of a small VM takes milliseconds, of a
     * 10,000-device host about a second; QEMU's machine listing can take many seconds.
     */
    static final Duration[] PROBE_DURATION_BUCKETS = {
            Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private static final Logger LOG = Logger.getLogger(AgentMetrics.class.getName());

    private final AgentService service;
    private final MetricsSettings settings;
    private final Clock clock;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final AgentService.Subscription changes;

    private final Map<ChangeEvent.Kind, Counter> changesByKind = new EnumMap<>(ChangeEvent.Kind.class);
    private volatile java.util.function.IntSupplier subscribers = () -> 0;
    private final Map<String, ProbeStatus> probeStatus = new ConcurrentHashMap<>();

    private final MultiGauge devicesTotal;
    private final MultiGauge devicesStale;
    private final MultiGauge devicesByCapability;
    private final MultiGauge devicesByBus;
    private final MultiGauge probeSuccess;
    private final MultiGauge probeLastSuccess;
    private final MultiGauge journalRecords;
    private final MultiGauge journalBytes;
    private final MultiGauge journalOldestAge;
    private final Map<DeviceFacts.Fact, MultiGauge> facts = new EnumMap<>(DeviceFacts.Fact.class);
    private final AtomicInteger factSeries = new AtomicInteger();
    private final AtomicInteger factSeriesDropped = new AtomicInteger();
    private boolean capReported;
    /** The tree the device gauges were last registered for; scrape() is synchronized. */
    private DeviceTree registeredTree;

    public AgentMetrics(AgentService service, MetricsSettings settings) {
        this(service, settings, Clock.systemUTC());
    }

    /** With the clock the journal's oldest-record age is measured against. */
    public AgentMetrics(AgentService service, MetricsSettings settings, Clock clock) {
        this.service = Objects.requireNonNull(service, "service");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");

        // two of Micrometer's names break Prometheus's conventions (promtool complains): a CPU time in
        // nanoseconds, and a gauge ending in _count, which Prometheus reserves for histograms and summaries
        registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")));
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
            }
        });
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                && os.getProcessCpuTime() >= 0) {
            FunctionCounter.builder("process.cpu", os, b -> b.getProcessCpuTime() / 1e9)
                    .baseUnit("seconds")
                    .description("CPU time the agent's process has used")
                    .register(registry);
        }
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);

        Gauge.builder("hostdev.ready", service, s -> s.ready() ? 1 : 0)
                .description("1 once every probe has completed its first run (what /readyz answers)")
                .register(registry);
        devicesTotal = multi("hostdev.devices", null, "Devices in the current tree");
        devicesStale = multi("hostdev.devices.stale", null,
                "Devices kept as last seen because the probe that reports them is failing");
        devicesByCapability = multi("hostdev.devices.by.capability", null,
                "Devices that have the capability (what cap='TYPE' selects)");
        devicesByBus = multi("hostdev.devices.by.bus", null,
                "Devices that are members of the bus (bus='BUS' on the device itself)");
        probeSuccess = multi("hostdev.probe.success", null, "1 when the probe's last run succeeded, 0 when it failed");
        probeLastSuccess = multi("hostdev.probe.last.success.timestamp", "seconds",
                "When the probe's last successful run ended, in seconds since the epoch");
        journalRecords = multi("hostdev.journal.records", null, "Change events retained in the journal");
        journalBytes = multi("hostdev.journal.size", "bytes", "Bytes the journal's segment files take on disk");
        journalOldestAge = multi("hostdev.journal.oldest.record.age", "seconds",
                "Age of the oldest retained change event: how far back a cursor can resume (absent when empty)");
        for (DeviceFacts.Fact f : DeviceFacts.Fact.values()) {
            facts.put(f, multi(f.meterName, null, f.help));
        }
        Gauge.builder("hostdev.device.fact.series", factSeries, AtomicInteger::get)
                .description("Device fact series in the last scrape")
                .register(registry);
        Gauge.builder("hostdev.device.fact.series.dropped", factSeriesDropped, AtomicInteger::get)
                .description("Device fact series left out of the last scrape by the series cap ("
                        + settings.deviceFactsSeriesCap() + ")")
                .register(registry);
        Gauge.builder("hostdev.subscribers", this, m -> m.subscribers.getAsInt())
                .description("Change streams (GET /v1/watch) open now")
                .register(registry);
        for (ChangeEvent.Kind kind : ChangeEvent.Kind.values()) {
            changesByKind.put(kind, Counter.builder("hostdev.changes")
                    .description("Change events appended to the journal since the agent started, by kind")
                    .tag("kind", kind.json())
                    .register(registry));
        }
        changes = service.subscribe(this::count);
    }

    private MultiGauge multi(String name, String unit, String help) {
        MultiGauge.Builder b = MultiGauge.builder(name).description(help);
        if (unit != null) {
            b.baseUnit(unit);
        }
        return b.register(registry);
    }

    /** The core calls this after every run of a probe, successful or not (a timeout is a failure). */
    public void recordProbeRun(String probeId, Duration duration, boolean ok) {
        Objects.requireNonNull(probeId, "probeId");
        Timer.builder("hostdev.probe.duration")
                .description("How long probe runs take, successful or not")
                .tag("probe", probeId)
                .serviceLevelObjectives(PROBE_DURATION_BUCKETS)
                .register(registry)
                .record(duration);
    }

    /** Counts open change streams with {@code count}: the HTTP server's own count. None until set. */
    public void countSubscribersWith(java.util.function.IntSupplier count) {
        this.subscribers = Objects.requireNonNull(count, "count");
    }

    /** Current state, read from the service now, in the Prometheus text format ({@link #CONTENT_TYPE}). */
    public synchronized String scrape() {
        refresh();
        return registry.scrape();
    }

    /** The registry, for the agent's own meters (never a global one). */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    private void count(List<JournalEntry<ChangeEvent>> entries) {
        for (JournalEntry<ChangeEvent> e : entries) {
            changesByKind.get(e.value().kind()).increment();
        }
    }

    private void refresh() {
        StateSnapshot state = service.current();
        devices(state.tree());
        probes(service.probes());
        journal(service.journal());
    }

    private void devices(DeviceTree tree) {
        // trees are immutable and replaced when a cycle changes something: between changes, the
        // gauges registered for this tree stand (re-registering 5,000 fact rows was 44% of a scrape)
        if (tree == registeredTree) {
            return;
        }
        registeredTree = tree;
        Map<String, Integer> byCap = new TreeMap<>();
        Map<String, Integer> byBus = new TreeMap<>();
        int stale = 0;
        for (Device d : tree.devices()) {
            d.capabilityTypes().forEach(t -> byCap.merge(t, 1, Integer::sum));
            if (d.bus() != null) {
                byBus.merge(d.bus(), 1, Integer::sum);
            }
            if (d.stale()) {
                stale++;
            }
        }
        devicesTotal.register(List.of(MultiGauge.Row.of(Tags.empty(), tree.size())), true);
        devicesStale.register(List.of(MultiGauge.Row.of(Tags.empty(), stale)), true);
        devicesByCapability.register(rows("capability", byCap), true);
        devicesByBus.register(rows("bus", byBus), true);

        DeviceFacts.Collected collected = DeviceFacts.collect(tree, settings.deviceFacts(),
                settings.deviceFactsSeriesCap());
        Map<DeviceFacts.Fact, List<MultiGauge.Row<?>>> rows = new EnumMap<>(DeviceFacts.Fact.class);
        for (DeviceFacts.Fact f : DeviceFacts.Fact.values()) {
            rows.put(f, new ArrayList<>());
        }
        for (DeviceFacts.Sample s : collected.samples()) {
            rows.get(s.fact()).add(MultiGauge.Row.of(
                    Tags.of("device", s.device(), s.fact().identityLabel, s.identity()), s.value()));
        }
        rows.forEach((f, r) -> facts.get(f).register(r, true));
        factSeries.set(collected.samples().size());
        factSeriesDropped.set(collected.dropped());
        if (collected.dropped() > 0 && !capReported) {
            // once per episode: a scrape every 15 s must not write a line every 15 s
            LOG.warning("device facts: " + collected.dropped() + " series over the cap of "
                    + settings.deviceFactsSeriesCap() + " left out (narrow the selector '"
                    + settings.deviceFacts().expression() + "' or raise the cap); hostdev_device_fact_series_dropped "
                    + "counts them");
        }
        capReported = collected.dropped() > 0;
    }

    private static List<MultiGauge.Row<?>> rows(String label, Map<String, Integer> counts) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        counts.forEach((k, n) -> rows.add(MultiGauge.Row.of(Tags.of(label, k), n)));
        return rows;
    }

    private void probes(List<ProbeStatus> statuses) {
        List<MultiGauge.Row<?>> success = new ArrayList<>();
        List<MultiGauge.Row<?>> lastSuccess = new ArrayList<>();
        for (ProbeStatus p : statuses) {
            if (probeStatus.put(p.id(), p) == null) {
                FunctionCounter.builder("hostdev.probe.runs", probeStatus, m -> m.get(p.id()).runs())
                        .description("Probe runs since the agent started")
                        .tag("probe", p.id())
                        .register(registry);
                FunctionCounter.builder("hostdev.probe.failures", probeStatus, m -> m.get(p.id()).failures())
                        .description("Failed probe runs (errors and timeouts) since the agent started")
                        .tag("probe", p.id())
                        .register(registry);
            }
            Tags tags = Tags.of("probe", p.id());
            if (p.lastRun() != null) {
                success.add(MultiGauge.Row.of(tags, p.lastOk() ? 1 : 0));
            }
            if (p.lastSuccess() != null) {
                lastSuccess.add(MultiGauge.Row.of(tags, epochSeconds(p.lastSuccess())));
            }
        }
        probeSuccess.register(success, true);
        probeLastSuccess.register(lastSuccess, true);
    }

    private void journal(JournalStatus j) {
        journalRecords.register(List.of(MultiGauge.Row.of(Tags.empty(), j.records())), true);
        journalBytes.register(List.of(MultiGauge.Row.of(Tags.empty(), j.bytes())), true);
        List<MultiGauge.Row<?>> age = new ArrayList<>();
        if (j.oldest() != null) {
            double seconds = Duration.between(j.oldest(), clock.instant()).toNanos() / 1e9;
            age.add(MultiGauge.Row.of(Tags.empty(), Math.max(0, seconds)));
        }
        journalOldestAge.register(age, true);
    }

    private static double epochSeconds(Instant t) {
        return t.getEpochSecond() + t.getNano() / 1e9;
    }

    @Override
    public void close() {
        changes.close();
        gc.close();
        registry.close();
    }
}
