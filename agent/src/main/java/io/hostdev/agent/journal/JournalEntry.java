package io.hostdev.agent.journal;

import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;

/**
 * One record read back: the cursor that points at it (hand it out as the SSE event id), when it was
 * appended, and its value — the payload bytes in {@link Journal}, a decoded event in
 * {@link ChangeJournal}.
 */
public record JournalEntry<T>(Cursor cursor, Instant appended, T value) {

    public JournalEntry {
        Objects.requireNonNull(cursor, "cursor");
        Objects.requireNonNull(appended, "appended");
        Objects.requireNonNull(value, "value");
    }

    public long sequence() {
        return cursor.sequence();
    }

    public <U> JournalEntry<U> map(Function<? super T, ? extends U> f) {
        return new JournalEntry<>(cursor, appended, f.apply(value));
    }
}
