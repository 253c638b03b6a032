package io.hostdev.probes.virt;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs an emulator once, bounded: input written to its stdin, stdout collected (capped), stderr
 * drained so the emulator never blocks on a full pipe (its tail kept for the log), and the process
 * killed — together with every process it started — when it outlives the timeout. Nothing here
 * waits without a bound: a grandchild that keeps a pipe open after the emulator is gone only
 * leaves a reader thread behind, never a caller.
 */
final class EmulatorProcess {

    /** More stdout than any emulator's machine list; a runaway writer is cut here. */
    static final int STDOUT_CAP = 4 * 1024 * 1024;
    /** The stderr kept for a log line. */
    static final int STDERR_TAIL = 2048;

    /** How long the pipes may stay open after the process is gone or killed. */
    private static final Duration PIPE_GRACE = Duration.ofSeconds(2);

    private EmulatorProcess() {
    }

    /**
     * How a run ended.
     *
     * @param exitCode   the exit status; {@code null} when it did not exit by itself (killed on
     *                   timeout) or never started
     * @param timedOut   killed because it outlived the timeout
     * @param startError why it could not be started; {@code null} when it was
     * @param stdout     what it wrote to stdout, up to {@link #STDOUT_CAP} bytes, decoded leniently
     * @param stderr     the last {@link #STDERR_TAIL} bytes of its stderr
     */
    record Outcome(Integer exitCode, boolean timedOut, String startError, String stdout, String stderr) {

        boolean succeeded() {
            return exitCode != null && exitCode == 0;
        }

        /** A short account for a log line: exit status or timeout, and the end of stderr. */
        String describe() {
            String how = startError != null ? "could not be started: " + startError
                    : timedOut ? "did not finish in time and was killed"
                    : "exited with status " + exitCode;
            String err = stderr == null ? "" : stderr.strip();
            if (!err.isEmpty()) {
                int nl = err.lastIndexOf('\n');
                how += "; stderr: " + (nl < 0 ? err : err.substring(nl + 1));
            }
            return how;
        }
    }

    /** Runs {@code command} with {@code input} on stdin; never blocks longer than about {@code timeout}. */
    static Outcome run(List<String> command, String input, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(command);
        // machine type descriptions are plain ASCII, but warnings on stderr follow the locale
        pb.environment().put("LC_ALL", "C");
        Process p;
        try {
            p = pb.start();
        } catch (IOException | RuntimeException e) {
            return new Outcome(null, false, e.getMessage() == null ? e.toString() : e.getMessage(), "", "");
        }
        Drain out = new Drain(p.getInputStream(), STDOUT_CAP, false, "stdout of " + command.get(0));
        Drain err = new Drain(p.getErrorStream(), STDERR_TAIL, true, "stderr of " + command.get(0));
        out.start();
        err.start();
        try (OutputStream stdin = p.getOutputStream()) {
            // well below a pipe's capacity, so this cannot block on an emulator that never reads
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // it exited or closed stdin before reading; its output says why
        }
        boolean exited;
        boolean interrupted = false;
        try {
            exited = p.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
            exited = false;
        }
        if (!exited) {
            kill(p);
        }
        long pipesDeadline = System.nanoTime() + PIPE_GRACE.toNanos();
        out.finish(pipesDeadline);
        err.finish(pipesDeadline);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return new Outcome(exited ? p.exitValue() : null, !exited, null, out.text(), err.text());
    }

    /** Kills the process and its descendants, children first so none is reparented and missed. */
    private static void kill(Process p) {
        List<ProcessHandle> descendants = p.descendants().toList();
        descendants.forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(PIPE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads one pipe to its end on a daemon thread, keeping the head (stdout) or the tail (stderr). */
    private static final class Drain extends Thread {
        private final InputStream in;
        private final int cap;
        private final boolean keepTail;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

        Drain(InputStream in, int cap, boolean keepTail, String name) {
            super(name);
            setDaemon(true);
            this.in = in;
            this.cap = cap;
            this.keepTail = keepTail;
        }

        @Override
        public void run() {
            byte[] buf = new byte[8192];
            try (in) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    synchronized (kept) {
                        if (keepTail) {
                            kept.write(buf, 0, n);
                            if (kept.size() > 2 * cap) {
                                byte[] all = kept.toByteArray();
                                kept.reset();
                                kept.write(all, all.length - cap, cap);
                            }
                        } else if (kept.size() < cap) {
                            kept.write(buf, 0, Math.min(n, cap - kept.size()));
                        }
                        // past the cap the rest is read and dropped, so the writer never blocks
                    }
                }
            } catch (IOException e) {
                // the pipe closed under us: the process is gone
            }
        }

        /** Waits a little for the end of the stream; a grandchild holding the pipe is not waited for. */
        void finish(long deadlineNanos) {
            long left = deadlineNanos - System.nanoTime();
            try {
                if (left > 0) {
                    join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        String text() {
            byte[] bytes;
            synchronized (kept) {
                bytes = kept.toByteArray();
            }
            int from = keepTail ? Math.max(0, bytes.length - cap) : 0;
            return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
        }
    }
}
