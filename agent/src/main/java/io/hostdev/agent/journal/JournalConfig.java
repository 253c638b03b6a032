package io.hostdev.agent.journal;

import java.time.Duration;
import java.util.Objects;

/**
 * The journal's settings. Retention keeps at most {@code maxRecords} records and none older than
 * {@code maxAge}, whichever bound is tighter; segments roll over when the next batch would take a
 * segment past {@code segmentBytes} or {@code segmentRecords}.
 *
 * @param maxRecords     how many of the newest records stay readable (at least 1)
 * @param maxAge         how long a record stays readable after it was appended (positive)
 * @param segmentBytes   soft size limit of one segment file: a batch is never split, so a segment
 *                       can exceed it by one batch
 * @param segmentRecords record limit of one segment file
 * @param fsync          when appends are synced to stable storage
 * @param fsyncInterval  the period of {@link FsyncPolicy#INTERVAL} (positive; ignored otherwise)
 */
public record JournalConfig(int maxRecords, Duration maxAge, long segmentBytes, int segmentRecords,
        FsyncPolicy fsync, Duration fsyncInterval) {

    /** Defaults: 10,000 records, 7 days, 4 MiB or 1,000 records per segment, fsync always (interval 1 s). */
    public static final JournalConfig DEFAULTS = new JournalConfig(10_000, Duration.ofDays(7), 4L << 20, 1_000,
            FsyncPolicy.ALWAYS, Duration.ofSeconds(1));

    /** Offsets in a segment are kept as longs, but a segment is read whole on open: keep it modest. */
    static final long MAX_SEGMENT_BYTES = 1L << 30;

    public JournalConfig {
        Objects.requireNonNull(maxAge, "maxAge");
        Objects.requireNonNull(fsync, "fsync");
        Objects.requireNonNull(fsyncInterval, "fsyncInterval");
        if (maxRecords < 1) {
            throw new IllegalArgumentException("maxRecords must be at least 1, not " + maxRecords);
        }
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge must be positive, not " + maxAge);
        }
        if (segmentBytes < 1 || segmentBytes > MAX_SEGMENT_BYTES) {
            throw new IllegalArgumentException("segmentBytes must be between 1 and " + MAX_SEGMENT_BYTES + ", not "
                    + segmentBytes);
        }
        if (segmentRecords < 1) {
            throw new IllegalArgumentException("segmentRecords must be at least 1, not " + segmentRecords);
        }
        if (fsyncInterval.isNegative() || fsyncInterval.isZero()) {
            throw new IllegalArgumentException("fsyncInterval must be positive, not " + fsyncInterval);
        }
    }

    public JournalConfig withMaxRecords(int n) {
        return new JournalConfig(n, maxAge, segmentBytes, segmentRecords, fsync, fsyncInterval);
    }

    public JournalConfig withMaxAge(Duration d) {
        return new JournalConfig(maxRecords, d, segmentBytes, segmentRecords, fsync, fsyncInterval);
    }

    public JournalConfig withSegmentBytes(long n) {
        return new JournalConfig(maxRecords, maxAge, n, segmentRecords, fsync, fsyncInterval);
    }

    public JournalConfig withSegmentRecords(int n) {
        return new JournalConfig(maxRecords, maxAge, segmentBytes, n, fsync, fsyncInterval);
    }

    public JournalConfig withFsync(FsyncPolicy p) {
        return new JournalConfig(maxRecords, maxAge, segmentBytes, segmentRecords, p, fsyncInterval);
    }

    public JournalConfig withFsyncInterval(Duration d) {
        return new JournalConfig(maxRecords, maxAge, segmentBytes, segmentRecords, fsync, d);
    }
}
