package io.hostdev.model.change;

import io.hostdev.model.DeviceTree;

import java.util.Objects;

/** What one probe cycle gave: a new tree, or a failure that says why there is none. */
public sealed interface ProbeOutcome {

    /** The probe read the host; {@code tree} is everything it found. */
    record Success(DeviceTree tree) implements ProbeOutcome {
        public Success {
            Objects.requireNonNull(tree, "tree");
        }
    }

    /**
     * The probe could not read the host (its root unreadable, a timeout, an exception); {@code reason}
     * is for logs and health, never for the devices.
     */
    record Failure(String reason) implements ProbeOutcome {
        public Failure {
            Objects.requireNonNull(reason, "reason");
        }
    }

    static ProbeOutcome success(DeviceTree tree) {
        return new Success(tree);
    }

    static ProbeOutcome failure(String reason) {
        return new Failure(reason);
    }
}
