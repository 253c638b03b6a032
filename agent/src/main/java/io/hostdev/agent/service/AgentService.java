package io.hostdev.agent.service;

import io.hostdev.agent.journal.Cursor;
import io.hostdev.agent.journal.JournalEntry;
import io.hostdev.agent.journal.ReadResult;
import io.hostdev.model.change.ChangeEvent;

import java.util.List;

/**
 * What a running agent offers its readers (the HTTP API, metrics): the current state, the change
 * history, live changes, and how its probes are doing. Implemented by the agent's core; the HTTP
 * layer depends on this interface only. Thread-safe.
 */
public interface AgentService {

    /** True once every probe has completed its first run. */
    boolean ready();

    /** The current state: one consistent tree, capabilities document and journal head. */
    StateSnapshot current();

    /**
     * The events after {@code cursor} (an opaque cursor string from an earlier answer; {@code null}
     * for the start of the retained history), at most {@code limit}.
     *
     * @throws io.hostdev.agent.journal.MalformedCursorException when the string is no cursor at all
     */
    ReadResult<ChangeEvent> changes(String cursor, int limit);

    /**
     * Registers for events appended from now on. The returned subscription says which journal head
     * it starts after: a reader resuming from an older cursor reads the history up to that head with
     * {@link #changes} and then receives everything after it here, with no gap and no repeat.
     * The listener is called from the agent's appending thread: it must not block (queue and return).
     */
    Subscription subscribe(Listener listener);

    /**
     * Asks for a run of the probe soon, coalesced with any run already pending (uevents and
     * {@code POST /v1/probes/{id}/run} use it); false for an unknown probe id.
     */
    boolean requestRun(String probeId);

    /** Status of every probe, in id order. */
    List<ProbeStatus> probes();

    /** Size and extent of the journal. */
    JournalStatus journal();

    /** Receives batches of newly appended events, oldest first. */
    @FunctionalInterface
    interface Listener {
        void onEvents(List<JournalEntry<ChangeEvent>> entries);
    }

    /** A live registration; closing it stops deliveries. */
    interface Subscription extends AutoCloseable {

        /** The head when the subscription started: deliveries are the events after it. */
        Cursor startsAfter();

        @Override
        void close();
    }
}
