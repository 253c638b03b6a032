package io.hostdev.agent.journal;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * One segment file and the index of its readable records: for each, where its line starts, when
 * it was appended and its CRC. Only the writer (holding the journal's write lock) changes it, and
 * only by adding entries past those already published; readers see it through {@link View}s, which
 * copy the array references and the count, so a reader never looks at an entry still being written.
 */
final class Segment {

    final Path path;
    final RecordFormat.Header header;
    /** Bytes in the file. */
    long size;
    /** Valid records in the file, readable or not: what rollover by record count counts. */
    int records;

    private long firstSeq;
    private int prevCheck;
    private long[] offsets = new long[16];
    private long[] times = new long[16];
    private int[] crcs = new int[16];
    private int count;
    private long end;

    Segment(Path path, RecordFormat.Header header, long headerEnd) {
        this.path = path;
        this.header = header;
        this.size = headerEnd;
        clearRun();
        this.end = headerEnd;
    }

    /** Forgets the readable records (damage after them made them unreachable). */
    void clearRun() {
        firstSeq = header.first();
        prevCheck = header.prev();
        count = 0;
    }

    /**
     * Adds the record {@code seq}, whose line spans {@code [offset, end)}; the first one added
     * after a clear starts the readable run, and {@code prevCheck} is then the check of the
     * record before it (0 when it cannot be known).
     */
    void add(long seq, int prevCheck, long offset, long time, int crc, long end) {
        if (count == 0) {
            this.firstSeq = seq;
            this.prevCheck = prevCheck;
        } else if (seq != firstSeq + count) {
            throw new IllegalStateException("record " + seq + " does not follow " + (firstSeq + count - 1));
        }
        if (count == offsets.length) {
            int n = count * 2;
            offsets = Arrays.copyOf(offsets, n);
            times = Arrays.copyOf(times, n);
            crcs = Arrays.copyOf(crcs, n);
        }
        offsets[count] = offset;
        times[count] = time;
        crcs[count] = crc;
        count++;
        this.end = end;
    }

    int count() {
        return count;
    }

    long lastSeq() {
        return firstSeq + count - 1;
    }

    int lastCrc() {
        return crcs[count - 1];
    }

    /** A snapshot for readers; safe to publish once every entry below {@code count} is written. */
    SegmentView view() {
        return new SegmentView(path, firstSeq, prevCheck, count, offsets, times, crcs, end, size);
    }

    /**
     * What readers may use of a segment: entries {@code [0, count)} of the arrays, the records
     * {@code firstSeq} to {@code firstSeq + count - 1}, the last one ending at {@code end}.
     */
    record SegmentView(Path path, long firstSeq, int prevCheck, int count, long[] offsets, long[] times,
            int[] crcs, long end, long size) {

        long lastSeq() {
            return firstSeq + count - 1;
        }

        boolean contains(long seq) {
            return count > 0 && seq >= firstSeq && seq <= lastSeq();
        }

        /** Where the line of the record at index {@code i} ends. */
        long endOf(int i) {
            return i + 1 < count ? offsets[i + 1] : end;
        }
    }
}
