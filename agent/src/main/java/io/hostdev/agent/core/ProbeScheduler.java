package io.hostdev.agent.core;

import io.hostdev.agent.config.ProbeSchedule;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.simpl.RAMJobStore;
import org.quartz.simpl.SimpleThreadPool;

import java.time.Duration;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs each probe on its own schedule with Quartz (in memory: {@link RAMJobStore}).
 *
 * <p>One durable job per probe, never executed twice at once. Its <em>periodic</em> trigger fires
 * once and is set again at the end of every run, whatever fired it: the next run starts
 * {@code interval + random(0..jitter)} after the end of the previous one. So a long run never
 * causes a burst of catch-up runs, and hosts started together drift apart.
 *
 * <p>Requested runs ({@link #requestRun}) are coalesced: a request adds a one-shot trigger only
 * when none is pending, and a run that starts clears the pending request (removing its trigger if
 * another trigger started the run) because a run that starts after a request reads the host after
 * it. Many requests during a run therefore cause exactly one more run, right after it.
 *
 * <p>A probe never spends more than {@code maxShare} of the time running (config
 * {@code probes.maxShare}, default 5%): when runs take long (10,000 devices: about 2 s), the wait
 * after one grows to {@code (1 / maxShare - 1)} times the
 * shorter of the last two runs (so one slow run alone stretches nothing),
 * at most {@link #MAX_STRETCH} times the interval; the configured interval is the floor. On an
 * ordinary host (a scan of 50 ms) this never applies.
 *
 * <p>The thread pool has one thread per probe, so a slow probe never delays another.
 */
final class ProbeScheduler {

    private static final Logger LOG = Logger.getLogger("io.hostdev.agent");
    private static final AtomicLong INSTANCES = new AtomicLong();
    private static final String GROUP = "hostdev";
    /** The wait after a run is never stretched beyond this many intervals. */
    static final int MAX_STRETCH = 10;

    /** One probe's job: what to run and its pending request, if any. */
    private static final class Slot {
        final ProbeSchedule schedule;
        final Runnable run;
        final AtomicReference<TriggerKey> pending = new AtomicReference<>();
        final AtomicLong requests = new AtomicLong();
        /** Whether the last wait was stretched beyond the interval (logged when it changes). */
        boolean stretched;
        /** How long the previous run took; -1 before the first. */
        long previousRunMillis = -1;

        Slot(ProbeSchedule schedule, Runnable run) {
            this.schedule = schedule;
            this.run = run;
        }
    }

    /** A probe to schedule: its id, when, and what one run does. */
    record Entry(String id, ProbeSchedule schedule, Runnable run) {
    }

    private final Scheduler quartz;
    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private volatile boolean stopping;

    /** The largest share of the time one probe may spend running. */
    private final double maxShare;

    ProbeScheduler(List<Entry> entries, double maxShare) {
        this.maxShare = maxShare;
        for (Entry e : entries) {
            slots.put(e.id(), new Slot(e.schedule(), e.run()));
        }
        Properties p = new Properties();
        // schedulers are registered by name in this JVM: each agent core (tests run several) needs its own
        p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, "hostdev-" + INSTANCES.incrementAndGet());
        p.setProperty(StdSchedulerFactory.PROP_SCHED_THREAD_NAME, "hostdev-scheduler");
        p.setProperty(StdSchedulerFactory.PROP_SCHED_MAKE_SCHEDULER_THREAD_DAEMON, "true");
        p.setProperty(StdSchedulerFactory.PROP_THREAD_POOL_CLASS, SimpleThreadPool.class.getName());
        p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(Math.max(1, slots.size())));
        p.setProperty("org.quartz.threadPool.threadNamePrefix", "hostdev-probe-job");
        p.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
        p.setProperty(StdSchedulerFactory.PROP_JOB_STORE_CLASS, RAMJobStore.class.getName());
        try {
            quartz = new StdSchedulerFactory(p).getScheduler();
            quartz.setJobFactory((bundle, scheduler) -> new ProbeJob(this, bundle.getJobDetail().getKey().getName()));
            for (String id : slots.keySet()) {
                JobDetail job = JobBuilder.newJob(ProbeJob.class).withIdentity(id, GROUP).storeDurably().build();
                quartz.addJob(job, false);
            }
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot set up the probe scheduler: " + e.getMessage(), e);
        }
    }

    /** Starts every probe's first run now, and the scheduler. */
    void start() {
        try {
            for (String id : slots.keySet()) {
                quartz.scheduleJob(periodic(id, 0));
            }
            quartz.start();
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot start the probe scheduler: " + e.getMessage(), e);
        }
    }

    /** Asks for a run soon, coalesced with a pending request; false for an unknown probe. */
    boolean requestRun(String id) {
        Slot s = slots.get(id);
        if (s == null) {
            return false;
        }
        if (stopping) {
            return true;
        }
        TriggerKey key = new TriggerKey("request-" + s.requests.incrementAndGet(), GROUP + "." + id);
        if (!s.pending.compareAndSet(null, key)) {
            return true;
        }
        try {
            quartz.scheduleJob(TriggerBuilder.newTrigger().withIdentity(key).forJob(id, GROUP).startNow()
                    .withSchedule(SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow())
                    .build());
        } catch (SchedulerException e) {
            s.pending.compareAndSet(key, null);
            LOG.log(Level.WARNING, "cannot request a run of " + id + ": " + e.getMessage());
        }
        return true;
    }

    /** One run of a probe, on a Quartz thread; {@code firedBy} is the trigger that started it. */
    void execute(String id, TriggerKey firedBy) {
        Slot s = slots.get(id);
        TriggerKey pending = s.pending.getAndSet(null);
        if (pending != null && !pending.equals(firedBy)) {
            unschedule(pending);
        }
        long started = System.nanoTime();
        try {
            if (!stopping) {
                s.run.run();
            }
        } finally {
            if (!stopping) {
                long jitter = s.schedule.jitter().toMillis();
                long runMillis = (System.nanoTime() - started) / 1_000_000;
                // the shorter of the last two runs: one slow run (the first, before the JIT has compiled
                // anything; one during a load spike) does not stretch the wait, a host that is slow to scan does
                long typical = s.previousRunMillis < 0 ? 0 : Math.min(runMillis, s.previousRunMillis);
                s.previousRunMillis = runMillis;
                long wait = pause(s.schedule.interval().toMillis(), typical, maxShare);
                boolean stretched = wait > s.schedule.interval().toMillis();
                if (stretched != s.stretched) {
                    s.stretched = stretched;
                    LOG.info(stretched ? "probe " + id + " takes " + typical
                            + " ms a run: it runs every " + wait + " ms instead of " + s.schedule.interval().toMillis()
                            + " ms, to spend at most " + Math.round(maxShare * 100) + "% of the time probing (probes.maxShare)"
                            : "probe " + id + " runs every " + s.schedule.interval().toMillis() + " ms again");
                }
                long delay = wait + (jitter > 0 ? ThreadLocalRandom.current().nextLong(jitter + 1) : 0);
                try {
                    // replacing the trigger that fired this run is safe: Quartz keeps a trigger
                    // rescheduled during its own execution instead of deleting it afterwards
                    unschedule(periodicKey(id));
                    quartz.scheduleJob(periodic(id, delay));
                } catch (SchedulerException e) {
                    LOG.log(Level.SEVERE, "cannot schedule the next run of " + id + ": " + e.getMessage());
                }
            }
        }
    }

    /** The wait after a run of {@code runMillis}: the interval, or longer for a long run (class doc). */
    static long pause(long intervalMillis, long runMillis, double maxShare) {
        long proportional = (long) (runMillis * (1 / maxShare - 1));
        return Math.max(intervalMillis, Math.min(proportional, intervalMillis * MAX_STRETCH));
    }

    /**
     * Stops firing, waits up to {@code grace} for runs in progress, interrupts the ones still waiting
     * for their probe (their results are dropped), and shuts Quartz down.
     */
    void stop(Duration grace) {
        stopping = true;
        try {
            quartz.standby();
            long deadline = System.nanoTime() + grace.toNanos();
            while (!quartz.getCurrentlyExecutingJobs().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            for (JobExecutionContext c : quartz.getCurrentlyExecutingJobs()) {
                LOG.info("stopping: abandoning the run of " + c.getJobDetail().getKey().getName() + " in progress");
                quartz.interrupt(c.getJobDetail().getKey());
            }
            quartz.shutdown(true);
        } catch (SchedulerException e) {
            LOG.log(Level.WARNING, "stopping the probe scheduler: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Trigger periodic(String id, long delayMillis) {
        return TriggerBuilder.newTrigger().withIdentity(periodicKey(id)).forJob(id, GROUP)
                .startAt(new Date(System.currentTimeMillis() + delayMillis))
                .withSchedule(SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow())
                .build();
    }

    private static TriggerKey periodicKey(String id) {
        return new TriggerKey("periodic", GROUP + "." + id);
    }

    private void unschedule(TriggerKey key) {
        try {
            quartz.unscheduleJob(key);
        } catch (SchedulerException e) {
            LOG.log(Level.FINE, "unscheduling " + key, e);
        }
    }
}
