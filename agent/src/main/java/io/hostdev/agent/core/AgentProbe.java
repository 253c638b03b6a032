package io.hostdev.agent.core;

import io.hostdev.agent.config.ProbeSchedule;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.host.Capabilities;

import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * One probe as the agent schedules it: a stable id, its schedule, and what one run reads. The
 * agent's core knows two kinds: the one that builds the device tree (diffed and journaled) and the
 * one that builds the capabilities document (kept as the latest good one). {@link StandardProbes}
 * makes the real ones; tests make their own over fixture trees.
 */
public sealed interface AgentProbe permits AgentProbe.Devices, AgentProbe.Host {

    String id();

    ProbeSchedule schedule();

    /** The device tree: every run's tree is diffed against the previous one; a failure marks it stale. */
    record Devices(String id, ProbeSchedule schedule, Callable<DeviceTree> read) implements AgentProbe {
        public Devices {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(schedule, "schedule");
            Objects.requireNonNull(read, "read");
        }
    }

    /** The capabilities document: a success replaces it, a failure keeps the last good one. */
    record Host(String id, ProbeSchedule schedule, Callable<Capabilities> read) implements AgentProbe {
        public Host {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(schedule, "schedule");
            Objects.requireNonNull(read, "read");
        }
    }
}
