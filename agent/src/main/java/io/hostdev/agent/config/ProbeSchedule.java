package io.hostdev.agent.config;

import java.time.Duration;
import java.util.Objects;

/**
 * When one probe runs. After each run ends, the next starts {@code interval} plus a random delay
 * between zero and {@code jitter} later; the first run starts when the agent starts. A run that
 * takes longer than {@code timeout} counts as failed (docs/agent.md, "Scheduling").
 */
public record ProbeSchedule(boolean enabled, Duration interval, Duration timeout, Duration jitter) {

    public ProbeSchedule {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(jitter, "jitter");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive, not " + interval);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, not " + timeout);
        }
        if (jitter.isNegative()) {
            throw new IllegalArgumentException("jitter must not be negative, not " + jitter);
        }
    }

    public ProbeSchedule withInterval(Duration d) {
        return new ProbeSchedule(enabled, d, timeout, jitter);
    }

    public ProbeSchedule withTimeout(Duration d) {
        return new ProbeSchedule(enabled, interval, d, jitter);
    }

    public ProbeSchedule withJitter(Duration d) {
        return new ProbeSchedule(enabled, interval, timeout, d);
    }

    public ProbeSchedule withEnabled(boolean e) {
        return new ProbeSchedule(e, interval, timeout, jitter);
    }
}
