package io.hostdev.agent.core;

import io.hostdev.agent.config.AgentConfig;
import io.hostdev.agent.journal.Appended;
import io.hostdev.agent.journal.ChangeJournal;
import io.hostdev.agent.journal.Cursor;
import io.hostdev.agent.journal.FsyncPolicy;
import io.hostdev.agent.journal.Journal;
import io.hostdev.agent.journal.JournalConfig;
import io.hostdev.agent.journal.JournalEntry;
import io.hostdev.agent.journal.JournalException;
import io.hostdev.agent.journal.ReadResult;
import io.hostdev.agent.service.AgentService;
import io.hostdev.agent.service.JournalStatus;
import io.hostdev.agent.service.ProbeStatus;
import io.hostdev.agent.service.StateSnapshot;
import io.hostdev.model.Device;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.Overlay;
import io.hostdev.model.change.ChangeEvent;
import io.hostdev.model.change.Patch;
import io.hostdev.model.change.ProbeOutcome;
import io.hostdev.model.change.Refresh;
import io.hostdev.model.change.TreeDiff;
import io.hostdev.model.host.Capabilities;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The agent's core: schedules the probes, turns each device tree into change events appended to
 * the journal and delivered to subscribers, keeps the current state and its snapshot on disk, and
 * implements {@link AgentService} for the HTTP layer and metrics. How it schedules, publishes,
 * restarts and stops: docs/agent.md.
 *
 * <p>Every change of state happens under one lock, in this order: diff against the previous tree,
 * append the events to the journal as one batch, deliver them to the listeners, swap the current
 * state (tree, capabilities and journal head together), write the snapshot. Readers of
 * {@link #current()} never wait; {@link #subscribe} takes the lock so that the head it reports and
 * the deliveries it gets join without a gap.
 */
public final class AgentCore implements AgentService, AutoCloseable {

    /** The journal's directory inside the state directory. */
    public static final String JOURNAL_DIR = "journal";

    private static final Logger LOG = Logger.getLogger("io.hostdev.agent");
    private static final int CATCH_UP_PAGE = 1000;

    /** The provenance of devices the kernel announced with a uevent (docs/sources.md). */
    public static final String UEVENT_SOURCE = "uevent";

    /**
     * The order in which overlays fill fields sysfs left empty: the first with a value wins
     * (docs/sources.md). Sources not listed come after these, by name.
     */
    public static final List<String> OVERLAY_ORDER = List.of("dbus.udisks2", "dbus.systemd", "dbus.hal", "oshi");

    /**
     * What the core needs from the configuration.
     *
     * @param stateDir        where the journal, the snapshot and the emulator cache live
     * @param journal         the journal's settings
     * @param shutdownTimeout how long {@link #close} waits for runs in progress
     */
    public record Options(Path stateDir, JournalConfig journal, Duration shutdownTimeout, double probeMaxShare) {

        /** With the default share of the time a probe may run. */
        public Options(Path stateDir, JournalConfig journal, Duration shutdownTimeout) {
            this(stateDir, journal, shutdownTimeout, io.hostdev.agent.config.AgentDefaults.PROBE_MAX_SHARE);
        }

        public Options {
            Objects.requireNonNull(stateDir, "stateDir");
            Objects.requireNonNull(journal, "journal");
            Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        }

        public static Options of(AgentConfig config) {
            return new Options(config.stateDir(), config.journal(), config.shutdownTimeout(), config.probeMaxShare());
        }
    }

    /**
     * How the previous state was found on start.
     *
     * @param kind     where the tree the journal's head reflects came from
     * @param replayed journal events applied to get there
     * @param reason   why the snapshot was not used as it was (null when it was)
     */
    public record Startup(Kind kind, long replayed, String reason) {

        public enum Kind {
            /** The snapshot, plus the events journaled after it ({@code replayed}, usually 0). */
            SNAPSHOT,
            /** No usable snapshot, but the journal holds its whole epoch: every event replayed from the bare root. */
            JOURNAL,
            /** Neither: the old journal was set aside and a new epoch begun, from the bare root. */
            NEW_EPOCH
        }
    }

    /** A registered listener. */
    private final class Registration implements Subscription {
        final Listener listener;
        final Cursor startsAfter;

        Registration(Listener listener, Cursor startsAfter) {
            this.listener = listener;
            this.startsAfter = startsAfter;
        }

        @Override
        public Cursor startsAfter() {
            return startsAfter;
        }

        @Override
        public void close() {
            registrations.remove(this);
        }
    }

    private final Options options;
    private final Clock clock;
    private final StateStore store;
    private final Map<String, ProbeRunner> runners = new TreeMap<>();
    private final ProbeScheduler scheduler;
    private final List<Registration> registrations = new CopyOnWriteArrayList<>();
    private final List<Runnable> closeHooks = new CopyOnWriteArrayList<>();
    private final List<ProbeRunListener> runListeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    private final Startup startup;
    private final String devicesProbe;
    private final Object lock = new Object();
    /** Held by a device tree read from its start until it is published, so reads never overtake each other. */
    private final ReentrantLock devicesRead = new ReentrantLock();
    private final AgentProbe.Reread reread;
    private final ProbeRunner rereadRunner;
    private final ExecutorService reprobes;
    private final ExecutorService snapshotWriter = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "hostdev-snapshot");
        t.setDaemon(true);
        return t;
    });
    private final java.util.concurrent.atomic.AtomicReference<StateSnapshot> pendingSnapshot =
            new java.util.concurrent.atomic.AtomicReference<>();
    /** Paths waiting for a targeted reprobe, and those of them the kernel announced; guarded by itself. */
    private final Set<String> pendingPaths = new java.util.LinkedHashSet<>();
    private final Set<String> pendingAnnounced = new HashSet<>();
    private boolean reprobeScheduled;

    // published state; written under lock only
    private volatile ChangeJournal journal;
    private volatile StateSnapshot current;
    // guarded by lock
    /** The tree as the device probe's reads left it, before overlays. */
    private DeviceTree base;
    /** Other sources' facts over {@link #base}, by source, applied in {@link #OVERLAY_ORDER}. */
    private final Map<String, Overlay> overlays = new TreeMap<>(AgentCore::compareSources);
    /** Host paths of devices the kernel announced (a uevent) since they appeared there. */
    private final Set<String> announced = new HashSet<>();
    private boolean closed;
    private boolean journalBroken;
    /** Guarded by {@link #store}: whether the last snapshot write failed (logged once). */
    private boolean snapshotFailing;
    private final Map<String, String> lastErrors = new TreeMap<>();

    private AgentCore(Options options, List<AgentProbe> probes, Clock clock) {
        this.options = options;
        this.clock = clock;
        this.store = new StateStore(options.stateDir(), options.journal().fsync() == FsyncPolicy.ALWAYS);
        if (probes.stream().filter(p -> p instanceof AgentProbe.Devices).count() > 1) {
            // one source builds the whole tree until sources own their devices (docs/changes.md, "Per source")
            throw new IllegalArgumentException("at most one device tree probe");
        }
        AgentProbe.Devices devices = probes.stream().filter(p -> p instanceof AgentProbe.Devices && p.schedule().enabled())
                .map(p -> (AgentProbe.Devices) p).findFirst().orElse(null);
        this.devicesProbe = devices == null ? null : devices.id();
        this.reread = devices == null ? null : devices.reread();
        this.rereadRunner = reread == null ? null
                : new ProbeRunner(devices.id() + ".reprobe", devices.schedule().timeout(), () -> null, clock);
        this.reprobes = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "hostdev-reprobe");
            t.setDaemon(true);
            return t;
        });
        List<ProbeScheduler.Entry> entries = new ArrayList<>();
        for (AgentProbe p : probes) {
            if (!p.schedule().enabled()) {
                continue;
            }
            if (runners.containsKey(p.id())) {
                throw new IllegalArgumentException("two probes with id " + p.id());
            }
            ProbeRunner r;
            Runnable run;
            if (p instanceof AgentProbe.Devices d) {
                r = new ProbeRunner(d.id(), d.schedule().timeout(), d.read(), clock);
                run = () -> runDevices(r);
            } else {
                AgentProbe.Host h = (AgentProbe.Host) p;
                r = new ProbeRunner(h.id(), h.schedule().timeout(), h.read(), clock);
                run = () -> runCapabilities(r);
            }
            runners.put(p.id(), r);
            entries.add(new ProbeScheduler.Entry(p.id(), p.schedule(), run));
        }
        try {
            Files.createDirectories(options.stateDir());
        } catch (IOException e) {
            throw new JournalException("cannot create the state directory " + options.stateDir() + ": " + e, e);
        }
        this.journal = ChangeJournal.open(options.stateDir().resolve(JOURNAL_DIR), options.journal(), clock);
        try {
            this.startup = restore();
            this.scheduler = new ProbeScheduler(entries, options.probeMaxShare());
        } catch (RuntimeException | Error e) {
            journal.close();
            throw e;
        }
    }

    /**
     * Opens the state directory (journal and snapshot) and restores the state the journal's head
     * reflects; probes do not run until {@link #start}.
     *
     * @throws io.hostdev.agent.journal.JournalLockedException when another agent uses the state directory
     * @throws JournalException                                when the state directory cannot be used
     */
    public static AgentCore open(Options options, List<AgentProbe> probes) {
        return open(options, probes, Clock.systemUTC());
    }

    public static AgentCore open(Options options, List<AgentProbe> probes, Clock clock) {
        return new AgentCore(options, probes, clock);
    }

    /** Starts every enabled probe's first run now, then each on its schedule. */
    public void start() {
        if (closing.get()) {
            throw new IllegalStateException("the agent is stopped");
        }
        if (started.compareAndSet(false, true)) {
            scheduler.start();
        }
    }

    /** How the previous state was found when this core opened. */
    public Startup startup() {
        return startup;
    }

    /** The journal's epoch. */
    public java.util.UUID epoch() {
        return journal.journal().epoch();
    }

    /**
     * Told of every finished probe run, successful or not, and of every targeted reprobe (as
     * {@code PROBE.reprobe}: {@code sysfs.reprobe}); metrics count them.
     */
    @FunctionalInterface
    public interface ProbeRunListener {
        void finished(String probeId, Duration duration, boolean ok);
    }

    /** Adds a listener of finished probe runs; called on the probe's thread, so it must be quick. */
    public void addProbeRunListener(ProbeRunListener listener) {
        runListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Runs {@code hook} when the core stops, after the probes stopped and before the journal
     * closes: the HTTP layer ends its streams there.
     */
    public void addCloseHook(Runnable hook) {
        closeHooks.add(Objects.requireNonNull(hook, "hook"));
    }

    /**
     * Stops: no new probe runs, runs in progress get {@link Options#shutdownTimeout} to finish (and
     * publish), then the close hooks run, then the journal is synced and closed. Idempotent; a
     * second caller waits for the first to finish.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            awaitClosed();
            return;
        }
        try {
            scheduler.stop(options.shutdownTimeout());
            // no interrupt: one inside a journal write would close the journal's channel (FileChannel is
            // interruptible); a reprobe in progress ends within its timeout and publishes nothing once closed
            reprobes.shutdown();
            try {
                reprobes.awaitTermination(options.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            snapshotWriter.shutdown();
            try {
                snapshotWriter.awaitTermination(options.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            StateSnapshot unsaved = pendingSnapshot.getAndSet(null);
            if (unsaved != null) {
                writeSnapshot(unsaved);
            }
            for (Runnable hook : closeHooks) {
                try {
                    hook.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "stopping: a close hook failed: " + e, e);
                }
            }
            synchronized (lock) {
                closed = true;
                registrations.clear();
                journal.close();
            }
        } finally {
            closedLatch.countDown();
        }
    }

    /** Waits until {@link #close} has finished. */
    public void awaitClosed() {
        try {
            closedLatch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- AgentService

    /**
     * True once every enabled probe has finished its first run, successful or not: an agent whose
     * sysfs cannot be read still serves its last known devices (stale), its capabilities and why the
     * probe fails, rather than hiding behind "not ready" forever.
     */
    @Override
    public boolean ready() {
        for (ProbeRunner r : runners.values()) {
            if (!r.hasRun()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public StateSnapshot current() {
        return current;
    }

    @Override
    public ReadResult<ChangeEvent> changes(String cursor, int limit) {
        ChangeJournal j = journal;
        return cursor == null ? j.read(j.journal().start(), limit) : j.read(cursor, limit);
    }

    @Override
    public Subscription subscribe(Listener listener) {
        Objects.requireNonNull(listener, "listener");
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the agent is stopped");
            }
            Registration r = new Registration(listener, journal.head());
            registrations.add(r);
            return r;
        }
    }

    @Override
    public boolean requestRun(String probeId) {
        return runners.containsKey(probeId) && scheduler.requestRun(probeId);
    }

    @Override
    public List<ProbeStatus> probes() {
        return runners.values().stream().map(ProbeRunner::status).toList();
    }

    @Override
    public JournalStatus journal() {
        Journal j = journal.journal();
        Cursor head = j.head();
        long records = Math.max(0, head.sequence() - j.oldestRetained() + 1);
        Instant oldest = null;
        if (records > 0 && j.read(j.start(), 1) instanceof ReadResult.Page<byte[]> p && !p.entries().isEmpty()) {
            oldest = p.entries().get(0).appended();
        }
        return new JournalStatus(records, j.diskBytes(), head, oldest);
    }

    // ---- probe runs (on Quartz threads, one at a time per probe)

    /** One attempt of {@code r}; null when this thread was interrupted (the agent is stopping). */
    private static ProbeRunner.Attempt attempt(ProbeRunner r) {
        try {
            return r.attempt();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void runDevices(ProbeRunner r) {
        devicesRead.lock();
        try {
            readDevices(r);
        } finally {
            devicesRead.unlock();
        }
    }

    private void readDevices(ProbeRunner r) {
        Instant started = clock.instant();
        ProbeRunner.Attempt a = attempt(r);
        if (a == null) {
            return;
        }
        String error;
        ProbeOutcome outcome;
        if (a instanceof ProbeRunner.Attempt.Done d && d.value() instanceof DeviceTree tree) {
            outcome = ProbeOutcome.success(tree);
            error = null;
        } else {
            error = a instanceof ProbeRunner.Attempt.Failed f ? f.reason() : "the probe returned no tree";
            outcome = ProbeOutcome.failure(error);
        }
        String publishError = publishTree(outcome);
        finish(r, started, error != null ? error : publishError);
    }

    private void runCapabilities(ProbeRunner r) {
        Instant started = clock.instant();
        ProbeRunner.Attempt a = attempt(r);
        if (a == null) {
            return;
        }
        String error = null;
        if (a instanceof ProbeRunner.Attempt.Done d && d.value() instanceof Capabilities caps) {
            synchronized (lock) {
                StateSnapshot s = current;
                if (!closed && !caps.equals(s.capabilities())) {
                    current = new StateSnapshot(s.tree(), caps, s.cursor(), clock.instant());
                    save(current);
                }
            }
        } else {
            // a failure keeps the last good document: capabilities change with upgrades, not with hotplug
            error = a instanceof ProbeRunner.Attempt.Failed f ? f.reason() : "the probe returned no document";
        }
        finish(r, started, error);
    }

    private void notifyRunListeners(String id, Duration duration, boolean ok) {
        for (ProbeRunListener l : runListeners) {
            try {
                l.finished(id, duration, ok);
            } catch (RuntimeException e) {
                LOG.warning("a probe run listener failed: " + e);
            }
        }
    }

    /** Records the run (after publishing, so that readiness never runs ahead of the state) and logs changes of health. */
    private void finish(ProbeRunner r, Instant started, String error) {
        Instant ended = clock.instant();
        r.record(started, ended, error);
        notifyRunListeners(r.id(), Duration.between(started, ended), error == null);
        String before;
        synchronized (lastErrors) {
            before = error == null ? lastErrors.remove(r.id()) : lastErrors.put(r.id(), error);
        }
        if (error != null && !error.equals(before)) {
            LOG.warning("probe " + r.id() + " failed: " + error + (r.id().equals(devicesProbe)
                    ? " (its devices are kept, marked stale)" : " (the last good result is kept)"));
        } else if (error != null) {
            LOG.fine("probe " + r.id() + " failed again: " + error);
        } else if (before != null) {
            LOG.info("probe " + r.id() + " works again");
        }
    }

    /**
     * Publishes one device probe cycle.
     *
     * @return why it could not be published, or null
     */
    private String publishTree(ProbeOutcome outcome) {
        synchronized (lock) {
            return publish(Refresh.apply(base, outcome));
        }
    }

    /**
     * Under lock: makes {@code nextBase} the probe's tree and publishes it with the overlays.
     *
     * @return why it could not be published, or null
     */
    private String publish(DeviceTree nextBase) {
        if (closed) {
            return null;
        }
        if (journalBroken && !reopenJournal()) {
            return "the journal cannot be written (see the log)";
        }
        base = nextBase;
        ChangeJournal j = journal;
        StateSnapshot s = current;
        DeviceTree next = overlaid(nextBase);
        List<ChangeEvent> events = TreeDiff.diff(s.tree(), next);
        if (events.isEmpty()) {
            retain(j);
            return null;
        }
        Cursor before = j.head();
        Appended appended;
        try {
            appended = j.append(events);
        } catch (JournalException e) {
            journalBroken = true;
            LOG.severe("cannot append " + events.size() + " change events to the journal: " + e.getMessage()
                    + "; they are published once the journal can be written again");
            return "journal append failed: " + e.getMessage();
        }
        List<JournalEntry<ChangeEvent>> entries = entries(j, before, appended, events);
        StateSnapshot after = new StateSnapshot(next, s.capabilities(), appended.head(), clock.instant());
        deliver(entries);
        current = after;
        save(after);
        return null;
    }

    /**
     * Under lock: the tree to publish over the probe's tree {@code b}: devices the kernel announced
     * marked, then every overlay in order. Announcements of paths no device holds any more are
     * forgotten, so a device that comes back at the same path is announced anew or not at all.
     */
    private DeviceTree overlaid(DeviceTree b) {
        List<Overlay> order = new ArrayList<>(overlays.size() + 1);
        if (!announced.isEmpty()) {
            Set<String> present = new HashSet<>();
            for (Device d : b.devices()) {
                if (d.path() != null) {
                    present.add(d.path());
                }
            }
            announced.retainAll(present);
            Set<String> marked = Set.copyOf(announced);
            order.add(d -> d.path() != null && marked.contains(d.path()) ? d.withSource(UEVENT_SOURCE) : d);
        }
        order.addAll(overlays.values());
        return Overlay.over(b, order);
    }

    private static int compareSources(String a, String b) {
        int ia = OVERLAY_ORDER.indexOf(a);
        int ib = OVERLAY_ORDER.indexOf(b);
        if (ia >= 0 || ib >= 0) {
            return ia < 0 ? 1 : ib < 0 ? -1 : Integer.compare(ia, ib);
        }
        return a.compareTo(b);
    }

    /**
     * Sets one source's facts over the device tree ({@code null} or {@link Overlay#NONE}: the source
     * has none) and publishes what that changes at once, like a probe run: events to the journal and
     * every subscriber. Sources and their precedence: docs/sources.md.
     */
    public void setOverlay(String source, Overlay overlay) {
        Objects.requireNonNull(source, "source");
        synchronized (lock) {
            if (overlay == null || overlay == Overlay.NONE) {
                if (overlays.remove(source) == null) {
                    return;
                }
            } else {
                overlays.put(source, overlay);
            }
            String error = publish(base);
            if (error != null) {
                LOG.fine("facts of " + source + " not published: " + error);
            }
        }
    }

    /**
     * Reads the devices at these host paths again (a targeted reprobe) and publishes what changed;
     * returns at once. Requests that arrive while one runs are merged into the next. Where the
     * device probe has no targeted read, or it cannot tell, a full run is requested instead.
     *
     * @param paths     host paths ({@code /sys/devices/...}) of devices that changed, came or went
     * @param announced whether the kernel announced them (a uevent): those devices get the
     *                  {@code uevent} source
     */
    public void reprobe(Set<String> paths, boolean announced) {
        if (devicesProbe == null || paths.isEmpty() || closing.get()) {
            return;
        }
        if (reread == null) {
            requestRun(devicesProbe);
            return;
        }
        synchronized (pendingPaths) {
            pendingPaths.addAll(paths);
            if (announced) {
                pendingAnnounced.addAll(paths);
            }
            if (!reprobeScheduled) {
                reprobeScheduled = true;
                try {
                    reprobes.execute(this::drainReprobes);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    reprobeScheduled = false;
                }
            }
        }
    }

    private void drainReprobes() {
        while (!closing.get()) {
            Set<String> paths;
            Set<String> kernel;
            synchronized (pendingPaths) {
                if (pendingPaths.isEmpty()) {
                    reprobeScheduled = false;
                    return;
                }
                paths = Set.copyOf(pendingPaths);
                kernel = Set.copyOf(pendingAnnounced);
                pendingPaths.clear();
                pendingAnnounced.clear();
            }
            devicesRead.lock();
            try {
                if (!reprobeOnce(paths, kernel)) {
                    return;
                }
            } finally {
                devicesRead.unlock();
            }
        }
        synchronized (pendingPaths) {
            reprobeScheduled = false;
        }
    }

    /** One targeted reprobe, under {@link #devicesRead}; false when this thread was interrupted. */
    private boolean reprobeOnce(Set<String> paths, Set<String> kernel) {
        DeviceTree b;
        synchronized (lock) {
            b = base;
        }
        ProbeRunner.Attempt a;
        Instant started = clock.instant();
        try {
            a = rereadRunner.attempt(() -> reread.reread(b, paths));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        boolean done = a instanceof ProbeRunner.Attempt.Done d && d.value() instanceof AgentProbe.Reread.Result;
        notifyRunListeners(rereadRunner.id(), Duration.between(started, clock.instant()), done);
        if (a instanceof ProbeRunner.Attempt.Done d && d.value() instanceof AgentProbe.Reread.Result r) {
            synchronized (lock) {
                for (String p : r.reread()) {
                    if (announcedBy(p, kernel)) {
                        announced.add(p);
                    }
                }
                String error = publish(r.tree());
                if (error != null) {
                    LOG.fine("a targeted reprobe was not published: " + error);
                }
            }
        } else {
            if (a instanceof ProbeRunner.Attempt.Failed f) {
                LOG.fine("a targeted reprobe of " + paths + " failed (" + f.reason() + "); a full run follows");
            }
            requestRun(devicesProbe);
        }
        return true;
    }

    /** Whether a device read again at {@code path} is one the kernel's events named: it, inside it, or above it. */
    private static boolean announcedBy(String path, Set<String> kernel) {
        for (String k : kernel) {
            if (k.equals(path) || k.startsWith(path + "/") || path.startsWith(k + "/")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The appended events with the cursors the journal gave them, read back from it. A batch larger
     * than the journal keeps ({@code maxRecords}) is readable only in part: only its retained tail
     * is delivered, and a listener sees the gap in the sequence.
     */
    private static List<JournalEntry<ChangeEvent>> entries(ChangeJournal j, Cursor before, Appended appended,
                                                           List<ChangeEvent> events) {
        try {
            ReadResult<byte[]> r = j.journal().read(before, events.size());
            if (!(r instanceof ReadResult.Page<byte[]>)) {
                r = j.journal().read(j.journal().start(), events.size());
            }
            List<JournalEntry<ChangeEvent>> out = new ArrayList<>(events.size());
            if (r instanceof ReadResult.Page<byte[]> p) {
                for (JournalEntry<byte[]> e : p.entries()) {
                    long i = e.sequence() - appended.first();
                    if (i >= 0 && i < events.size()) {
                        out.add(new JournalEntry<>(e.cursor(), e.appended(), events.get((int) i)));
                    }
                }
            }
            return out;
        } catch (JournalException e) {
            LOG.severe("cannot read back the events just appended: " + e.getMessage());
            return List.of();
        }
    }

    private void deliver(List<JournalEntry<ChangeEvent>> entries) {
        if (entries.isEmpty()) {
            return;
        }
        List<JournalEntry<ChangeEvent>> batch = List.copyOf(entries);
        for (Registration r : registrations) {
            try {
                r.listener.onEvents(batch);
            } catch (RuntimeException e) {
                // a broken listener must not stop publishing, nor get half of the next batches
                LOG.log(Level.WARNING, "a change listener failed and is removed: " + e, e);
                registrations.remove(r);
            }
        }
    }

    private static void retain(ChangeJournal j) {
        try {
            j.journal().retain();
        } catch (JournalException e) {
            LOG.fine("journal retention: " + e.getMessage());
        }
    }

    /** Under lock. After a failed write the journal refuses appends until reopened (docs/journal.md). */
    private boolean reopenJournal() {
        try {
            journal.close();
            journal = ChangeJournal.open(options.stateDir().resolve(JOURNAL_DIR), options.journal(), clock);
            StateSnapshot s = current;
            if (!journal.head().equals(s.cursor())) {
                // what recovery kept is not where we were: find the state its head reflects, as on start
                LOG.warning("the reopened journal's head is not the one published last; restoring the state again");
                restore(new StateStore.Loaded.Found(new StateStore.Saved(s.cursor(), s.tree(), s.capabilities(),
                        s.updated())));
            }
            journalBroken = false;
            LOG.info("the journal works again");
            return true;
        } catch (JournalException e) {
            LOG.fine("the journal still cannot be opened: " + e.getMessage());
            return false;
        }
    }

    /**
     * Writes the snapshot on the snapshot thread, the latest state only: a snapshot is a shortcut
     * for restarts (the journal has every event after it), so the fsync of a whole tree stays off
     * the path from a device change to its event, and a burst of changes writes it once.
     */
    private void save(StateSnapshot s) {
        if (pendingSnapshot.getAndSet(s) == null) {
            try {
                snapshotWriter.execute(() -> {
                    StateSnapshot latest = pendingSnapshot.getAndSet(null);
                    if (latest != null) {
                        writeSnapshot(latest);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // stopping: close() writes what is pending
            }
        }
    }

    private void writeSnapshot(StateSnapshot s) {
        synchronized (store) {
            writeSnapshotLocked(s);
        }
    }

    private void writeSnapshotLocked(StateSnapshot s) {
        try {
            store.save(new StateStore.Saved(s.cursor(), s.tree(), s.capabilities(), s.updated()));
            if (snapshotFailing) {
                snapshotFailing = false;
                LOG.info("the state snapshot " + store.file() + " is written again");
            }
        } catch (IOException | RuntimeException e) {
            if (!snapshotFailing) {
                snapshotFailing = true;
                LOG.warning("cannot write the state snapshot " + store.file() + ": " + e
                        + "; a restart replays the journal instead");
            }
        }
    }

    // ---- restart consistency

    /** The tree every epoch starts from: the root alone, nothing known about it. */
    static DeviceTree bareRoot() {
        return DeviceTree.of(List.of(new Device(DeviceTree.ROOT, null, null, null, null, null, List.of(), List.of(),
                List.of())));
    }

    private Startup restore() {
        Startup s = restore(store.load());
        if (s.kind() != Startup.Kind.SNAPSHOT || s.replayed() > 0) {
            writeSnapshot(current);
        }
        String how = switch (s.kind()) {
            case SNAPSHOT -> "from the snapshot" + (s.replayed() > 0 ? " and " + s.replayed() + " journaled events" : "");
            case JOURNAL -> "from " + s.replayed() + " journaled events";
            case NEW_EPOCH -> "as a new epoch";
        };
        // a new state directory is no news; anything else but a snapshot that fits is
        boolean expected = s.kind() == Startup.Kind.SNAPSHOT
                || s.kind() == Startup.Kind.JOURNAL && journal.head().sequence() == 0;
        Level level = expected ? Level.INFO : Level.WARNING;
        LOG.log(level, "state restored " + how + " at sequence " + journal.head().sequence() + " of epoch " + epoch()
                + (s.reason() == null ? "" : " (" + s.reason() + ")"));
        return s;
    }

    /**
     * Finds the tree the journal's head reflects and installs it as the current state: the snapshot
     * plus the events journaled after it; else, when the journal still holds its whole epoch, all of
     * them from the bare root; else a new epoch (the old journal is set aside), since then nothing
     * says what clients were told and only a resync of every client is right.
     */
    private Startup restore(StateStore.Loaded loaded) {
        Capabilities caps = loaded instanceof StateStore.Loaded.Found f ? f.saved().capabilities() : null;
        String why;
        if (loaded instanceof StateStore.Loaded.Found f) {
            StateStore.Saved saved = f.saved();
            if (saved.cursor().epoch().equals(epoch())) {
                try {
                    CatchUp c = catchUp(saved.tree(), saved.cursor());
                    install(c.tree(), caps, c.replayed() == 0 ? saved.updated() : clock.instant());
                    return new Startup(Startup.Kind.SNAPSHOT, c.replayed(), null);
                } catch (CannotCatchUp e) {
                    why = "the snapshot at sequence " + saved.cursor().sequence() + " does not lead to the journal's head: "
                            + e.getMessage();
                }
            } else {
                why = "the snapshot is from epoch " + saved.cursor().epoch() + ", the journal is in epoch " + epoch();
            }
        } else if (loaded instanceof StateStore.Loaded.Unreadable u) {
            why = "the snapshot " + store.file() + " cannot be read: " + u.reason();
        } else {
            why = "no snapshot";
        }
        Cursor start = journal.journal().start();
        if (start.sequence() == 0) {
            try {
                CatchUp c = catchUp(bareRoot(), start);
                install(c.tree(), caps, clock.instant());
                return new Startup(Startup.Kind.JOURNAL, c.replayed(), why);
            } catch (CannotCatchUp e) {
                why += "; replaying the whole journal failed: " + e.getMessage();
            }
        }
        abandonJournal();
        install(bareRoot(), caps, clock.instant());
        return new Startup(Startup.Kind.NEW_EPOCH, 0, why);
    }

    private record CatchUp(DeviceTree tree, long replayed) {
    }

    private static final class CannotCatchUp extends Exception {
        CannotCatchUp(String message) {
            super(message);
        }
    }

    private CatchUp catchUp(DeviceTree tree, Cursor from) throws CannotCatchUp {
        DeviceTree t = tree;
        Cursor c = from;
        long n = 0;
        while (true) {
            ReadResult<ChangeEvent> r;
            try {
                r = journal.read(c, CATCH_UP_PAGE);
            } catch (JournalException e) {
                throw new CannotCatchUp("reading the journal: " + e.getMessage());
            }
            if (r instanceof ReadResult.Resync<ChangeEvent> rs) {
                throw new CannotCatchUp(rs.reason().name().toLowerCase(java.util.Locale.ROOT) + ": " + rs.message());
            }
            ReadResult.Page<ChangeEvent> p = (ReadResult.Page<ChangeEvent>) r;
            if (!p.entries().isEmpty()) {
                try {
                    t = Patch.apply(t, p.entries().stream().map(JournalEntry::value).toList());
                } catch (Patch.ConflictException e) {
                    throw new CannotCatchUp("the events after sequence " + c.sequence() + " do not fit: " + e.getMessage());
                }
                n += p.entries().size();
            }
            c = p.next();
            if (!p.more()) {
                return new CatchUp(t, n);
            }
        }
    }

    private void install(DeviceTree tree, Capabilities caps, Instant updated) {
        current = new StateSnapshot(tree, caps, journal.head(), updated);
        base = tree;
        announced.clear();
        for (Device d : tree.devices()) {
            if (d.path() != null && d.sources().contains(UEVENT_SOURCE)) {
                announced.add(d.path());
            }
        }
    }

    /** Moves the journal aside (never deleted: an operator may want it) and opens a new epoch. */
    private void abandonJournal() {
        java.util.UUID old = epoch();
        journal.close();
        Path dir = options.stateDir().resolve(JOURNAL_DIR);
        Path aside = options.stateDir().resolve(JOURNAL_DIR + ".abandoned-" + old);
        try {
            if (Files.exists(aside)) {
                aside = options.stateDir().resolve(aside.getFileName() + "-" + clock.millis());
            }
            Files.move(dir, aside);
        } catch (IOException e) {
            throw new JournalException("cannot move the journal " + dir + " aside to start a new epoch: " + e, e);
        }
        journal = ChangeJournal.open(dir, options.journal(), clock);
        LOG.warning("the journal of epoch " + old + " is kept as " + aside + "; a new epoch " + epoch()
                + " begins, and every client re-lists");
    }
}
