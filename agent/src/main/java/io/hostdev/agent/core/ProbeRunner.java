package io.hostdev.agent.core;

import io.hostdev.agent.service.ProbeStatus;
import io.hostdev.probes.ProbeException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one probe's reads on a worker thread of their own and waits for each at most the probe's
 * timeout; keeps the probe's status.
 *
 * <p>A read past its timeout counts as failed, its worker is interrupted, and whatever it returns
 * later is dropped. A worker that ignores the interrupt (a read blocked in the kernel, a hung FUSE
 * mount) stays the probe's only worker: while it is alive, every run of the probe fails at once
 * ("still running") instead of starting another thread, so a hung source never piles up threads.
 * When it finally returns, the next run starts normally.
 */
final class ProbeRunner {

    /** What one attempt gave. */
    sealed interface Attempt permits Attempt.Done, Attempt.Failed {
        record Done(Object value) implements Attempt {
        }

        /**
         * @param reason one line for logs and status
         * @param cause  what the read threw; null when it timed out or a hung read was still running
         * @param hung   it timed out now, or the worker of an earlier timed-out read still runs
         */
        record Failed(String reason, Throwable cause, boolean hung) implements Attempt {
        }
    }

    private final String id;
    private final Duration timeout;
    private final Callable<?> read;
    private final Clock clock;
    /** The worker of the read in progress; null when none is. */
    private final AtomicReference<Thread> worker = new AtomicReference<>();
    private volatile Instant workerStarted;

    // status, guarded by this
    private Instant lastRun;
    private Instant lastSuccess;
    private Duration lastDuration;
    private boolean lastOk;
    private String lastError;
    private long runs;
    private long failures;

    ProbeRunner(String id, Duration timeout, Callable<?> read, Clock clock) {
        this.id = id;
        this.timeout = timeout;
        this.read = read;
        this.clock = clock;
    }

    String id() {
        return id;
    }

    /**
     * Reads once, waiting at most the timeout.
     *
     * @throws InterruptedException when the waiting thread is interrupted (the agent is stopping);
     *                              the worker is interrupted too and its result dropped
     */
    Attempt attempt() throws InterruptedException {
        return attempt(read);
    }

    /** Reads once with {@code read} instead of the probe's own read, on the same terms. */
    Attempt attempt(Callable<?> read) throws InterruptedException {
        Thread busy = worker.get();
        if (busy != null) {
            return new Attempt.Failed("the run started at " + workerStarted + " is still running past its timeout of "
                    + format(timeout) + "; no second run is started while it hangs", null, true);
        }
        CompletableFuture<Object> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            Object value = null;
            Throwable failure = null;
            try {
                value = read.call();
            } catch (Throwable e) {
                failure = e;
            }
            // free the slot before the waiting thread learns the result, so a run right after this one
            // never finds it taken
            worker.compareAndSet(Thread.currentThread(), null);
            if (failure == null) {
                result.complete(value);
            } else {
                result.completeExceptionally(failure);
            }
        }, "hostdev-probe-" + id);
        t.setDaemon(true);
        workerStarted = clock.instant();
        worker.set(t);
        t.start();
        try {
            return new Attempt.Done(result.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            t.interrupt();
            return new Attempt.Failed("timed out after " + format(timeout), null, true);
        } catch (ExecutionException e) {
            return new Attempt.Failed(describe(e.getCause()), e.getCause(), false);
        } catch (InterruptedException e) {
            t.interrupt();
            throw e;
        }
    }

    /** Records a finished run: {@code error} null for a success. */
    synchronized void record(Instant started, Instant ended, String error) {
        runs++;
        lastRun = ended;
        lastDuration = Duration.between(started, ended);
        lastOk = error == null;
        lastError = error;
        if (error == null) {
            lastSuccess = ended;
        } else {
            failures++;
        }
    }

    synchronized boolean hasRun() {
        return runs > 0;
    }

    synchronized ProbeStatus status() {
        return new ProbeStatus(id, lastRun, lastSuccess, lastDuration, lastOk, lastError, runs, failures);
    }

    /** One line, for logs and status: a probe's own message names the path; anything else its type too. */
    static String describe(Throwable e) {
        if (e instanceof ProbeException) {
            return firstLine(e.getMessage());
        }
        String m = e.getMessage() == null ? "" : firstLine(e.getMessage());
        return e.getClass().getSimpleName() + (m.isEmpty() ? "" : ": " + m);
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
