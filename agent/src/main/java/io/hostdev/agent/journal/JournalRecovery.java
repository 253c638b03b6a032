package io.hostdev.agent.journal;

import io.hostdev.agent.journal.RecordFormat.Header;
import io.hostdev.agent.journal.RecordFormat.HeaderOk;
import io.hostdev.agent.journal.RecordFormat.HeaderUnsupported;
import io.hostdev.agent.journal.RecordFormat.Invalid;
import io.hostdev.agent.journal.RecordFormat.Item;
import io.hostdev.agent.journal.RecordFormat.Scan;
import io.hostdev.agent.journal.RecordFormat.Valid;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Opening a journal directory: reads every segment, repairs what a crash can leave behind and
 * reports everything else (docs/journal.md, "Opening and recovery").
 * <ul>
 *   <li>A newest segment whose header is torn or missing was being created when the process died:
 *       it can hold no acknowledged record, so it is deleted.</li>
 *   <li>The newest segment is cut back to the end of its last complete batch: the records after
 *       it belong to an append that never returned.</li>
 *   <li>Anything else that is wrong — a bad line before the last complete batch, a gap in the
 *       sequence, a segment of another epoch or with a bad header — is damage: reported, never
 *       repaired, and the records before it can no longer be read.</li>
 *   <li>A directory without any usable segment starts a new epoch.</li>
 *   <li>A segment of an unknown format version stops the open: it is never overwritten.</li>
 * </ul>
 */
final class JournalRecovery {

    private static final Logger LOG = Logger.getLogger("io.hostdev.journal");
    static final Pattern SEGMENT_NAME = Pattern.compile("([0-9]{20})\\.seg");
    static final String DAMAGED_SUFFIX = ".damaged";

    /** What the writer continues from. */
    record Recovered(UUID epoch, List<Segment> segments, long head, long lastTime, Recovery report) {
    }

    private record Loaded(Path path, long nameSeq, Scan scan, int length) {
    }

    private final Path dir;
    private final FsyncPolicy fsync;
    private final List<Recovery.Damage> damage = new ArrayList<>();
    private long truncatedBytes;
    private int truncatedRecords;
    /** The highest sequence of any valid record found, set-aside segments included. */
    private long maxSeen;
    /** The highest sequence met so far walking the kept segments in order. */
    private long seenInOrder;
    private long lastTime;

    private JournalRecovery(Path dir, FsyncPolicy fsync) {
        this.dir = dir;
        this.fsync = fsync;
    }

    static Recovered recover(Path dir, FsyncPolicy fsync) throws IOException {
        return new JournalRecovery(dir, fsync).run();
    }

    static String segmentName(long first) {
        return String.format("%020d.seg", first);
    }

    private Recovered run() throws IOException {
        List<Loaded> files = load();
        for (Loaded f : files) {
            if (f.scan.header() instanceof HeaderUnsupported u) {
                throw new JournalException(f.path + " is in journal format version " + u.version()
                        + ", which this hostdev does not know (it writes version " + RecordFormat.VERSION
                        + "); refusing to open the journal rather than overwrite it");
            }
        }
        while (!files.isEmpty()) {
            Loaded newest = files.get(files.size() - 1);
            String problem = headerProblem(newest, null);
            if (problem == null) {
                break;
            }
            files.remove(files.size() - 1);
            if (newest.scan.hasValidRecord()) {
                setAside(newest, problem);
            } else {
                // created by a rollover that never finished: no record was ever acknowledged in it
                LOG.info(() -> "journal: removing " + newest.path + ", torn while being created (" + problem + ")");
                truncatedBytes += newest.length;
                Files.delete(newest.path);
            }
        }
        if (files.isEmpty()) {
            UUID epoch = UUID.randomUUID();
            Segment first = create(dir, new Header(epoch, 1, 0), fsync);
            LOG.info(() -> "journal: new epoch " + epoch + " in " + dir);
            return new Recovered(epoch, new ArrayList<>(List.of(first)), 0, lastTime,
                    new Recovery(true, truncatedBytes, truncatedRecords, damage));
        }
        UUID epoch = header(files.get(files.size() - 1)).epoch();
        List<Loaded> kept = new ArrayList<>();
        for (Loaded f : files) {
            String problem = headerProblem(f, epoch);
            if (problem == null) {
                kept.add(f);
            } else {
                setAside(f, problem);
            }
        }
        List<Item> newestItems = truncateTail(kept.get(kept.size() - 1));
        List<Segment> segments = new ArrayList<>();
        Run run = new Run(segments);
        for (int i = 0; i < kept.size(); i++) {
            Loaded f = kept.get(i);
            boolean newest = i == kept.size() - 1;
            Segment s = new Segment(f.path, header(f), f.scan.headerEnd());
            s.size = newest ? newestItems.isEmpty() ? f.scan.headerEnd() : last(newestItems).end() : f.length;
            segments.add(s);
            index(f, s, newest ? newestItems : f.scan.items(), run);
        }
        long newestFirst = header(last(kept)).first();
        long head = Math.max(Math.max(run.last, newestFirst - 1), maxSeen);
        if (run.last < head) {
            // records numbered up to the head were seen but cannot be reached through a contiguous run
            run.reset();
        }
        Segment newest = last(segments);
        if (!(newest.count() > 0 || newest.records == 0 && newestFirst == head + 1)) {
            // appending to the newest segment would not read back as a continuation: start a fresh one,
            // under a name of its own
            head = Math.max(head, newestFirst);
            if (run.last < head) {
                run.reset();
            }
            int check = run.empty() ? 0 : run.segment().lastCrc();
            segments.add(create(dir, new Header(epoch, head + 1, check), fsync));
        }
        Recovery report = new Recovery(false, truncatedBytes, truncatedRecords, damage);
        if (!damage.isEmpty()) {
            LOG.warning(() -> "journal: " + dir + ": " + summary(report));
        }
        return new Recovered(epoch, segments, head, lastTime, report);
    }

