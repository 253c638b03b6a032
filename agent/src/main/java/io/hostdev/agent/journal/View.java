package io.hostdev.agent.journal;

import io.hostdev.agent.journal.Segment.SegmentView;

import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * What readers see of the journal at one moment, published by the writer through a volatile field
 * after the bytes it points to are written (and synced, under fsync {@code always}). The readable
 * records form one contiguous run of sequences, from {@link #indexFirst()} to {@code head}, over
 * the segments with a non-zero count; segments before it hold only unreachable records.
 */
record View(UUID epoch, List<SegmentView> segments, long head) {

    View {
        segments = List.copyOf(segments);
    }

    /** The first readable sequence before retention: {@code head + 1} when there is none. */
    long indexFirst() {
        for (SegmentView s : segments) {
            if (s.count() > 0) {
                return s.firstSeq();
            }
        }
        return head + 1;
    }

    /** The check of the record just before {@link #indexFirst()}. */
    private int prevCheck() {
        for (SegmentView s : segments) {
            if (s.count() > 0) {
                return s.prevCheck();
            }
        }
        return segments.get(segments.size() - 1).prevCheck();
    }

    /** The check of record {@code seq}, when this view can tell it. */
    OptionalInt check(long seq) {
        for (SegmentView s : segments) {
            if (s.contains(seq)) {
                return OptionalInt.of(s.crcs()[(int) (seq - s.firstSeq())]);
            }
        }
        return seq == indexFirst() - 1 ? OptionalInt.of(prevCheck()) : OptionalInt.empty();
    }

    Cursor headCursor() {
        return cursorAt(head);
    }

    /** A cursor for {@code seq}, which must be at least {@code indexFirst() - 1}. */
    Cursor cursorAt(long seq) {
        return new Cursor(epoch, seq, check(seq).orElseThrow());
    }

    /**
     * The oldest sequence retention still lets readers see: no older than the readable run, no
     * more than {@code maxRecords} back from the head, and appended no earlier than
     * {@code now - maxAge}. {@code head + 1} when none is left.
     */
    long floor(JournalConfig config, long now) {
        long byCount = head - config.maxRecords() + 1;
        long cutoff = now - config.maxAge().toMillis();
        return Math.max(Math.max(indexFirst(), byCount), firstAppendedSince(cutoff));
    }

    /** The first record appended at or after {@code cutoff} (appended times never decrease). */
    private long firstAppendedSince(long cutoff) {
        for (SegmentView s : segments) {
            if (s.count() == 0 || s.times()[s.count() - 1] < cutoff) {
                continue;
            }
            int lo = 0;
            int hi = s.count() - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (s.times()[mid] >= cutoff) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            return s.firstSeq() + lo;
        }
        return head + 1;
    }

    long diskBytes() {
        return segments.stream().mapToLong(SegmentView::size).sum();
    }
}
