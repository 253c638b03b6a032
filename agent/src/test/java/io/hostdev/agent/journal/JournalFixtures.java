package io.hostdev.agent.journal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Helpers shared by the journal tests: payloads, pages, and the segment files on disk. */
final class JournalFixtures {

    /** Held so the level sticks: loggers nobody references can be collected and forget it. */
    private static final Logger JOURNAL_LOG = Logger.getLogger("io.hostdev.journal");

    private JournalFixtures() {
    }

    /** The tests tear and damage journals on purpose: keep recovery's reports of it out of the build log. */
    static void quietLogs() {
        JOURNAL_LOG.setLevel(Level.SEVERE);
    }

    static List<byte[]> batch(String... texts) {
        return Arrays.stream(texts).map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
    }

    static String text(JournalEntry<byte[]> e) {
        return new String(e.value(), StandardCharsets.UTF_8);
    }

    static ReadResult.Page<byte[]> page(ReadResult<byte[]> r) {
        assertThat(r).isInstanceOf(ReadResult.Page.class);
        return (ReadResult.Page<byte[]>) r;
    }

    static ReadResult.Resync<byte[]> resync(ReadResult<byte[]> r) {
        assertThat(r).isInstanceOf(ReadResult.Resync.class);
        return (ReadResult.Resync<byte[]>) r;
    }

    static List<String> texts(ReadResult<byte[]> r) {
        return page(r).entries().stream().map(JournalFixtures::text).toList();
    }

    static List<Long> sequences(ReadResult<byte[]> r) {
        return page(r).entries().stream().map(JournalEntry::sequence).toList();
    }

    /** Every record from the oldest retained to the head, following pages of {@code limit}. */
    static List<JournalEntry<byte[]>> readAll(Journal j, int limit) {
        List<JournalEntry<byte[]>> all = new ArrayList<>();
        Cursor c = j.start();
        while (true) {
            ReadResult.Page<byte[]> p = page(j.read(c, limit));
            all.addAll(p.entries());
            c = p.next();
            if (!p.more()) {
                return all;
            }
        }
    }

    /** The segment files, oldest first. */
    static List<Path> segments(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> JournalRecovery.SEGMENT_NAME.matcher(p.getFileName().toString()).matches())
                    .sorted().toList();
        }
    }

    static List<String> segmentNames(Path dir) throws IOException {
        return segments(dir).stream().map(p -> p.getFileName().toString()).toList();
    }

    static Path newestSegment(Path dir) throws IOException {
        List<Path> s = segments(dir);
        return s.get(s.size() - 1);
    }

    static void appendBytes(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes, StandardOpenOption.APPEND);
    }

    /** The byte offset where the line holding record {@code seq} starts in {@code file}. */
    static int offsetOf(Path file, long seq) throws IOException {
        RecordFormat.Scan scan = RecordFormat.scan(Files.readAllBytes(file));
        for (RecordFormat.Item item : scan.items()) {
            if (item.line() instanceof RecordFormat.Valid v && v.seq() == seq) {
                return item.offset();
            }
        }
        throw new AssertionError("record " + seq + " is not in " + file);
    }

    /** The byte offset where the line holding record {@code seq} ends (after its line feed). */
    static int endOf(Path file, long seq) throws IOException {
        RecordFormat.Scan scan = RecordFormat.scan(Files.readAllBytes(file));
        for (RecordFormat.Item item : scan.items()) {
            if (item.line() instanceof RecordFormat.Valid v && v.seq() == seq) {
                return item.end();
            }
        }
        throw new AssertionError("record " + seq + " is not in " + file);
    }

    static void flipByte(Path file, int offset) throws IOException {
        byte[] b = Files.readAllBytes(file);
        b[offset] ^= 0x01;
        Files.write(file, b);
    }

    static void truncate(Path file, int size) throws IOException {
        byte[] b = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(b, size));
    }
}
