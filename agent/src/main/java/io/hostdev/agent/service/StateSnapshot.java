package io.hostdev.agent.service;

import io.hostdev.agent.journal.Cursor;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.host.Capabilities;

import java.time.Instant;
import java.util.Objects;

/**
 * The agent's state at one moment: the device tree, the capabilities document (null until the
 * capabilities probe has run), and the cursor of the last journal event the tree reflects — a
 * client that lists at this snapshot and then follows changes from {@code cursor} misses nothing.
 */
public record StateSnapshot(DeviceTree tree, Capabilities capabilities, Cursor cursor, Instant updated) {

    public StateSnapshot {
        Objects.requireNonNull(tree, "tree");
        Objects.requireNonNull(cursor, "cursor");
        Objects.requireNonNull(updated, "updated");
    }
}
