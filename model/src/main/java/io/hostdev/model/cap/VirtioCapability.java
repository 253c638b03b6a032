package io.hostdev.model.cap;

/**
 * A virtio device: the numeric device id from the virtio specification and its name
 * ({@code net}, {@code block}, {@code console}...), and the vendor id.
 */
public record VirtioCapability(int deviceId, String deviceType, String vendor) implements Capability {

    public static final String TYPE = "virtio";

    @Override
    public String type() {
        return TYPE;
    }
}