    /** The readable run being built: the segments it spans and its last sequence. */
    private static final class Run {
        private final List<Segment> segments;
        long last = 0;
        private Segment current;

        Run(List<Segment> segments) {
            this.segments = segments;
        }

        boolean empty() {
            return current == null;
        }

        Segment segment() {
            return current;
        }

        void add(Segment s, long seq, int prevCheck, long offset, long time, int crc, long end) {
            s.add(seq, prevCheck, offset, time, crc, end);
            current = s;
            last = seq;
        }

        void reset() {
            segments.forEach(Segment::clearRun);
            current = null;
            last = 0;
        }
    }

    /** Adds a segment's records to the run, resetting it at every sign of damage. */
    private void index(Loaded f, Segment s, List<Item> items, Run run) {
        Header h = s.header;
        if (!run.empty() && h.first() != run.last + 1) {
            damage(f.path, 0, "the segment starts at sequence " + h.first() + " but the one before ends at "
                    + run.last);
            run.reset();
        }
        boolean atStart = true;
        for (Item item : items) {
            if (item.line() instanceof Invalid bad) {
                damage(f.path, item.offset(), bad.reason());
                run.reset();
                atStart = false;
                continue;
            }
            Valid r = (Valid) item.line();
            s.records++;
            lastTime = Math.max(lastTime, r.time());
            long expected = !run.empty() ? run.last + 1 : atStart ? h.first() : -1;
            if (r.seq() == expected) {
                run.add(s, r.seq(), atStart ? h.prev() : 0, item.offset(), r.time(), r.crc(), item.end());
            } else if (r.seq() > seenInOrder) {
                if (expected != -1) {
                    damage(f.path, item.offset(), "record " + r.seq() + " where " + expected + " was expected");
                }
                run.reset();
                // the check of the record before this one is unknown: cursors there answer "changed"
                run.add(s, r.seq(), 0, item.offset(), r.time(), r.crc(), item.end());
            } else {
                damage(f.path, item.offset(), "record " + r.seq() + " goes back (sequence " + seenInOrder
                        + " was seen before it)");
                run.reset();
            }
            seenInOrder = Math.max(seenInOrder, r.seq());
            maxSeen = Math.max(maxSeen, r.seq());
            atStart = false;
        }
    }

    /**
     * Cuts the newest segment back to the end of its last complete batch and returns the lines
     * kept. What follows that batch is the beginning of an append that never returned: complete
     * records without their batch end, and a torn line.
     */
    private List<Item> truncateTail(Loaded newest) throws IOException {
        List<Item> items = newest.scan.items();
        int keep = 0;
        for (int i = items.size() - 1; i >= 0; i--) {
            if (items.get(i).line() instanceof Valid v && v.batchEnd()) {
                keep = i + 1;
                break;
            }
        }
        if (keep == items.size()) {
            return items;
        }
        long cut = keep == 0 ? newest.scan.headerEnd() : items.get(keep - 1).end();
        int records = (int) items.subList(keep, items.size()).stream().filter(i -> i.line() instanceof Valid).count();
        long bytes = newest.length - cut;
        truncatedBytes += bytes;
        truncatedRecords += records;
        LOG.info(() -> "journal: " + newest.path + ": cutting " + bytes + " bytes (" + records
                + " records of an unfinished batch) after offset " + cut);
        try (FileChannel ch = FileChannel.open(newest.path, StandardOpenOption.WRITE)) {
            ch.truncate(cut);
            if (fsync != FsyncPolicy.NEVER) {
                ch.force(false);
            }
        }
        return items.subList(0, keep);
    }

