package io.hostdev.agent.journal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The other process of the crash and lock tests, run in its own JVM on the test classpath.
 * <ul>
 *   <li>{@code DIR append SEED}: opens the journal, prints {@code open HEAD}, then appends random
 *       batches forever, printing {@code acked LAST CURSOR} after each append has returned — under
 *       fsync {@code always}, a promise that the batch is on disk — until it is killed.</li>
 *   <li>{@code DIR lock}: tries to open the journal; prints the refusal and exits with
 *       {@link #LOCKED} when another process holds it.</li>
 * </ul>
 */
public final class JournalCrashChild {

    static final int LOCKED = 3;
    /** Small segments and a modest count bound, so rollover and retention run while the child is killed. */
    static final JournalConfig CONFIG = JournalConfig.DEFAULTS.withFsync(FsyncPolicy.ALWAYS)
            .withSegmentBytes(16 << 10).withSegmentRecords(64).withMaxRecords(3000);

    private JournalCrashChild() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        switch (args[1]) {
            case "append" -> append(dir, Long.parseLong(args[2]));
            case "lock" -> lock(dir);
            default -> throw new IllegalArgumentException(args[1]);
        }
    }

    private static void append(Path dir, long seed) {
        PrintStream out = System.out;
        Journal j = Journal.open(dir, CONFIG);
        out.println("open " + j.head().sequence());
        out.flush();
        Random r = new Random(seed);
        while (true) {
            int n = 1 + r.nextInt(6);
            String id = Long.toHexString(r.nextLong());
            List<byte[]> batch = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                // up to ~3 KB a record: batches span several pages, so a kill can land inside one write
                batch.add(payload(id, i, n, r.nextInt(3000)).getBytes(StandardCharsets.US_ASCII));
            }
            Appended a = j.append(batch);
            out.println("acked " + a.last() + " " + a.head().encoded());
            out.flush();
        }
    }

    static String payload(String batch, int i, int n, int pad) {
        return "{\"batch\":\"" + batch + "\",\"i\":" + i + ",\"n\":" + n + ",\"pad\":\"" + "x".repeat(pad) + "\"}";
    }

    private static void lock(Path dir) {
        try (Journal j = Journal.open(dir, CONFIG)) {
            System.out.println("opened " + j.epoch());
        } catch (JournalLockedException e) {
            System.out.println(e.getMessage());
            System.out.flush();
            System.exit(LOCKED);
        }
    }

    /** A child JVM, its output merged into stdout. */
    static ProcessBuilder command(Path dir, String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // start fast: the crash test starts fifty of these
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-Xmx64m",
                "-cp", System.getProperty("java.class.path"),
                JournalCrashChild.class.getName(), dir.toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true);
    }

    record Result(int exitCode, String output) {
    }

    /** Runs a child to its end and returns its exit code and output. */
    static Result run(Path dir, String mode, Duration timeout) throws IOException, InterruptedException {
        Process p = command(dir, mode).start();
        StringBuilder out = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    synchronized (out) {
                        out.append(line).append('\n');
                    }
                }
            } catch (IOException e) {
                // the child is gone; what was read is the answer
            }
        });
        reader.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor();
        }
        reader.join();
        synchronized (out) {
            return new Result(p.exitValue(), out.toString());
        }
    }
}
