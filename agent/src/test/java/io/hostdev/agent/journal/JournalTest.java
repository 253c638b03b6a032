package io.hostdev.agent.journal;

import io.hostdev.agent.journal.ReadResult.Reason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.hostdev.agent.journal.JournalFixtures.appendBytes;
import static io.hostdev.agent.journal.JournalFixtures.batch;
import static io.hostdev.agent.journal.JournalFixtures.endOf;
import static io.hostdev.agent.journal.JournalFixtures.flipByte;
import static io.hostdev.agent.journal.JournalFixtures.newestSegment;
import static io.hostdev.agent.journal.JournalFixtures.offsetOf;
import static io.hostdev.agent.journal.JournalFixtures.page;
import static io.hostdev.agent.journal.JournalFixtures.readAll;
import static io.hostdev.agent.journal.JournalFixtures.resync;
import static io.hostdev.agent.journal.JournalFixtures.segmentNames;
import static io.hostdev.agent.journal.JournalFixtures.segments;
import static io.hostdev.agent.journal.JournalFixtures.sequences;
import static io.hostdev.agent.journal.JournalFixtures.text;
import static io.hostdev.agent.journal.JournalFixtures.texts;
import static io.hostdev.agent.journal.JournalFixtures.truncate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JournalTest {

    static {
        JournalFixtures.quietLogs();
    }

    static final JournalConfig CONFIG = JournalConfig.DEFAULTS;
    static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    @TempDir
    Path dir;

    final MutableClock clock = new MutableClock(T0);
    final List<Journal> opened = new ArrayList<>();

    Journal open() {
        return open(CONFIG);
    }

    Journal open(JournalConfig config) {
        Journal j = Journal.open(dir, config, clock);
        opened.add(j);
        return j;
    }

    @AfterEach
    void closeAll() {
        opened.forEach(Journal::close);
    }

    static List<String> numbered(String prefix, int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> prefix + i).toList();
    }

    static void appendEach(Journal j, List<String> texts) {
        texts.forEach(t -> j.append(batch(t)));
    }

    @Nested
    class Epochs {

        @Test
        void aNewDirectoryStartsANewEpochWithAnEmptyHead() throws Exception {
            Journal j = open();
            assertThat(j.recovery().newEpoch()).isTrue();
            assertThat(j.recovery().clean()).isTrue();
            assertThat(j.head()).isEqualTo(new Cursor(j.epoch(), 0, 0));
            assertThat(j.oldestRetained()).isEqualTo(1);
            assertThat(segmentNames(dir)).containsExactly("00000000000000000001.seg");
        }

        @Test
        void everyNewDirectoryGetsItsOwnEpoch() throws Exception {
            Journal a = open();
            Journal b = Journal.open(Files.createDirectory(dir.resolve("other")), CONFIG);
            opened.add(b);
            assertThat(a.epoch()).isNotEqualTo(b.epoch());
        }

        @Test
        void reopeningKeepsTheEpochAndContinuesTheSequence() throws Exception {
            Journal j = open();
            UUID epoch = j.epoch();
            assertThat(j.append(batch("a", "b", "c"))).isEqualTo(new Appended(1, 3, j.head()));
            j.close();

            Journal again = open();
            assertThat(again.recovery()).isEqualTo(new Recovery(false, 0, 0, List.of()));
            assertThat(again.epoch()).isEqualTo(epoch);
            assertThat(again.head().sequence()).isEqualTo(3);
            assertThat(again.append(batch("d")).first()).isEqualTo(4);
        }

        @Test
        void theSequenceNeverRepeatsNorGoesBackAcrossRestarts() throws Exception {
            List<Long> seen = new ArrayList<>();
            for (int round = 0; round < 6; round++) {
                Journal j = open(CONFIG.withSegmentRecords(4));
                Appended a = j.append(batch("x", "y", "z"));
                for (long s = a.first(); s <= a.last(); s++) {
                    seen.add(s);
                }
                j.close();
            }
            assertThat(seen).isEqualTo(IntStream.rangeClosed(1, 18).mapToObj(i -> (long) i).toList());
        }

        @Test
        void aDirectoryWithoutAnyUsableSegmentStartsANewEpochAndKeepsTheOldFile() throws Exception {
            Journal j = open();
            j.append(batch("a", "b"));
            Cursor old = j.head();
            j.close();
            Path seg = newestSegment(dir);
            byte[] bytes = Files.readAllBytes(seg);
            bytes[3] = 'X';
            Files.write(seg, bytes);

            Journal again = open();
            assertThat(again.recovery().newEpoch()).isTrue();
            assertThat(again.epoch()).isNotEqualTo(old.epoch());
            assertThat(again.recovery().damage()).singleElement().asString()
                    .contains("bad header").contains("set aside as 00000000000000000001.seg.damaged");
            assertThat(dir.resolve("00000000000000000001.seg.damaged")).hasBinaryContent(bytes);
            assertThat(resync(again.read(old, 10)).reason()).isEqualTo(Reason.OTHER_EPOCH);
        }

        @Test
        void aSegmentOfAnUnknownFormatVersionIsNeverOverwritten() throws Exception {
            byte[] future = "hostdev-journal 2 some future layout\nwhatever\n".getBytes(StandardCharsets.US_ASCII);
            Files.write(dir.resolve("00000000000000000001.seg"), future);
            assertThatThrownBy(() -> open())
                    .isInstanceOf(JournalException.class)
                    .hasMessageContaining("format version 2")
                    .hasMessageContaining("refusing to open");
            assertThat(dir.resolve("00000000000000000001.seg")).hasBinaryContent(future);
            // and the failed open released the directory
            Files.delete(dir.resolve("00000000000000000001.seg"));
            assertThat(open().recovery().newEpoch()).isTrue();
        }
    }

    @Nested
    class Reading {

        @Test
        void readingFromTheHeadReturnsNothingAndTheHead() throws Exception {
            Journal j = open();
            j.append(batch("a"));
            ReadResult.Page<byte[]> p = page(j.read(j.head(), 10));
            assertThat(p.entries()).isEmpty();
            assertThat(p.next()).isEqualTo(j.head());
            assertThat(p.head()).isEqualTo(j.head());
            assertThat(p.more()).isFalse();
        }

        @Test
        void readingReturnsTheRecordsAfterTheCursorUpToTheLimit() throws Exception {
            Journal j = open();
            Cursor start = j.head();
            j.append(batch("1", "2", "3", "4", "5", "6"));
            j.append(batch("7", "8", "9", "10"));

            ReadResult.Page<byte[]> p1 = page(j.read(start, 4));
            assertThat(texts(p1)).containsExactly("1", "2", "3", "4");
            assertThat(p1.next()).isEqualTo(p1.entries().get(3).cursor());
            assertThat(p1.more()).isTrue();
            ReadResult.Page<byte[]> p2 = page(j.read(p1.next(), 4));
            assertThat(texts(p2)).containsExactly("5", "6", "7", "8");
            ReadResult.Page<byte[]> p3 = page(j.read(p2.next().encoded(), 4));
            assertThat(texts(p3)).containsExactly("9", "10");
            assertThat(p3.next()).isEqualTo(j.head());
            assertThat(p3.more()).isFalse();
        }

        @Test
        void everyEntryCarriesTheCursorToContinueAfterIt() throws Exception {
            Journal j = open();
            Cursor start = j.head();
            j.append(batch("a", "b", "c"));
            List<JournalEntry<byte[]>> all = page(j.read(start, 10)).entries();
            assertThat(all).extracting(JournalEntry::sequence).containsExactly(1L, 2L, 3L);
            assertThat(texts(j.read(all.get(0).cursor().encoded(), 10))).containsExactly("b", "c");
            assertThat(all.get(2).cursor()).isEqualTo(j.head());
        }

        @Test
        void aHugeLimitIsFine() throws Exception {
            Journal j = open();
            j.append(batch("a"));
            assertThat(texts(j.read(j.start(), Integer.MAX_VALUE))).containsExactly("a");
        }

        @Test
        void aMalformedCursorIsAnErrorNotAResync() throws Exception {
            Journal j = open();
            assertThatThrownBy(() -> j.read("not-a-cursor", 10)).isInstanceOf(MalformedCursorException.class);
        }

        @Test
        void theLimitMustBePositive() throws Exception {
            Journal j = open();
            assertThatThrownBy(() -> j.read(j.head(), 0)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void aPayloadThatIsNotOneLineIsRefusedAndNothingIsWritten() throws Exception {
            Journal j = open();
            long size = Files.size(newestSegment(dir));
            assertThatThrownBy(() -> j.append(batch("fine", "not\nfine"))).hasMessageContaining("line feed");
            assertThat(j.head().sequence()).isZero();
            assertThat(Files.size(newestSegment(dir))).isEqualTo(size);
            assertThat(j.append(batch("next")).first()).isEqualTo(1);
        }

        @Test
        void anEmptyBatchWritesNothing() throws Exception {
            Journal j = open();
            j.append(batch("a"));
            assertThat(j.append(List.of())).isEqualTo(new Appended(2, 1, j.head()));
            assertThat(j.head().sequence()).isEqualTo(1);
        }

        @Test
        void appendedTimesComeFromTheClockAndNeverGoBack() throws Exception {
            Journal j = open();
            j.append(batch("a"));
            clock.advance(Duration.ofMinutes(-5));
            j.append(batch("b"));
            clock.advance(Duration.ofMinutes(10));
            j.append(batch("c"));
            assertThat(page(j.read(j.start(), 10)).entries()).extracting(JournalEntry::appended)
                    .containsExactly(T0, T0, T0.plus(Duration.ofMinutes(5)));
        }

        @Test
        void aClosedJournalRefusesWork() throws Exception {
            Journal j = open();
            j.close();
            j.close();
            assertThatThrownBy(() -> j.read(j.head(), 1)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> j.append(batch("a"))).isInstanceOf(IllegalStateException.class);
        }
    }

    @Nested
    class Resyncs {

        @Test
        void aCursorFromAnotherEpochNeedsAResync() throws Exception {
            Journal other = Journal.open(Files.createDirectory(dir.resolve("other")), CONFIG);
            opened.add(other);
            other.append(batch("x"));
            Journal j = open();
            j.append(batch("a"));
            ReadResult.Resync<byte[]> r = resync(j.read(other.head(), 10));
            assertThat(r.reason()).isEqualTo(Reason.OTHER_EPOCH);
            assertThat(r.head()).isEqualTo(j.head());
            assertThat(r.message()).contains(other.epoch().toString());
        }

        @Test
        void aCursorAheadOfTheHeadNeedsAResync() throws Exception {
            Journal j = open();
            j.append(batch("a"));
            ReadResult.Resync<byte[]> r = resync(j.read(new Cursor(j.epoch(), 2, 0), 10));
            assertThat(r.reason()).isEqualTo(Reason.AHEAD);
            assertThat(r.oldestRetained()).isEqualTo(1);
        }

        @Test
        void aCursorOlderThanTheRetainedRangeNeedsAResyncNeverAPartialPage() throws Exception {
            Journal j = open(CONFIG.withMaxRecords(3));
            Cursor start = j.head();
            j.append(batch("1", "2", "3", "4", "5"));
            ReadResult.Resync<byte[]> r = resync(j.read(start, 10));
            assertThat(r.reason()).isEqualTo(Reason.EXPIRED);
            assertThat(r.oldestRetained()).isEqualTo(3);
            assertThat(r.message()).contains("oldest retained is 3");
        }

        @Test
        void aForgedCheckNeedsAResync() throws Exception {
            Journal j = open();
            j.append(batch("a", "b"));
            Cursor real = j.head();
            assertThat(resync(j.read(new Cursor(j.epoch(), 2, real.check() + 1), 10)).reason())
                    .isEqualTo(Reason.CHANGED);
        }

        @Test
        void aCursorWhoseRecordWasLostAndItsNumberReusedNeedsAResync() throws Exception {
            // what a power failure can do under fsync interval or never: the last appends vanish
            // although clients read them, and their numbers go to new records
            Journal j = open(CONFIG.withFsync(FsyncPolicy.NEVER));
            j.append(batch("1", "2", "3"));
            Cursor at3 = j.head();
            j.append(batch("4"));
            Cursor at4 = j.head();
            j.append(batch("5"));
            Cursor at5 = j.head();
            j.close();
            truncate(newestSegment(dir), endOf(newestSegment(dir), 3));

            Journal again = open();
            assertThat(again.head()).isEqualTo(at3);
            assertThat(resync(again.read(at5, 10)).reason()).isEqualTo(Reason.AHEAD);
            again.append(batch("four"));
            again.append(batch("five"));
            assertThat(resync(again.read(at4, 10)).reason()).isEqualTo(Reason.CHANGED);
            assertThat(resync(again.read(at5, 10)).reason()).isEqualTo(Reason.CHANGED);
            assertThat(texts(again.read(at3, 10))).containsExactly("four", "five");
        }
    }

    @Nested
    class Retention {

        @Test
        void byCountTheOldestRecordsAndTheirSegmentsGo() throws Exception {
            Journal j = open(CONFIG.withMaxRecords(10).withSegmentRecords(4));
            appendEach(j, numbered("r", 25));
            assertThat(j.oldestRetained()).isEqualTo(16);
            assertThat(j.start().sequence()).isEqualTo(15);
            assertThat(readAll(j, 3)).extracting(JournalFixtures::text).isEqualTo(numbered("r", 25).subList(15, 25));
            assertThat(resync(j.read(new Cursor(j.epoch(), 14, 0), 10)).reason()).isEqualTo(Reason.EXPIRED);
            // segments of 4 records: 13-16 still holds 16, 1-12 are gone
            assertThat(segmentNames(dir)).containsExactly("00000000000000000013.seg", "00000000000000000017.seg",
                    "00000000000000000021.seg", "00000000000000000025.seg");
        }

        @Test
        void byAgeRecordsOlderThanTheLimitAreNotReadEvenBeforeTheyAreDeleted() throws Exception {
            Journal j = open(CONFIG.withMaxAge(Duration.ofHours(1)));
            Cursor start = j.head();
            j.append(batch("old"));
            clock.advance(Duration.ofMinutes(30));
            j.append(batch("newer"));
            Cursor afterOld = page(j.read(start, 1)).next();
            clock.advance(Duration.ofMinutes(31));
            assertThat(j.oldestRetained()).isEqualTo(2);
            assertThat(resync(j.read(start, 10)).reason()).isEqualTo(Reason.EXPIRED);
            assertThat(texts(j.read(afterOld, 10))).containsExactly("newer");
            clock.advance(Duration.ofMinutes(30));
            assertThat(j.oldestRetained()).isEqualTo(3);
            assertThat(page(j.read(j.start(), 10)).entries()).isEmpty();
        }

        @Test
        void theTighterOfCountAndAgeWins() throws Exception {
            Journal j = open(CONFIG.withMaxRecords(3).withMaxAge(Duration.ofHours(1)));
            appendEach(j, numbered("a", 5));
            assertThat(j.oldestRetained()).isEqualTo(3);
            clock.advance(Duration.ofMinutes(59));
            j.append(batch("b"));
            clock.advance(Duration.ofMinutes(2));
            assertThat(j.oldestRetained()).isEqualTo(6);
        }

        @Test
        void aQuietJournalDropsExpiredSegmentsWhenToldToRetain() throws Exception {
            Journal j = open(CONFIG.withMaxAge(Duration.ofHours(1)).withSegmentRecords(2));
            appendEach(j, numbered("r", 5));
            Cursor head = j.head();
            assertThat(segments(dir)).hasSize(3);
            clock.advance(Duration.ofHours(2));
            j.retain();
            assertThat(segmentNames(dir)).containsExactly("00000000000000000006.seg");
            assertThat(j.head()).isEqualTo(head);
            assertThat(page(j.read(head, 10)).entries()).isEmpty();
            j.close();

            Journal again = open(CONFIG.withMaxAge(Duration.ofHours(1)).withSegmentRecords(2));
            assertThat(again.head()).isEqualTo(head);
            assertThat(page(again.read(head, 10)).entries()).isEmpty();
            assertThat(again.append(batch("r6")).first()).isEqualTo(6);
            assertThat(texts(again.read(head, 10))).containsExactly("r6");
        }

        @Test
        void theRetainedRangeSurvivesAReopen() throws Exception {
            JournalConfig config = CONFIG.withMaxRecords(7).withSegmentRecords(3);
            Journal j = open(config);
            appendEach(j, numbered("r", 20));
            Cursor start = j.start();
            j.close();
            Journal again = open(config);
            assertThat(again.oldestRetained()).isEqualTo(14);
            assertThat(again.start()).isEqualTo(start);
            assertThat(readAll(again, 100)).extracting(JournalFixtures::text).isEqualTo(numbered("r", 20).subList(13, 20));
        }

        @Test
        void aCursorRightBeforeTheFirstSegmentIsStillVerifiedAfterItsRecordIsDeleted() throws Exception {
            // record 4 ends the first segment; when it is deleted, the next header's check vouches for it
            JournalConfig config = CONFIG.withMaxRecords(4).withSegmentRecords(4);
            Journal j = open(config);
            appendEach(j, numbered("r", 4));
            Cursor at4 = j.head();
            appendEach(j, numbered("s", 4));
            assertThat(segmentNames(dir)).containsExactly("00000000000000000005.seg");
            assertThat(texts(j.read(at4, 10))).containsExactly("s1", "s2", "s3", "s4");
            assertThat(resync(j.read(new Cursor(j.epoch(), 4, at4.check() ^ 1), 10)).reason())
                    .isEqualTo(Reason.CHANGED);
            j.close();
            assertThat(texts(open(config).read(at4, 10))).containsExactly("s1", "s2", "s3", "s4");
        }
    }

    @Nested
    class Segments {

        @Test
        void segmentsRollOverBySize() throws Exception {
            Journal j = open(CONFIG.withSegmentBytes(300));
            appendEach(j, numbered("record-with-some-bytes-", 30));
            List<Path> files = segments(dir);
            assertThat(files).hasSizeGreaterThan(5);
            for (Path f : files) {
                RecordFormat.Scan scan = RecordFormat.scan(Files.readAllBytes(f));
                // a segment goes past the limit only by the one batch that started it
                assertThat(scan.items().size() == 1 || Files.size(f) <= 300).isTrue();
                RecordFormat.Header h = ((RecordFormat.HeaderOk) scan.header()).header();
                assertThat(f.getFileName().toString()).isEqualTo(JournalRecovery.segmentName(h.first()));
            }
            assertThat(readAll(j, 7)).extracting(JournalFixtures::text).isEqualTo(numbered("record-with-some-bytes-", 30));
        }

        @Test
        void segmentsRollOverByRecordCount() throws Exception {
            Journal j = open(CONFIG.withSegmentRecords(10));
            for (int i = 0; i < 5; i++) {
                j.append(batch("a", "b", "c", "d"));
            }
            assertThat(segmentNames(dir)).containsExactly("00000000000000000001.seg", "00000000000000000009.seg",
                    "00000000000000000017.seg");
        }

        @Test
        void aBatchIsNeverSplitAcrossSegments() throws Exception {
            Journal j = open(CONFIG.withSegmentRecords(2).withSegmentBytes(10));
            j.append(batch("1", "2", "3", "4", "5"));
            assertThat(segmentNames(dir)).containsExactly("00000000000000000001.seg");
            j.append(batch("6"));
            assertThat(segmentNames(dir)).containsExactly("00000000000000000001.seg", "00000000000000000006.seg");
        }

        @Test
        void aNewSegmentsHeaderCarriesTheCheckOfTheRecordBeforeIt() throws Exception {
            Journal j = open(CONFIG.withSegmentRecords(2));
            j.append(batch("1", "2"));
            int check2 = j.head().check();
            j.append(batch("3"));
            RecordFormat.Scan scan = RecordFormat.scan(Files.readAllBytes(dir.resolve("00000000000000000003.seg")));
            assertThat(((RecordFormat.HeaderOk) scan.header()).header())
                    .isEqualTo(new RecordFormat.Header(j.epoch(), 3, check2));
        }
    }

    @Nested
    class TornTails {

        Journal withTwoBatches() {
            Journal j = open();
            j.append(batch("1", "2"));
            j.append(batch("3"));
            j.close();
            return j;
        }

        static byte[] records(long from, boolean endLast, String... payloads) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < payloads.length; i++) {
                RecordFormat.appendRecord(out, from + i, T0.toEpochMilli(), endLast && i == payloads.length - 1,
                        payloads[i].getBytes(StandardCharsets.UTF_8));
            }
            return out.toByteArray();
        }

        void assertContinuesAfter3(Journal again, long size) throws Exception {
            assertThat(again.head().sequence()).isEqualTo(3);
            assertThat(Files.size(newestSegment(dir))).isEqualTo(size);
            assertThat(again.append(batch("4")).first()).isEqualTo(4);
            assertThat(readAll(again, 10)).extracting(JournalFixtures::text).containsExactly("1", "2", "3", "4");
            again.close();
            assertThat(open().recovery().clean()).isTrue();
        }

        @Test
        void aTornLastLineIsCutAndTheSequenceContinues() throws Exception {
            withTwoBatches();
            Path seg = newestSegment(dir);
            long size = Files.size(seg);
            byte[] whole = records(4, true, "four");
            appendBytes(seg, java.util.Arrays.copyOf(whole, whole.length - 3));

            Journal again = open();
            assertThat(again.recovery()).isEqualTo(new Recovery(false, whole.length - 3, 0, List.of()));
            assertContinuesAfter3(again, size);
        }

        @Test
        void completeRecordsOfAnUnfinishedBatchAreCut() throws Exception {
            withTwoBatches();
            Path seg = newestSegment(dir);
            long size = Files.size(seg);
            byte[] unfinished = records(4, false, "four", "five");
            appendBytes(seg, unfinished);

            Journal again = open();
            assertThat(again.recovery()).isEqualTo(new Recovery(false, unfinished.length, 2, List.of()));
            assertContinuesAfter3(again, size);
        }

        @Test
        void zerosAtTheEndAreCut() throws Exception {
            // what a file extended but never written shows after a power failure
            withTwoBatches();
            Path seg = newestSegment(dir);
            long size = Files.size(seg);
            appendBytes(seg, new byte[4096]);
            Journal again = open();
            assertThat(again.recovery().truncatedBytes()).isEqualTo(4096);
            assertThat(again.recovery().damage()).isEmpty();
            assertContinuesAfter3(again, size);
        }

        @Test
        void garbageLinesAtTheEndAreCut() throws Exception {
            withTwoBatches();
            Path seg = newestSegment(dir);
            long size = Files.size(seg);
            byte[] garbage = new byte[3000];
            new java.util.Random(7).nextBytes(garbage);
            appendBytes(seg, records(4, false, "four"));
            appendBytes(seg, garbage);
            Journal again = open();
            assertThat(again.recovery().truncatedRecords()).isEqualTo(1);
            assertThat(again.recovery().damage()).isEmpty();
            assertContinuesAfter3(again, size);
        }

        @Test
        void aSegmentTornWhileBeingCreatedIsRemoved() throws Exception {
            withTwoBatches();
            byte[] header = RecordFormat.header(new RecordFormat.Header(UUID.randomUUID(), 4, 0));
            Path torn = dir.resolve("00000000000000000004.seg");
            Files.write(torn, java.util.Arrays.copyOf(header, 30));
            Journal again = open();
            assertThat(again.recovery()).isEqualTo(new Recovery(false, 30, 0, List.of()));
            assertThat(torn).doesNotExist();
            assertContinuesAfter3(again, Files.size(newestSegment(dir)));
        }

        @Test
        void anEmptySegmentFileIsRemoved() throws Exception {
            withTwoBatches();
            Files.createFile(dir.resolve("00000000000000000004.seg"));
            Journal again = open();
            assertThat(again.recovery().clean()).isTrue();
            assertThat(segmentNames(dir)).containsExactly("00000000000000000001.seg");
            assertContinuesAfter3(again, Files.size(newestSegment(dir)));
        }

        @Test
        void aCutBatchIsNeverReadByAnyone() throws Exception {
            Journal j = open();
            Cursor start = j.head();
            j.append(batch("1"));
            j.close();
            appendBytes(newestSegment(dir), records(2, false, "two"));
            Journal again = open();
            assertThat(texts(again.read(start, 10))).containsExactly("1");
        }
    }

    @Nested
    class Damage {

        @Test
        void corruptionInTheMiddleIsReportedNotCutAndCursorsBeforeItResync() throws Exception {
            Journal j = open();
            Cursor start = j.head();
            j.append(batch("1"));
            Cursor at1 = j.head();
            j.append(batch("2"));
            Cursor at2 = j.head();
            j.append(batch("3"));
            j.append(batch("4"));
            j.close();
            Path seg = newestSegment(dir);
            int at = offsetOf(seg, 2);
            flipByte(seg, endOf(seg, 2) - 2);
            long size = Files.size(seg);

            Journal again = open();
            assertThat(again.recovery().damage()).singleElement()
                    .isEqualTo(new Recovery.Damage(seg, at, "checksum mismatch"));
            assertThat(again.recovery().truncatedBytes()).isZero();
            assertThat(Files.size(seg)).isEqualTo(size);
            assertThat(again.oldestRetained()).isEqualTo(3);
            for (Cursor c : List.of(start, at1, at2)) {
                ReadResult.Resync<byte[]> r = resync(again.read(c, 10));
                assertThat(r.reason()).isEqualTo(Reason.DAMAGED);
                assertThat(r.oldestRetained()).isEqualTo(3);
            }
            assertThat(texts(again.read(again.start(), 10))).containsExactly("3", "4");
            assertThat(again.append(batch("5")).first()).isEqualTo(5);
            again.close();

            Journal third = open();
            assertThat(third.recovery().damage()).hasSize(1);
            assertThat(readAll(third, 10)).extracting(JournalFixtures::text).containsExactly("3", "4", "5");
        }

        @Test
        void aMissingSegmentIsAGapAndCursorsBeforeItResync() throws Exception {
            Journal j = open(CONFIG.withSegmentRecords(2));
            Cursor start = j.head();
            appendEach(j, numbered("r", 6));
            j.close();
            Files.delete(dir.resolve("00000000000000000003.seg"));

            Journal again = open();
            assertThat(again.recovery().damage()).singleElement().asString()
                    .contains("starts at sequence 5 but the one before ends at 2");
            assertThat(resync(again.read(start, 10)).reason()).isEqualTo(Reason.DAMAGED);
            assertThat(readAll(again, 10)).extracting(JournalFixtures::text).containsExactly("r5", "r6");
            // the segment before the gap held nothing readable any more
            assertThat(segmentNames(dir)).containsExactly("00000000000000000005.seg");
        }

        @Test
        void anOlderSegmentWithABadHeaderIsSetAside() throws Exception {
            Journal j = open(CONFIG.withSegmentRecords(2));
            Cursor start = j.head();
            appendEach(j, numbered("r", 6));
            j.close();
            Path first = dir.resolve("00000000000000000001.seg");
            flipByte(first, 20);

            Journal again = open();
            assertThat(again.recovery().newEpoch()).isFalse();
            assertThat(again.recovery().damage()).singleElement().asString()
                    .contains("header checksum mismatch").contains("set aside");
            assertThat(dir.resolve("00000000000000000001.seg.damaged")).exists();
            assertThat(resync(again.read(start, 10)).reason()).isEqualTo(Reason.DAMAGED);
            assertThat(readAll(again, 10)).extracting(JournalFixtures::text)
                    .containsExactly("r3", "r4", "r5", "r6");
        }

        @Test
        void aSegmentOfAnotherEpochIsSetAside() throws Exception {
            Path otherDir = Files.createDirectory(dir.resolve("other"));
            Journal other = Journal.open(otherDir, CONFIG);
            other.append(batch("foreign"));
            other.close();
            Journal j = open(CONFIG.withSegmentRecords(1));
            appendEach(j, numbered("r", 3));
            j.close();
            Files.delete(dir.resolve("00000000000000000001.seg"));
            Files.copy(otherDir.resolve("00000000000000000001.seg"), dir.resolve("00000000000000000001.seg"));

            Journal again = open();
            assertThat(again.recovery().damage()).singleElement().asString().contains("belongs to epoch " + other.epoch());
            assertThat(readAll(again, 10)).extracting(JournalFixtures::text).containsExactly("r2", "r3");
        }

        @Test
        void aDamagedCursorRecordCannotBeVouchedFor() throws Exception {
            Journal j = open();
            j.append(batch("1"));
            j.append(batch("2"));
            Cursor at2 = j.head();
            j.append(batch("3"));
            j.close();
            Path seg = newestSegment(dir);
            flipByte(seg, endOf(seg, 2) - 2);
            Journal again = open();
            // record 2 is unreadable: a client that says it read it cannot be believed, nor refused on other grounds
            assertThat(resync(again.read(at2, 10)).reason()).isEqualTo(Reason.DAMAGED);
        }
    }

    @Nested
    class Locking {

        @Test
        void aSecondOpenInThisProcessIsRefusedClearly() throws Exception {
            open();
            assertThatThrownBy(() -> Journal.open(dir, CONFIG))
                    .isInstanceOf(JournalLockedException.class)
                    .hasMessageContaining("already open in this process");
        }

        @Test
        void closingReleasesTheJournal() throws Exception {
            open().close();
            assertThat(open().recovery().newEpoch()).isFalse();
        }

        @Test
        void anotherProcessIsRefusedAndToldWhoHoldsIt() throws Exception {
            open();
            JournalCrashChild.Result r = JournalCrashChild.run(dir, "lock", Duration.ofSeconds(30));
            assertThat(r.exitCode()).as(r.output()).isEqualTo(JournalCrashChild.LOCKED);
            assertThat(r.output()).contains("in use by another process")
                    .contains("pid " + ProcessHandle.current().pid())
                    .contains(Journal.LOCK_FILE);
        }
    }

    @Nested
    class FsyncPolicies {

        @ParameterizedTest
        @EnumSource(FsyncPolicy.class)
        void everyPolicyAppendsRollsOverAndReadsBackAfterAReopen(FsyncPolicy policy) throws Exception {
            JournalConfig config = CONFIG.withFsync(policy).withFsyncInterval(Duration.ofMillis(5)).withSegmentRecords(3);
            Journal j = open(config);
            appendEach(j, numbered("r", 10));
            j.close();
            Journal again = open(config);
            assertThat(again.recovery().clean()).isTrue();
            assertThat(readAll(again, 4)).extracting(JournalFixtures::text).isEqualTo(numbered("r", 10));
        }

        @Test
        void theIntervalSyncerRunsOnlyWhileTheJournalIsOpen() throws Exception {
            Journal j = open(CONFIG.withFsync(FsyncPolicy.INTERVAL).withFsyncInterval(Duration.ofMillis(5)));
            j.append(batch("a"));
            assertThat(syncers()).isPositive();
            j.close();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (syncers() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(syncers()).isZero();
        }

        static long syncers() {
            return Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("hostdev-journal-sync") && t.isAlive()).count();
        }

        @Test
        void policiesAreSpelledAsInTheConfiguration() throws Exception {
            assertThat(FsyncPolicy.parse("always")).isEqualTo(FsyncPolicy.ALWAYS);
            assertThat(FsyncPolicy.parse("interval")).isEqualTo(FsyncPolicy.INTERVAL);
            assertThat(FsyncPolicy.parse("never")).isEqualTo(FsyncPolicy.NEVER);
            assertThatThrownBy(() -> FsyncPolicy.parse("ALWAYS")).hasMessageContaining("always, interval or never");
        }

        @Test
        void settingsAreChecked() throws Exception {
            assertThatThrownBy(() -> CONFIG.withMaxRecords(0)).hasMessageContaining("maxRecords");
            assertThatThrownBy(() -> CONFIG.withMaxAge(Duration.ZERO)).hasMessageContaining("maxAge");
            assertThatThrownBy(() -> CONFIG.withSegmentBytes(0)).hasMessageContaining("segmentBytes");
            assertThatThrownBy(() -> CONFIG.withSegmentRecords(0)).hasMessageContaining("segmentRecords");
            assertThatThrownBy(() -> CONFIG.withFsyncInterval(Duration.ofSeconds(-1))).hasMessageContaining("fsyncInterval");
        }
    }

    @Test
    void diskUseIsTheSizeOfTheSegments() throws Exception {
        Journal j = open(CONFIG.withSegmentRecords(2));
        appendEach(j, numbered("r", 5));
        long sum = 0;
        for (Path p : segments(dir)) {
            sum += Files.size(p);
        }
        assertThat(j.diskBytes()).isEqualTo(sum);
        assertThat(sequences(j.read(j.start(), 10))).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(text(page(j.read(j.start(), 1)).entries().get(0))).isEqualTo("r1");
    }
}
