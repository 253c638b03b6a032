package io.hostdev.agent.client;

import io.hostdev.exporters.ListSummary;
import io.hostdev.model.Device;

import java.util.List;

/**
 * {@code GET /v1/devices}: the matching devices in tree order, their summary, and the cursor of the
 * state they were listed at (follow changes from it to miss nothing).
 */
public record Listing(String cursor, List<Device> devices, ListSummary summary) {

    public Listing {
        devices = List.copyOf(devices);
    }
}
