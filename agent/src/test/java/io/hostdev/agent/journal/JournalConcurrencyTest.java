package io.hostdev.agent.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.hostdev.agent.journal.JournalFixtures.batch;
import static io.hostdev.agent.journal.JournalFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

/** One writer appends while several readers follow the journal from their cursors. */
class JournalConcurrencyTest {

    static {
        JournalFixtures.quietLogs();
    }

    static final int BATCHES = 400;

    @TempDir
    Path dir;

    /** Record {@code seq}'s payload: readers can check every record they get against its number. */
    static String payload(long seq) {
        return "record-" + seq + "-" + "p".repeat((int) (seq % 97));
    }

    static List<byte[]> batchFrom(long first, int n) {
        String[] texts = new String[n];
        for (int i = 0; i < n; i++) {
            texts[i] = payload(first + i);
        }
        return batch(texts);
    }

    @Test
    void readersFollowingTheHeadSeeEveryRecordWholeAndInOrder() throws Exception {
        try (Journal j = Journal.open(dir, JournalConfig.DEFAULTS.withFsync(FsyncPolicy.NEVER)
                .withSegmentBytes(2048).withMaxRecords(1_000_000))) {
            Cursor start = j.head();
            AtomicBoolean done = new AtomicBoolean();
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            List<Thread> readers = new ArrayList<>();
            List<List<Long>> seen = new ArrayList<>();
            for (int r = 0; r < 4; r++) {
                List<Long> mine = new ArrayList<>();
                seen.add(mine);
                int limit = 1 + r * 7;
                readers.add(new Thread(() -> {
                    try {
                        Cursor c = start;
                        while (true) {
                            boolean last = done.get();
                            ReadResult.Page<byte[]> p = JournalFixtures.page(j.read(c, limit));
                            for (JournalEntry<byte[]> e : p.entries()) {
                                assertThat(text(e)).isEqualTo(payload(e.sequence()));
                                mine.add(e.sequence());
                            }
                            c = p.next();
                            if (last && !p.more()) {
                                return;
                            }
                        }
                    } catch (Throwable t) {
                        errors.add(t);
                    }
                }));
            }
            readers.forEach(Thread::start);
            long next = 1;
            for (int b = 0; b < BATCHES; b++) {
                int n = 1 + b % 5;
                j.append(batchFrom(next, n));
                next += n;
            }
            done.set(true);
            for (Thread t : readers) {
                t.join();
            }
            assertThat(errors).isEmpty();
            List<Long> all = new ArrayList<>();
            for (long s = 1; s < next; s++) {
                all.add(s);
            }
            for (List<Long> mine : seen) {
                assertThat(mine).isEqualTo(all);
            }
        }
    }

    @Test
    void readersFallingBehindRetentionGetResyncsNeverErrorsOrWrongRecords() throws Exception {
        try (Journal j = Journal.open(dir, JournalConfig.DEFAULTS.withFsync(FsyncPolicy.NEVER)
                .withSegmentRecords(8).withMaxRecords(20))) {
            AtomicBoolean done = new AtomicBoolean();
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            AtomicInteger resyncs = new AtomicInteger();
            AtomicInteger records = new AtomicInteger();
            CountDownLatch started = new CountDownLatch(3);
            List<Thread> readers = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                readers.add(new Thread(() -> {
                    try {
                        Cursor c = j.head();
                        started.countDown();
                        long expected = c.sequence() + 1;
                        while (!done.get()) {
                            ReadResult<byte[]> result = j.read(c, 3);
                            if (result instanceof ReadResult.Resync<byte[]> resync) {
                                assertThat(resync.reason()).isEqualTo(ReadResult.Reason.EXPIRED);
                                resyncs.incrementAndGet();
                                c = resync.head();
                                expected = c.sequence() + 1;
                                continue;
                            }
                            ReadResult.Page<byte[]> p = (ReadResult.Page<byte[]>) result;
                            for (JournalEntry<byte[]> e : p.entries()) {
                                assertThat(e.sequence()).isEqualTo(expected++);
                                assertThat(text(e)).isEqualTo(payload(e.sequence()));
                                records.incrementAndGet();
                            }
                            c = p.next();
                            // a slow client: retention overtakes it now and then
                            Thread.sleep(0, 200_000);
                        }
                    } catch (Throwable t) {
                        errors.add(t);
                    }
                }));
            }
            readers.forEach(Thread::start);
            started.await();
            long next = 1;
            for (int b = 0; b < BATCHES * 2; b++) {
                int n = 1 + b % 7;
                j.append(batchFrom(next, n));
                next += n;
            }
            done.set(true);
            for (Thread t : readers) {
                t.join();
            }
            assertThat(errors).isEmpty();
            assertThat(records.get()).isPositive();
            System.out.printf("journal readers behind retention: %d records read, %d resyncs%n", records.get(),
                    resyncs.get());
        }
    }
}
