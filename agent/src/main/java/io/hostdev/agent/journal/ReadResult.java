package io.hostdev.agent.journal;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * What reading from a cursor answers: a {@link Page} of the records after it, or {@link Resync}
 * when the journal cannot give every record after it. There is no third outcome: a cursor is never
 * answered with part of what it asked for.
 */
public sealed interface ReadResult<T> permits ReadResult.Page, ReadResult.Resync {

    /** The current head: the cursor of the newest record. */
    Cursor head();

    <U> ReadResult<U> map(Function<? super T, ? extends U> f);

    /**
     * The records right after the cursor, oldest first, at most the limit asked for. {@code next}
     * is the cursor of the last one, to read on from; when nothing is new the list is empty and
     * {@code next} is the head (which is then the cursor asked for).
     */
    record Page<T>(List<JournalEntry<T>> entries, Cursor next, Cursor head) implements ReadResult<T> {

        public Page {
            entries = List.copyOf(entries);
            Objects.requireNonNull(next, "next");
            Objects.requireNonNull(head, "head");
        }

        /** Whether records after {@code next} exist already (the limit cut the page short). */
        public boolean more() {
            return next.sequence() < head.sequence();
        }

        @Override
        public <U> Page<U> map(Function<? super T, ? extends U> f) {
            return new Page<>(entries.stream().<JournalEntry<U>>map(e -> e.map(f)).toList(), next, head);
        }
    }

    /**
     * The cursor cannot be served: the client must list the current state again and continue
     * from {@code head}. {@code oldestRetained} is the sequence of the oldest record still
     * readable ({@code head + 1} when none is).
     */
    record Resync<T>(Reason reason, Cursor head, long oldestRetained, String message) implements ReadResult<T> {

        public Resync {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(head, "head");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public <U> Resync<U> map(Function<? super T, ? extends U> f) {
            return new Resync<>(reason, head, oldestRetained, message);
        }
    }

    /** Why a cursor needs a resync. */
    enum Reason {
        /** The records after it were dropped by retention (count or age). */
        EXPIRED,
        /** The records after it were lost to damage found on disk when the journal was opened. */
        DAMAGED,
        /** It comes from another epoch: the state directory was new or replaced since. */
        OTHER_EPOCH,
        /** It names a sequence the journal has not reached (a cursor from records lost to a power failure). */
        AHEAD,
        /** The record it names is not the one the client saw: the sequence was reused after a power failure. */
        CHANGED
    }
}
