package io.hostdev.model.change;

import io.hostdev.model.Device;
import io.hostdev.model.DeviceContext;

import java.util.Objects;

/**
 * A device as it was at one moment, with its place in the tree, so that a selector can be
 * evaluated against a change event long after the tree it came from is gone.
 */
public record DeviceState(Device device, DeviceContext context) {

    public DeviceState {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(context, "context");
    }
}
