package io.hostdev.agent.core;

import io.hostdev.agent.config.ProbeSchedule;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.host.Capabilities;

import java.util.Objects;
import java.util.Set;
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

    /**
     * The device tree: every run's tree is diffed against the previous one; a failure marks it stale.
     * {@code reread}, when there is one, reads only some devices again (a targeted reprobe); null
     * makes every reprobe a full run.
     */
    record Devices(String id, ProbeSchedule schedule, Callable<DeviceTree> read, Reread reread)
            implements AgentProbe {
        public Devices {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(schedule, "schedule");
            Objects.requireNonNull(read, "read");
        }

        /** Without targeted reprobes. */
        public Devices(String id, ProbeSchedule schedule, Callable<DeviceTree> read) {
            this(id, schedule, read, null);
        }
    }

    /** Reads the devices at some host paths again, over the tree the last reads made. */
    @FunctionalInterface
    interface Reread {
        /**
         * @param tree  the tree as the probe's last reads left it (no overlays)
         * @param paths host paths ({@code /sys/devices/...}) that changed: a device, a directory
         *              inside one, or a path that is gone
         * @return the tree with those devices and their subtrees read again, and the paths of the
         *         devices read; null when only a full run can tell (the caller then asks for one)
         */
        Result reread(DeviceTree tree, Set<String> paths) throws Exception;

        /** A reread's tree and the host paths of the devices it read again. */
        record Result(DeviceTree tree, Set<String> reread) {
            public Result {
                Objects.requireNonNull(tree, "tree");
                reread = Set.copyOf(reread);
            }
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
