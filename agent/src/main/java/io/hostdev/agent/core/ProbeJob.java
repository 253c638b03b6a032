package io.hostdev.agent.core;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.InterruptableJob;
import org.quartz.JobExecutionContext;

/**
 * The Quartz job of one probe. Quartz never runs two executions of one job at once
 * ({@link DisallowConcurrentExecution}): a trigger that fires while a run is in progress waits for
 * it to end. {@link #interrupt} is how a stopping agent stops waiting for a probe.
 */
@DisallowConcurrentExecution
final class ProbeJob implements InterruptableJob {

    private final ProbeScheduler scheduler;
    private final String probeId;
    private volatile Thread thread;

    ProbeJob(ProbeScheduler scheduler, String probeId) {
        this.scheduler = scheduler;
        this.probeId = probeId;
    }

    @Override
    public void execute(JobExecutionContext context) {
        thread = Thread.currentThread();
        try {
            scheduler.execute(probeId, context.getTrigger().getKey());
        } finally {
            thread = null;
            // an interrupt meant for this run must not reach the next job on this pooled thread
            Thread.interrupted();
        }
    }

    @Override
    public void interrupt() {
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }
}
