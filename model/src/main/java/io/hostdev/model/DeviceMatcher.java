package io.hostdev.model;

/**
 * Decides whether a device, at its place in a tree, belongs to a view. Selectors implement it;
 * subscriber views and listings only need this.
 */
@FunctionalInterface
public interface DeviceMatcher {

    boolean matches(Device device, DeviceContext context);

    /** Matches every device. */
    DeviceMatcher ALL = (d, c) -> true;
}
