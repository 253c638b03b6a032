package io.hostdev.agent.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.hostdev.agent.journal.JournalFixtures.readAll;
import static io.hostdev.agent.journal.JournalFixtures.segments;
import static io.hostdev.agent.journal.JournalFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A child JVM appends batches with fsync {@code always} and is killed with SIGKILL at random
 * moments, fifty times; after every kill the journal must open, hold only good records in a
 * contiguous sequence that never went back or changed, whole batches only, and every batch the
 * child said was appended.
 */
class JournalCrashTest {

    static {
        JournalFixtures.quietLogs();
    }

    static final int KILLS = 50;
    static final Pattern PAYLOAD = Pattern.compile("\\{\"batch\":\"([0-9a-f]+)\",\"i\":(\\d+),\"n\":(\\d+),\"pad\":\"x*\"}");

    @TempDir
    Path dir;

    /** Reads the child's output as it comes: when it opened, and the last batch it acknowledged. */
    static final class ChildOutput extends Thread {
        final Process process;
        final CountDownLatch opened = new CountDownLatch(1);
        final Deque<String> tail = new ArrayDeque<>();
        volatile long lastAcked = 0;
        volatile String lastAckedCursor;

        ChildOutput(Process process) {
            this.process = process;
            setDaemon(true);
            start();
        }

        @Override
        public void run() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith("open ")) {
                        opened.countDown();
                    } else if (line.startsWith("acked ")) {
                        String[] f = line.split(" ");
                        lastAckedCursor = f[2];
                        lastAcked = Long.parseLong(f[1]);
                    }
                    synchronized (tail) {
                        tail.addLast(line);
                        if (tail.size() > 20) {
                            tail.removeFirst();
                        }
                    }
                }
            } catch (IOException e) {
                // killed: the pipe closes
            }
        }

        String tail() {
            synchronized (tail) {
                return String.join("\n", tail);
            }
        }
    }

    @Test
    void appendsSurviveFiftySigkillsAtRandomMoments() throws Exception {
        Random random = new Random(20260301);
        JournalConfig config = JournalCrashChild.CONFIG;
        UUID epoch = null;
        long lastHead = 0;
        long acknowledged = 0;
        Map<Long, Integer> checks = new HashMap<>();
        int tornTails = 0;
        int unacknowledgedKept = 0;
        int killedBeforeOpen = 0;

        for (int kill = 1; kill <= KILLS; kill++) {
            Process child = JournalCrashChild.command(dir, "append", Long.toString(random.nextLong())).start();
            ChildOutput out = new ChildOutput(child);
            // most kills land in the append loop; every tenth while the child starts, opens or recovers
            if (kill % 10 == 0) {
                Thread.sleep(random.nextInt(600));
            } else {
                assertThat(out.opened.await(60, TimeUnit.SECONDS)).as("child opened the journal:\n%s", out.tail()).isTrue();
                Thread.sleep(random.nextInt(120));
            }
            killedBeforeOpen += out.opened.getCount() > 0 ? 1 : 0;
            child.destroyForcibly();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            out.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(child.exitValue()).as("the child died of the kill, not of an error:\n%s", out.tail())
                    .isEqualTo(137);
            acknowledged = Math.max(acknowledged, out.lastAcked);

            try (Journal j = Journal.open(dir, config)) {
                String round = "after kill " + kill + ":\n" + out.tail();
                Recovery recovery = j.recovery();
                assertThat(recovery.damage()).as(round).isEmpty();
                tornTails += recovery.truncatedBytes() > 0 ? 1 : 0;
                if (epoch == null) {
                    epoch = j.epoch();
                } else {
                    assertThat(j.epoch()).as(round).isEqualTo(epoch);
                }

                long head = j.head().sequence();
                assertThat(head).as(round).isGreaterThanOrEqualTo(lastHead).isGreaterThanOrEqualTo(acknowledged);
                long oldest = j.oldestRetained();
                assertThat(oldest).as(round).isLessThanOrEqualTo(Math.max(1, head - config.maxRecords() + 1));

                List<JournalEntry<byte[]>> all = readAll(j, 500);
                assertThat(all).as(round).hasSize((int) (head - oldest + 1));
                String batch = null;
                int expectedI = 0;
                for (int k = 0; k < all.size(); k++) {
                    JournalEntry<byte[]> e = all.get(k);
                    assertThat(e.sequence()).as(round).isEqualTo(oldest + k);
                    Integer before = checks.put(e.sequence(), e.cursor().check());
                    assertThat(before).as("record %d never changes, %s", e.sequence(), round)
                            .isIn(null, e.cursor().check());
                    Matcher m = PAYLOAD.matcher(text(e));
                    assertThat(m.matches()).as(round).isTrue();
                    int i = Integer.parseInt(m.group(2));
                    int n = Integer.parseInt(m.group(3));
                    if (k > 0) {
                        // only the oldest batch may have lost its start, to retention by count
                        assertThat(i).as("record %d of batch %s, %s", e.sequence(), m.group(1), round)
                                .isEqualTo(expectedI);
                    }
                    if (i > 0) {
                        assertThat(m.group(1)).as(round).isEqualTo(k > 0 ? batch : m.group(1));
                    }
                    batch = m.group(1);
                    expectedI = i + 1 == n ? 0 : i + 1;
                }
                assertThat(expectedI).as("the newest batch is whole, %s", round).isZero();
                checks.keySet().removeIf(s -> s < oldest);

                if (out.lastAckedCursor != null) {
                    assertThat(j.read(out.lastAckedCursor, 1)).as(round).isInstanceOf(ReadResult.Page.class);
                }
                for (Path seg : segments(dir)) {
                    RecordFormat.Scan scan = RecordFormat.scan(Files.readAllBytes(seg));
                    assertThat(scan.header()).as("%s %s", seg, round).isInstanceOf(RecordFormat.HeaderOk.class);
                    assertThat(scan.items()).as("%s %s", seg, round)
                            .allMatch(item -> item.line() instanceof RecordFormat.Valid);
                }
                unacknowledgedKept += head > out.lastAcked && out.opened.getCount() == 0 ? 1 : 0;
                lastHead = head;
            }
        }
        System.out.printf("journal crash test: %d kills (%d before the journal opened), %d torn tails cut, %d times"
                + " a whole batch was kept whose append had not returned; %d records, %d acknowledged%n", KILLS,
                killedBeforeOpen, tornTails, unacknowledgedKept, lastHead, acknowledged);
        assertThat(lastHead).isPositive();
    }
}
