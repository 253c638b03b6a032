package io.hostdev.agent.http;

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
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An {@link AgentService} written by hand for the HTTP tests: a real {@link ChangeJournal} in a
 * temp dir and real trees; {@link #publish} diffs the next tree against the current one, appends
 * the events and hands them to the listeners, as the core does once per probe cycle. Appending and
 * subscribing share one lock, so a subscription's start is exact.
 */
final class FakeAgent implements AgentService, AutoCloseable {

    private final ChangeJournal journal;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    final List<String> runRequests = new CopyOnWriteArrayList<>();
    private volatile StateSnapshot state;
    private volatile boolean ready = true;
    /** Time the listeners took, summed: the core's appending thread must never wait on a stream. */
    volatile long listenerNanos;

    FakeAgent(Path dir, DeviceTree tree, Capabilities caps) {
        this(dir, tree, caps, JournalConfig.DEFAULTS);
    }

    FakeAgent(Path dir, DeviceTree tree, Capabilities caps, JournalConfig config) {
        this.journal = ChangeJournal.open(dir, config);
        this.state = new StateSnapshot(tree, caps, journal.head(), Instant.now());
    }

    void setReady(boolean r) {
        ready = r;
    }

    synchronized void setCapabilities(Capabilities caps) {
        state = new StateSnapshot(state.tree(), caps, state.cursor(), Instant.now());
    }

    /** One probe cycle that found {@code next}: returns the events it appended (with their cursors). */
    synchronized List<JournalEntry<ChangeEvent>> publish(DeviceTree next) {
        StateSnapshot before = state;
        List<ChangeEvent> events = TreeDiff.diff(before.tree(), next);
        Appended a = journal.append(events);
        List<JournalEntry<ChangeEvent>> entries = List.of();
        if (!events.isEmpty()) {
            ReadResult<ChangeEvent> r = journal.read(before.cursor(), events.size());
            entries = ((ReadResult.Page<ChangeEvent>) r).entries();
        }
        state = new StateSnapshot(next, before.capabilities(), a.head(), Instant.now());
        if (!entries.isEmpty()) {
            long t0 = System.nanoTime();
            for (Listener l : listeners) {
                l.onEvents(entries);
            }
            listenerNanos += System.nanoTime() - t0;
        }
        return entries;
    }

    int listenerCount() {
        return listeners.size();
    }

    ChangeJournal changeJournal() {
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
        Cursor head = state.cursor();
        return new Subscription() {
            @Override
            public Cursor startsAfter() {
                return head;
            }

            @Override
            public void close() {
                listeners.remove(listener);
            }
        };
    }

    @Override
    public boolean requestRun(String probeId) {
        if (!probes().stream().anyMatch(p -> p.id().equals(probeId))) {
            return false;
        }
        runRequests.add(probeId);
        return true;
    }

    @Override
    public List<ProbeStatus> probes() {
        return List.of(new ProbeStatus("capabilities", null, null, null, false, null, 0, 0),
                new ProbeStatus("sysfs", null, null, null, false, null, 0, 0));
    }

    @Override
    public JournalStatus journal() {
        return new JournalStatus(0, journal.journal().diskBytes(), journal.head(), null);
    }

    @Override
    public void close() {
        journal.close();
    }
}
