package io.hostdev.agent.journal;

import io.hostdev.agent.journal.JournalRecovery.Recovered;
import io.hostdev.agent.journal.RecordFormat.Header;
import io.hostdev.agent.journal.RecordFormat.Valid;
import io.hostdev.agent.journal.Segment.SegmentView;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The change journal on disk, over opaque payloads (one line of bytes each: {@link ChangeJournal}
 * stores change events as JSON). Records are numbered by a sequence inside an epoch, appended in
 * batches, checksummed, kept in segment files bounded by count and age, and read from opaque
 * cursors. File layout, record format, fsync guarantees and recovery rules: docs/journal.md.
 *
 * <p>Appends are serialised (the agent appends from one thread, once per probe cycle); reads run
 * concurrently from any number of threads and never block on an append: they see a snapshot
 * published after the appended bytes are complete.
 */
public final class Journal implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger("io.hostdev.journal");
    static final String LOCK_FILE = "journal.lock";

    /**
     * Directories open in this JVM. The lock file's lock is a POSIX record lock: it belongs to the
     * process, so a second {@code tryLock} here would not fail cleanly, and closing any descriptor
     * of the lock file drops the lock. A second opener in this process must not touch the file.
     */
    private static final Set<Path> OPEN_HERE = ConcurrentHashMap.newKeySet();

    private final Path dir;
    private final JournalConfig config;
    private final Clock clock;
    private final UUID epoch;
    private final Recovery recovery;
    /** The first sequence readable after the damage found on open (0 when there was none). */
    private final long damageFloor;
    private final FileChannel lockChannel;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ScheduledExecutorService syncer;
    private volatile View view;
    private volatile boolean closed;

    // the writer's state, guarded by writeLock
    private final List<Segment> segments;
    private FileChannel channel;
    private long lastTime;
    private boolean dirty;
    private boolean dirDirty;
    private JournalException failure;

    private Journal(Path dir, JournalConfig config, Clock clock, FileChannel lockChannel, Recovered r)
            throws IOException {
        this.dir = dir;
        this.config = config;
        this.clock = clock;
        this.lockChannel = lockChannel;
        this.epoch = r.epoch();
        this.recovery = r.report();
        this.segments = r.segments();
        this.lastTime = r.lastTime();
        this.channel = FileChannel.open(newest().path, StandardOpenOption.WRITE);
        // under interval, what recovery wrote (a truncation, a new segment) is synced by the first tick
        this.dirty = config.fsync() == FsyncPolicy.INTERVAL;
        this.dirDirty = dirty;
        publish(r.head());
        this.damageFloor = recovery.damage().isEmpty() ? 0 : view.indexFirst();
        this.syncer = config.fsync() == FsyncPolicy.INTERVAL ? startSyncer() : null;
    }

    /** Opens (or creates) the journal in {@code dir}, with the system clock. */
    public static Journal open(Path dir, JournalConfig config) {
        return open(dir, config, Clock.systemUTC());
    }

    /**
     * Opens the journal in {@code dir}, creating the directory and a new epoch when there is no
     * journal, recovering it otherwise ({@link #recovery()} says what was found), and applies
     * retention. Record times come from {@code clock}.
     *
     * @throws JournalLockedException when the journal is open elsewhere, in this process or another
     * @throws JournalException       when the directory cannot be used
     */
    public static Journal open(Path dir, JournalConfig config, Clock clock) {
        Path key;
        try {
            Files.createDirectories(dir);
            key = dir.toRealPath();
        } catch (IOException e) {
            throw new JournalException("cannot create the journal directory " + dir + ": " + e, e);
        }
        if (!OPEN_HERE.add(key)) {
            throw new JournalLockedException("the journal in " + dir + " is already open in this process");
        }
        FileChannel lockChannel = null;
        Journal j = null;
        try {
            lockChannel = lock(key);
            Recovered r = JournalRecovery.recover(key, config.fsync());
            j = new Journal(key, config, clock, lockChannel, r);
            j.retain();
            return j;
        } catch (IOException | RuntimeException | Error e) {
            if (j != null) {
                j.close();
            } else {
                release(key, lockChannel);
            }
            if (e instanceof IOException io) {
                throw new JournalException("cannot open the journal in " + dir + ": " + e, io);
            }
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw (Error) e;
        }
    }

    private static FileChannel lock(Path dir) throws IOException {
        Path file = dir.resolve(LOCK_FILE);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            String holder = holder(ch);
            ch.close();
            throw new JournalLockedException("the journal in " + dir + " is in use by another process"
                    + (holder.isEmpty() ? "" : " (pid " + holder + ")") + ": " + file + " is locked");
        }
        ch.truncate(0);
        JournalRecovery.writeFully(ch, (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII), 0);
        return ch;
    }

    /** The pid the holder wrote into the lock file, or "" when it cannot be read. */
    private static String holder(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(32);
            ch.read(b, 0);
            String s = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).trim();
            return s.matches("[0-9]{1,19}") ? s : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void release(Path key, FileChannel lockChannel) {
        try {
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "closing the journal lock", e);
        } finally {
            OPEN_HERE.remove(key);
        }
    }

    public Path directory() {
        return dir;
    }

    public JournalConfig config() {
        return config;
    }

    public UUID epoch() {
        return epoch;
    }

    /** What opening this journal found and repaired. */
    public Recovery recovery() {
        return recovery;
    }

    /** The cursor of the newest record; at the start of an empty epoch, sequence 0. */
    public Cursor head() {
        return view.headCursor();
    }

    /** The sequence of the oldest record still readable, {@code head + 1} when none is. */
    public long oldestRetained() {
        return view.floor(config, clock.millis());
    }

    /** A cursor just before the oldest readable record: reading from it returns every retained record. */
    public Cursor start() {
        View v = view;
        return v.cursorAt(v.floor(config, clock.millis()) - 1);
    }

    /** Bytes the segment files take. */
    public long diskBytes() {
        return view.diskBytes();
    }

    /**
     * Appends one batch: its records get the next sequences, in order, with one appended time. A
     * batch is atomic across crashes: after a restart it is there entirely or not at all. Under
     * fsync {@code always} it is on stable storage when this returns. Readers see it only when it
     * is complete.
     *
     * @param payloads the records, each one line (no {@code \n}), at most 16 MiB
     * @throws IllegalArgumentException when a payload is not one line or too large (nothing is written)
     * @throws JournalException         when writing or syncing failed; the batch is not in the journal,
     *                                  and appends are refused until it is reopened
     */
    public Appended append(List<byte[]> payloads) {
        writeLock.lock();
        try {
            requireWritable();
            View v = view;
            if (payloads.isEmpty()) {
                return new Appended(v.head() + 1, v.head(), v.headCursor());
            }
            payloads.forEach(RecordFormat::checkPayload);
            long now = Math.max(clock.millis(), lastTime);
            long first = v.head() + 1;
            int n = payloads.size();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            long[] at = new long[n + 1];
            int[] crcs = new int[n];
            for (int i = 0; i < n; i++) {
                at[i] = out.size();
                crcs[i] = RecordFormat.appendRecord(out, first + i, now, i == n - 1, payloads.get(i));
            }
            at[n] = out.size();
            Segment active = newest();
            if (active.records > 0 && (active.size + at[n] > config.segmentBytes()
                    || (long) active.records + n > config.segmentRecords())) {
                active = rollOver(v);
            }
            long base = active.size;
            try {
                JournalRecovery.writeFully(channel, out.toByteArray(), base);
                if (config.fsync() == FsyncPolicy.ALWAYS) {
                    channel.force(false);
                } else {
                    dirty = true;
                }
            } catch (IOException e) {
                throw fail("appending to " + active.path, e, base);
            }
            int prevCheck = v.check(first - 1).orElse(0);
            for (int i = 0; i < n; i++) {
                active.add(first + i, prevCheck, base + at[i], now, crcs[i], base + at[i + 1]);
            }
            active.size = base + at[n];
            active.records += n;
            lastTime = now;
            publish(first + n - 1);
            retainLocked(now);
            return new Appended(first, first + n - 1, view.headCursor());
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Applies retention now: drops the segments whose records are all past the count or age bound,
     * starting a new segment first when even the newest one has expired. Appends do this too; an
     * agent whose journal may stay quiet for long calls it on a schedule, so disk use follows the age
     * bound without appends. (Reads honour both bounds either way.)
     */
    public void retain() {
        writeLock.lock();
        try {
            requireWritable();
            retainLocked(clock.millis());
        } finally {
            writeLock.unlock();
        }
    }

    private void retainLocked(long now) {
        View v = view;
        long floor = v.floor(config, now);
        Segment newest = newest();
        if (newest.count() > 0 && newest.lastSeq() < floor) {
            rollOver(v);
            publish(v.head());
        }
        List<Segment> doomed = new ArrayList<>();
        while (segments.size() > 1 && (segments.get(0).count() == 0 || segments.get(0).lastSeq() < floor)) {
            doomed.add(segments.remove(0));
        }
        if (doomed.isEmpty()) {
            return;
        }
        // readers holding the old view may still open these files; they retry with the new one
        publish(v.head());
        for (Segment s : doomed) {
            try {
                Files.deleteIfExists(s.path);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "journal: cannot delete expired segment " + s.path + ": " + e);
            }
        }
    }

    /** Starts a new segment after the head; the caller publishes. */
    private Segment rollOver(View v) {
        Segment old = newest();
        try {
            Segment s = JournalRecovery.create(dir, new Header(epoch, v.head() + 1, v.check(v.head()).orElse(0)),
                    config.fsync());
            if (config.fsync() == FsyncPolicy.INTERVAL) {
                // the syncer only ever syncs the newest segment
                channel.force(false);
                dirty = true;
                dirDirty = true;
            }
            FileChannel next = FileChannel.open(s.path, StandardOpenOption.WRITE);
            channel.close();
            channel = next;
            segments.add(s);
            return s;
        } catch (IOException e) {
            throw fail("starting a segment after " + old.path, e, -1);
        }
    }

    /**
     * Reads the records after {@code cursor}, at most {@code limit} of them.
     *
     * @throws MalformedCursorException when the string is not a cursor
     */
    public ReadResult<byte[]> read(String cursor, int limit) {
        return read(Cursor.parse(cursor), limit);
    }

    /** Reads the records after {@code from}, at most {@code limit} of them, or says why it cannot. */
    public ReadResult<byte[]> read(Cursor from, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, not " + limit);
        }
        requireOpen();
        for (int attempt = 1; ; attempt++) {
            View v = view;
            ReadResult.Resync<byte[]> resync = resync(v, from, clock.millis());
            if (resync != null) {
                return resync;
            }
            try {
                return page(v, from, limit);
            } catch (NoSuchFileException e) {
                // retention deleted a segment after this view was taken: look again with the new one
                if (attempt == 3) {
                    throw new JournalException("journal segment vanished while reading: " + e.getFile(), e);
                }
            } catch (IOException e) {
                throw new JournalException("reading the journal in " + dir + ": " + e, e);
            }
        }
    }

    private ReadResult.Resync<byte[]> resync(View v, Cursor c, long now) {
        long floor = v.floor(config, now);
        Cursor head = v.headCursor();
        if (!c.epoch().equals(epoch)) {
            return new ReadResult.Resync<>(ReadResult.Reason.OTHER_EPOCH, head, floor,
                    "the cursor is from epoch " + c.epoch() + "; the journal is in epoch " + epoch);
        }
        if (c.sequence() > v.head()) {
            return new ReadResult.Resync<>(ReadResult.Reason.AHEAD, head, floor,
                    "the cursor is at sequence " + c.sequence() + ", after the head " + v.head());
        }
        if (c.sequence() < floor - 1) {
            boolean damaged = c.sequence() + 1 < damageFloor;
            return new ReadResult.Resync<>(damaged ? ReadResult.Reason.DAMAGED : ReadResult.Reason.EXPIRED, head,
                    floor, "records after sequence " + c.sequence() + " are "
                            + (damaged ? "lost to damage found on disk" : "no longer retained")
                            + "; the oldest retained is " + floor);
        }
        OptionalInt check = v.check(c.sequence());
        if (check.isEmpty() || check.getAsInt() != c.check()) {
            // right before the damage, the record a cursor names may itself be the damaged one
            boolean damaged = c.sequence() < damageFloor;
            return new ReadResult.Resync<>(damaged ? ReadResult.Reason.DAMAGED : ReadResult.Reason.CHANGED, head,
                    floor, damaged ? "record " + c.sequence() + " was lost to damage found on disk"
                            : "record " + c.sequence() + " is not the one this cursor was made from");
        }
        return null;
    }

    private ReadResult.Page<byte[]> page(View v, Cursor from, int limit) throws IOException {
        long first = from.sequence() + 1;
        long last = from.sequence() >= v.head() - limit ? v.head() : from.sequence() + limit;
        List<JournalEntry<byte[]>> entries = new ArrayList<>();
        for (SegmentView s : v.segments()) {
            if (s.count() == 0 || s.lastSeq() < first || s.firstSeq() > last) {
                continue;
            }
            int i = (int) (Math.max(first, s.firstSeq()) - s.firstSeq());
            int j = (int) (Math.min(last, s.lastSeq()) - s.firstSeq());
            long start = s.offsets()[i];
            byte[] bytes = readRange(s.path(), start, s.endOf(j));
            for (int k = i; k <= j; k++) {
                int from0 = (int) (s.offsets()[k] - start);
                int to = (int) (s.endOf(k) - start) - 1;
                long seq = s.firstSeq() + k;
                if (!(RecordFormat.parseRecord(bytes, from0, to) instanceof Valid r) || r.seq() != seq
                        || r.crc() != s.crcs()[k] || bytes[to] != '\n') {
                    throw new JournalException(s.path() + " at offset " + s.offsets()[k] + ": record " + seq
                            + " changed on disk after it was written");
                }
                entries.add(new JournalEntry<>(new Cursor(epoch, seq, r.crc()), Instant.ofEpochMilli(r.time()),
                        Arrays.copyOfRange(bytes, r.payloadFrom(), r.payloadTo())));
            }
        }
        Cursor head = v.headCursor();
        return new ReadResult.Page<>(entries, entries.isEmpty() ? head : entries.get(entries.size() - 1).cursor(),
                head);
    }

    private static byte[] readRange(Path path, long start, long end) throws IOException {
        byte[] bytes = new byte[Math.toIntExact(end - start)];
        ByteBuffer b = ByteBuffer.wrap(bytes);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            while (b.hasRemaining()) {
                if (ch.read(b, start + b.position()) < 0) {
                    throw new JournalException(path + " is shorter than its index: " + (start + b.position())
                            + " bytes, expected " + end);
                }
            }
        }
        return bytes;
    }

    /** Stops appends (and the syncer), syncs what is pending unless fsync is {@code never}, and releases the lock. */
    @Override
    public void close() {
        if (syncer != null) {
            syncer.shutdown();
        }
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (config.fsync() != FsyncPolicy.NEVER && failure == null) {
                    syncLocked();
                }
            } catch (IOException e) {
                LOG.log(Level.WARNING, "journal: final sync of " + dir + " failed: " + e);
            } finally {
                try {
                    channel.close();
                } catch (IOException e) {
                    LOG.log(Level.FINE, "closing the journal", e);
                }
                release(dir, lockChannel);
            }
        } finally {
            writeLock.unlock();
        }
    }

    private ScheduledExecutorService startSyncer() {
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hostdev-journal-sync");
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(1, config.fsyncInterval().toMillis());
        s.scheduleWithFixedDelay(this::syncInBackground, ms, ms, TimeUnit.MILLISECONDS);
        return s;
    }

    private void syncInBackground() {
        writeLock.lock();
        try {
            if (closed || failure != null) {
                return;
            }
            syncLocked();
        } catch (IOException e) {
            failure = new JournalException("syncing the journal in " + dir + " failed; appends are refused until"
                    + " it is reopened: " + e, e);
            LOG.log(Level.SEVERE, failure.getMessage());
        } finally {
            writeLock.unlock();
        }
    }

    private void syncLocked() throws IOException {
        if (dirty) {
            channel.force(false);
            dirty = false;
        }
        if (dirDirty) {
            JournalRecovery.forceDirectory(dir);
            dirDirty = false;
        }
    }

    /**
     * Records a failed write or sync. After a failed sync the kernel may have dropped the dirty
     * pages and marked them clean, so a retry could report success for lost data: the journal
     * refuses appends until reopened, when recovery reads what really is on disk. The batch is cut
     * off again (from {@code cutAt}, when not -1) so that this process never publishes it.
     */
    private JournalException fail(String what, IOException e, long cutAt) {
        failure = new JournalException(what + " in " + dir + " failed; appends are refused until the journal"
                + " is reopened: " + e, e);
        if (cutAt >= 0) {
            try {
                channel.truncate(cutAt);
            } catch (IOException again) {
                e.addSuppressed(again);
            }
        }
        LOG.log(Level.SEVERE, failure.getMessage());
        return failure;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the journal in " + dir + " is closed");
        }
    }

    private void requireWritable() {
        requireOpen();
        if (failure != null) {
            throw new JournalException(failure.getMessage(), failure);
        }
    }

    private Segment newest() {
        return segments.get(segments.size() - 1);
    }

    private void publish(long head) {
        view = new View(epoch, segments.stream().map(Segment::view).toList(), head);
    }
}
