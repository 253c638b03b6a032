package io.hostdev.agent.service;

import java.time.Duration;
import java.time.Instant;

/**
 * How one scheduled probe is doing.
 *
 * @param id           the probe's stable id ({@code sysfs}, {@code capabilities}...)
 * @param lastRun      when its last run ended; null before the first
 * @param lastSuccess  when its last successful run ended; null if none yet
 * @param lastDuration how long the last run took
 * @param lastOk       whether the last run succeeded
 * @param lastError    why the last run failed (one line, no secrets); null after a success
 * @param runs         runs so far
 * @param failures     failed runs so far (errors and timeouts)
 */
public record ProbeStatus(String id, Instant lastRun, Instant lastSuccess, Duration lastDuration, boolean lastOk,
                          String lastError, long runs, long failures) {
}