    private List<Loaded> load() throws IOException {
        List<Path> paths = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (SEGMENT_NAME.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p)) {
                    paths.add(p);
                }
            }
        }
        paths.sort(null);
        List<Loaded> files = new ArrayList<>();
        for (Path p : paths) {
            byte[] bytes = Files.readAllBytes(p);
            var m = SEGMENT_NAME.matcher(p.getFileName().toString());
            m.matches();
            long nameSeq = RecordFormat.parseDecimal(m.group(1).replaceFirst("^0+(?=.)", ""), true);
            Scan scan = RecordFormat.scan(bytes);
            files.add(new Loaded(p, nameSeq, scan, bytes.length));
        }
        return files;
    }

    /** Why a segment cannot be part of the journal of {@code epoch} (any epoch when null), or null. */
    private static String headerProblem(Loaded f, UUID epoch) {
        if (!(f.scan.header() instanceof HeaderOk ok)) {
            return "bad header: " + ((RecordFormat.HeaderInvalid) f.scan.header()).reason();
        }
        if (ok.header().first() != f.nameSeq) {
            return "its header starts at sequence " + ok.header().first() + " but its name at " + f.nameSeq;
        }
        if (epoch != null && !ok.header().epoch().equals(epoch)) {
            return "it belongs to epoch " + ok.header().epoch() + ", the journal is in epoch " + epoch;
        }
        return null;
    }

    /** Moves an unusable segment out of the journal, keeping it for inspection. */
    private void setAside(Loaded f, String problem) throws IOException {
        for (Item item : f.scan.items()) {
            if (item.line() instanceof Valid v) {
                // its records may have been read by clients: their numbers are never given out again
                maxSeen = Math.max(maxSeen, v.seq());
                lastTime = Math.max(lastTime, v.time());
            }
        }
        Path target = f.path.resolveSibling(f.path.getFileName() + DAMAGED_SUFFIX);
        for (int n = 1; ; n++) {
            try {
                Files.move(f.path, target);
                break;
            } catch (FileAlreadyExistsException e) {
                target = f.path.resolveSibling(f.path.getFileName() + DAMAGED_SUFFIX + "." + n);
            }
        }
        damage(f.path, 0, problem + "; set aside as " + target.getFileName());
    }

    private void damage(Path file, long offset, String problem) {
        damage.add(new Recovery.Damage(file, offset, problem));
    }

    /** Creates a segment holding only its header, durably when the policy says so. */
    static Segment create(Path dir, Header header, FsyncPolicy fsync) throws IOException {
        Path p = dir.resolve(segmentName(header.first()));
        byte[] bytes = RecordFormat.header(header);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            writeFully(ch, bytes, 0);
            if (fsync == FsyncPolicy.ALWAYS) {
                ch.force(false);
            }
        }
        if (fsync == FsyncPolicy.ALWAYS) {
            forceDirectory(dir);
        }
        return new Segment(p, header, bytes.length);
    }

    static void writeFully(FileChannel ch, byte[] bytes, long position) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        long pos = position;
        while (b.hasRemaining()) {
            pos += ch.write(b, pos);
        }
    }

    /** Makes a file creation or rename in {@code dir} durable: the new entry must survive power loss too. */
    static void forceDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static Header header(Loaded f) {
        return ((HeaderOk) f.scan.header()).header();
    }

    private static <T> T last(List<T> list) {
        return list.get(list.size() - 1);
    }

    static String summary(Recovery r) {
        StringBuilder sb = new StringBuilder();
        if (r.truncatedBytes() > 0) {
            sb.append("cut ").append(r.truncatedBytes()).append(" bytes of unfinished appends (")
                    .append(r.truncatedRecords()).append(" records)");
        }
        for (Recovery.Damage d : r.damage()) {
            sb.append(sb.length() > 0 ? "; " : "").append("damage in ").append(d);
        }
        return sb.toString();
    }
}
