package io.hostdev.agent.core;

import io.hostdev.agent.config.AgentConfig;
import io.hostdev.agent.config.AgentDefaults;
import io.hostdev.agent.config.OshiSettings;
import io.hostdev.model.Overlay;
import io.hostdev.probes.HostRoot;
import io.hostdev.probes.oshi.OshiFacts;
import io.hostdev.probes.oshi.OshiOverlay;
import io.hostdev.probes.oshi.OshiProbe;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Reads OSHI ({@link OshiProbe}) now and then and lays what it found over the device tree as the
 * source {@code oshi} ({@link AgentCore#setOverlay}): a change is published at once, to the journal
 * and the watch streams, like a probe run's. docs/oshi.md.
 *
 * <p>OSHI forks {@code dmidecode} and {@code lshw} and may take 300+ ms, or hang on a broken
 * firmware interface, so it never runs on the probe scheduler's threads: one daemon thread
 * schedules, and each read runs on a daemon thread of its own that is waited for at most the
 * timeout. A read still running when the next is due is not joined by a second one. A read that
 * fails or times out keeps the last good facts on the tree; the log says so once per kind of
 * problem, not every interval, and once more when a read succeeds again.
 */
public final class OshiEnrichment implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger("io.hostdev.agent.oshi");

    /**
     * OSHI's own SLF4J lines (every file it reads, at debug) reach JDK logging; at {@code -v} they
     * would be 40 lines an hour saying nothing an operator needs. Held so the level sticks.
     */
    private static final Logger OSHI_LIBRARY_LOG = Logger.getLogger("oshi");

    private final AgentCore core;
    private final Callable<OshiFacts> read;
    private final Duration firstDelay;
    private final Duration interval;
    private final Duration timeout;
    private final ScheduledExecutorService scheduler;

    private final ProbeRunner runner;
    // the fields below are touched by the scheduler thread only
    private Overlay published;
    private String problem;
    private boolean firstRead = true;

    /**
     * @param core       where the facts go
     * @param read       one OSHI read ({@code new OshiProbe()::read} in the agent)
     * @param firstDelay the wait before the first read
     * @param interval   the wait between the end of one read and the start of the next
     * @param timeout    how long one read is waited for
     */
    public OshiEnrichment(AgentCore core, Callable<OshiFacts> read, Duration firstDelay, Duration interval,
                          Duration timeout) {
        this.core = Objects.requireNonNull(core, "core");
        this.read = Objects.requireNonNull(read, "read");
        this.firstDelay = Objects.requireNonNull(firstDelay, "firstDelay");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hostdev-oshi");
            t.setDaemon(true);
            return t;
        });
        // the probes' runner: its own worker per read, the timeout, and no second read while one hangs
        this.runner = new ProbeRunner(OshiProbe.ID, timeout, read, java.time.Clock.systemUTC());
    }

    /**
     * Starts what the configuration asks for and has it closed with the core; returns what the
     * agent's start line says of it. OSHI reads the machine it runs on through absolute paths and
     * cannot be pointed at another root, so on any root but the live one it stays off, with one
     * line in the log.
     */
    public static String start(AgentCore core, AgentConfig config) {
        OshiSettings s = config.oshi();
        if (!s.enabled()) {
            return "oshi off (oshi.enabled)";
        }
        if (!OshiProbe.isLiveRoot(HostRoot.of(config.root()))) {
            LOG.info("oshi: not used: the root " + config.root() + " is not this host's own, and OSHI reads only "
                    + "the host it runs on");
            return "oshi off (not the live root)";
        }
        OSHI_LIBRARY_LOG.setLevel(java.util.logging.Level.INFO);
        OshiProbe probe = new OshiProbe();
        OshiEnrichment e = new OshiEnrichment(core, probe::read, AgentDefaults.OSHI_FIRST_DELAY, s.interval(),
                s.timeout());
        core.addCloseHook(e::close);
        e.start();
        return "oshi every " + describe(s.interval());
    }

    /** Schedules the first read after the first delay, then one each interval after the last ended. */
    public void start() {
        scheduler.scheduleWithFixedDelay(this::runOnce, firstDelay.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** One read, waited for at most the timeout; its facts published when they differ from the last. */
    void runOnce() {
        long start = System.nanoTime();
        ProbeRunner.Attempt a;
        try {
            a = runner.attempt();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (a instanceof ProbeRunner.Attempt.Failed f) {
            if (f.hung()) {
                // a read still hanging after its timeout is the same problem as the timeout itself
                trouble("timeout", "no answer within " + describe(timeout));
            } else {
                trouble("failed " + f.cause().getClass().getName(), "failed: " + f.cause());
            }
            return;
        }
        OshiFacts facts = (OshiFacts) ((ProbeRunner.Attempt.Done) a).value();
        if (facts == null) {
            trouble("null", "the read returned nothing");
            return;
        }
        if (problem != null) {
            LOG.info("oshi: read again (after: " + problem + ")");
            problem = null;
        }
        Overlay overlay = OshiOverlay.of(facts);
        if (firstRead) {
            firstRead = false;
            LOG.info("oshi: first read in " + (System.nanoTime() - start) / 1_000_000 + " ms: " + summary(facts));
        }
        if (!overlay.equals(published)) {
            published = overlay;
            core.setOverlay(OshiProbe.ID, overlay);
        }
    }

    /** Logs a problem unless it is the one logged last; the facts published before stay. */
    private void trouble(String kind, String message) {
        if (kind.equals(problem)) {
            return;
        }
        problem = kind;
        LOG.warning("oshi: " + message + "; " + (published == null ? "no OSHI facts yet" : "the last facts stay")
                + ", the next read in " + describe(interval));
    }

    static String summary(OshiFacts f) {
        if (!f.knowsAnything()) {
            return "nothing for the device tree (no DMI, memory modules or sensors here)";
        }
        StringBuilder sb = new StringBuilder();
        if (f.system() != null) {
            sb.append("system identity, ");
        }
        if (f.firmware() != null) {
            sb.append("firmware, ");
        }
        if (f.baseboard() != null) {
            sb.append("baseboard, ");
        }
        if (!f.memory().isEmpty()) {
            sb.append(f.memory().size()).append(f.memory().size() == 1 ? " memory module, " : " memory modules, ");
        }
        if (f.sensors() != null) {
            sb.append("sensors, ");
        }
        return sb.substring(0, sb.length() - 2);
    }

    private static String describe(Duration d) {
        return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }

    /** Stops reading; a read in progress is interrupted (the runner interrupts its worker) and its result dropped. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
