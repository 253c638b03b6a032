package io.hostdev.agent.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The {@code oshi} enrichment (docs/oshi.md): OSHI's view of the computer, read on a thread of its
 * own, never on the probe scheduler's.
 *
 * @param enabled  whether the agent reads OSHI at all (it does so only on the live root)
 * @param interval the time between two reads; the first comes shortly after the start
 * @param timeout  a read longer than this is given up: the last good facts stay
 */
public record OshiSettings(boolean enabled, Duration interval, Duration timeout) {

    public OshiSettings {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
    }
}
