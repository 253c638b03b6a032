package io.hostdev.agent.testing;

import io.hostdev.agent.journal.Appended;
import io.hostdev.agent.journal.ChangeJournal;
import io.hostdev.agent.journal.Cursor;
import io.hostdev.agent.journal.JournalConfig;
import io.hostdev.agent.journal.JournalEntry;
import io.hostdev.agent.journal.ReadResult;
import io.hostdev.agent.service.AgentService;
import io.hostdev.agent.service.JournalStatus;
import io.hostdev.agent.service.ProbeStatus;
import io.hostdev.agent.service.StateSnapshot;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.change.ChangeEvent;
import io.hostdev.model.change.TreeDiff;
import io.hostdev.model.host.Capabilities;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A hand-written {@link AgentService} for tests: a real {@link ChangeJournal} in a directory the test
 * owns and real device trees the test hands in with {@link #update}, which diffs, appends and
 * notifies subscribers the way the agent's core does. Appending and subscribing share one lock, so a
 * subscription's start is exact. Probe status, readiness and capabilities are whatever the test sets;
 * probe-run requests are recorded, not run.
 */
public final class JournalBackedService implements AgentService, AutoCloseable {

    /** Held so the level sticks: every test opens a new epoch, which the journal reports at INFO. */
    private static final java.util.logging.Logger JOURNAL_LOG = java.util.logging.Logger.getLogger("io.hostdev.journal");

    static {
        JOURNAL_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private final ChangeJournal journal;
    private final Clock clock;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    /** Sorted by id, as the core lists them; read by the HTTP threads without the lock. */
    private final Map<String, ProbeStatus> probes = new ConcurrentSkipListMap<>();
    private final List<String> runRequests = new CopyOnWriteArrayList<>();
    private volatile StateSnapshot state;
    private volatile boolean ready = true;

    private JournalBackedService(ChangeJournal journal, DeviceTree tree, Clock clock) {
        this.journal = journal;
        this.clock = clock;
        this.state = new StateSnapshot(tree, null, journal.head(), clock.instant());
    }

    /** Opens (or reopens) the journal in {@code dir} with the default settings; no capabilities, no probes, ready. */
    public static JournalBackedService open(Path dir, DeviceTree initial) {
        return open(dir, initial, JournalConfig.DEFAULTS, Clock.systemUTC());
    }

    /** As {@link #open(Path, DeviceTree)}, with these journal settings and this clock for the journal and snapshots. */
    public static JournalBackedService open(Path dir, DeviceTree initial, JournalConfig config, Clock clock) {
        return new JournalBackedService(ChangeJournal.open(dir, config, clock), initial, clock);
    }

    /** One probe cycle: the events from the current tree to {@code next}, appended and published; the new head. */
    public Cursor update(DeviceTree next) {
        return cycle(next).head();
    }

    /** The same probe cycle as {@link #update}, answering the entries it appended (with their cursors), oldest first. */
    public List<JournalEntry<ChangeEvent>> updateEntries(DeviceTree next) {
        return cycle(next).entries();
    }

    private record Cycle(List<JournalEntry<ChangeEvent>> entries, Cursor head) {
    }

    private synchronized Cycle cycle(DeviceTree next) {
        List<ChangeEvent> events = TreeDiff.diff(state.tree(), next);
        Cursor before = state.cursor();
        Cursor head = before;
        List<JournalEntry<ChangeEvent>> entries = List.of();
        if (!events.isEmpty()) {
            Appended appended = journal.append(events);
            head = appended.head();
            ReadResult<ChangeEvent> read = journal.read(before, events.size());
            entries = ((ReadResult.Page<ChangeEvent>) read).entries();
        }
        state = new StateSnapshot(next, state.capabilities(), head, clock.instant());
        if (!entries.isEmpty()) {
            for (Listener l : listeners) {
                l.onEvents(entries);
            }
        }
        return new Cycle(entries, head);
    }

    /** Sets the host capabilities {@link #current()} answers; null is "the capabilities probe has not run". */
    public synchronized void capabilities(Capabilities caps) {
        StateSnapshot s = state;
        state = new StateSnapshot(s.tree(), caps, s.cursor(), s.updated());
    }

    /** Sets what {@link #ready()} answers (true from the start). */
    public void ready(boolean isReady) {
        ready = isReady;
    }

    /** Adds or replaces the probe with this status's id: {@link #probes()} lists it, {@link #requestRun} knows it. */
    public void probe(ProbeStatus status) {
        probes.put(status.id(), status);
    }

    /** The ids {@link #requestRun} accepted, in order. */
    public List<String> runRequests() {
        return List.copyOf(runRequests);
    }

    /** How many subscriptions are open. */
    public int subscribers() {
        return listeners.size();
    }

    /** The journal underneath (retention, head). */
    public ChangeJournal changeJournal() {
        return journal;
    }

    @Override
    public boolean ready() {
        return ready;
    }

    @Override
    public StateSnapshot current() {
        return state;
    }

    @Override
    public ReadResult<ChangeEvent> changes(String cursor, int limit) {
        return cursor == null ? journal.read(journal.journal().start(), limit) : journal.read(cursor, limit);
    }

    @Override
    public synchronized Subscription subscribe(Listener listener) {
        listeners.add(listener);
        Cursor startsAfter = state.cursor();
        return new Subscription() {
            @Override
            public Cursor startsAfter() {
                return startsAfter;
            }

            @Override
            public void close() {
                listeners.remove(listener);
            }
        };
    }

    /** Records the request when the probe is known; runs nothing. */
    @Override
    public boolean requestRun(String probeId) {
        if (!probes.containsKey(probeId)) {
            return false;
        }
        runRequests.add(probeId);
        return true;
    }

    @Override
    public List<ProbeStatus> probes() {
        return List.copyOf(probes.values());
    }

    @Override
    public JournalStatus journal() {
        Cursor head = journal.head();
        long oldestSeq = journal.journal().oldestRetained();
        long records = head.sequence() - oldestSeq + 1;
        Instant oldest = null;
        if (records > 0) {
            ReadResult<ChangeEvent> first = journal.read(journal.journal().start(), 1);
            if (first instanceof ReadResult.Page<ChangeEvent> p && !p.entries().isEmpty()) {
                oldest = p.entries().get(0).appended();
            }
        }
        return new JournalStatus(Math.max(0, records), journal.journal().diskBytes(), head, oldest);
    }

    @Override
    public void close() {
        journal.close();
    }
}
