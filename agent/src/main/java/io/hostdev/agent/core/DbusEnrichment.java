package io.hostdev.agent.core;

import io.hostdev.agent.config.DbusSettings;
import io.hostdev.model.Overlay;
import io.hostdev.probes.HostRoot;
import io.hostdev.probes.dbus.DbusBridge;
import io.hostdev.probes.dbus.DbusChange;
import io.hostdev.probes.dbus.DbusConfig;
import io.hostdev.probes.dbus.DbusOverlays;
import io.hostdev.probes.dbus.DbusSnapshot;
import io.hostdev.probes.dbus.DbusSourceState;
import io.hostdev.probes.dbus.HalSource;
import io.hostdev.probes.dbus.SystemdSource;
import io.hostdev.probes.dbus.UdisksSource;
import io.hostdev.probes.sysfs.SysfsProbe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the D-Bus services know about devices, merged into the agent's tree (docs/dbus.md, "In the
 * agent"): the bridge's records become one overlay per source ({@link DbusOverlays}), installed in
 * the core with {@link AgentCore#setOverlay}; each change the bridge reports re-installs them and
 * asks for a targeted reprobe of the devices it names, so a D-Bus signal is a change event within
 * milliseconds rather than at the next sysfs scan.
 *
 * <p>Changes come in bursts (a disk is a drive, a block device and its partitions, and a few units):
 * those within {@link #DEBOUNCE} are one merge. Merges run on a thread of their own, never on the
 * bridge's, so a slow journal write does not hold up D-Bus.
 */
public final class DbusEnrichment implements AutoCloseable {

    /** How long changes are gathered before one merge. */
    static final Duration DEBOUNCE = Duration.ofMillis(10);

    private static final Logger LOG = Logger.getLogger("io.hostdev.agent");

    private final AgentCore core;
    private final DbusBridge bridge;
    private final ScheduledExecutorService merges;
    private final AutoCloseable subscription;
    private final List<DbusChange> pending = new ArrayList<>();
    private boolean scheduled;
    private volatile boolean closed;

    // on the merge thread only
    private DbusSnapshot installed;
    private final Map<String, Object> installedFacts = new HashMap<>();
    private boolean failureLogged;

    private DbusEnrichment(AgentCore core, DbusBridge bridge) {
        this.core = core;
        this.bridge = bridge;
        this.merges = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hostdev-dbus-merge");
            t.setDaemon(true);
            return t;
        });
        this.subscription = bridge.onChange(this::changed);
    }

    /**
     * Opens the bridge (waiting up to its open timeout for the first reads: a missing bus or service
     * is no error, see docs/dbus.md) and installs what it read.
     */
    public static DbusEnrichment start(AgentCore core, DbusConfig config) {
        Objects.requireNonNull(core, "core");
        DbusEnrichment e = new DbusEnrichment(core, DbusBridge.open(config));
        // subscribed before this first read: a change between open and now is in it or still to come
        e.run(() -> e.install(e.bridge.snapshot()));
        return e;
    }

    /**
     * The bridge's settings from the agent's: the host root's system bus unless {@code dbus.address}
     * names one, which then wins over {@code DBUS_SYSTEM_BUS_ADDRESS} (an explicit setting is meant).
     */
    public static DbusConfig config(HostRoot root, DbusSettings settings) {
        DbusConfig c = DbusConfig.defaults(root).withSources(Set.copyOf(settings.sources()));
        if (settings.address() != null) {
            c = c.withAddress(settings.address()).withEnvironment(name -> null);
        }
        return c;
    }

    /** For the agent's start line: the bus and what each source is. */
    public String describe() {
        SortedMap<String, DbusSourceState> states = bridge.snapshot().states();
        if (!states.isEmpty() && states.values().stream().allMatch(s -> s == DbusSourceState.NO_BUS)) {
            return "no D-Bus at " + bridge.address() + " (retrying)";
        }
        List<String> present = new ArrayList<>();
        List<String> absent = new ArrayList<>();
        states.forEach((id, s) -> (s == DbusSourceState.PRESENT || s == DbusSourceState.STALE ? present : absent)
                .add(id));
        return "D-Bus at " + bridge.address() + ": " + (present.isEmpty() ? "no source present"
                : String.join(", ", present) + " present") + (absent.isEmpty() ? "" : ", " + String.join(", ", absent)
                + " absent");
    }

    /** On the bridge's thread: queue the change; the first of a burst schedules the merge. */
    private void changed(DbusChange change) {
        synchronized (pending) {
            pending.add(change);
            if (scheduled) {
                return;
            }
            scheduled = true;
        }
        try {
            merges.schedule(this::merge, DEBOUNCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    private void merge() {
        List<DbusChange> changes;
        synchronized (pending) {
            changes = List.copyOf(pending);
            pending.clear();
            scheduled = false;
        }
        if (closed || changes.isEmpty()) {
            return;
        }
        try {
            DbusSnapshot before = installed;
            DbusSnapshot after = bridge.snapshot();
            install(after);
            DbusOverlays.Reprobe r = DbusOverlays.reprobe(changes, core.current().tree(), before, after);
            if (LOG.isLoggable(Level.FINE)) {
                LOG.fine("dbus: " + changes + " -> reprobe " + r.paths() + (r.fullRun() ? " and a full scan" : ""));
            }
            // the overlays are in place before the devices are read again, so a device that sysfs
            // gets only now arrives with its D-Bus facts in its first event
            if (!r.paths().isEmpty()) {
                core.reprobe(r.paths(), false);
            }
            if (r.fullRun()) {
                core.requestRun(SysfsProbe.ID);
            }
        } catch (RuntimeException e) {
            // a bug, not the bus: say it once, then quietly, so that it cannot flood the log
            Level level = failureLogged ? Level.FINE : Level.WARNING;
            failureLogged = true;
            LOG.log(level, "dbus: merging " + changes + " failed: " + e, e);
        }
    }

    /** Sets the overlay of each source whose facts differ from the ones installed. */
    private void install(DbusSnapshot snapshot) {
        for (Map.Entry<String, Overlay> e : DbusOverlays.of(snapshot).entrySet()) {
            Object facts = facts(snapshot, e.getKey());
            if (installedFacts.containsKey(e.getKey()) && Objects.equals(installedFacts.get(e.getKey()), facts)) {
                continue;
            }
            installedFacts.put(e.getKey(), facts);
            core.setOverlay(e.getKey(), e.getValue());
        }
        installed = snapshot;
    }

    /** What the overlay of a source is made of: its records while they count, else nothing. */
    private static Object facts(DbusSnapshot s, String source) {
        DbusSourceState state = s.states().get(source);
        if (state != DbusSourceState.PRESENT && state != DbusSourceState.STALE) {
            return null;
        }
        return switch (source) {
            case UdisksSource.ID -> s.udisks2();
            case SystemdSource.ID -> s.systemd();
            case HalSource.ID -> s.hal();
            default -> null;
        };
    }

    /** Runs {@code task} on the merge thread and waits for it. */
    private void run(Runnable task) {
        try {
            merges.submit(task).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.log(Level.WARNING, "dbus: installing the first facts failed: " + e.getCause(), e.getCause());
        }
    }

    /** Stops listening and closes the bridge; the facts installed stay until the core stops. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            subscription.close();
        } catch (Exception e) {
            LOG.fine("dbus: unsubscribing: " + e);
        }
        // not shutdownNow: an interrupt inside setOverlay's journal write would close the journal's
        // channel (FileChannel is interruptible); a merge still due sees closed and does nothing
        merges.shutdown();
        try {
            merges.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        bridge.close();
    }
}
