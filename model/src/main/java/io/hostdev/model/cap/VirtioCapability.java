package io.hostdev.model.cap;

/**
 * A virtio device: the device id from the virtio specification, its name there
 * ({@code net}, {@code block}, {@code console}...; absent for ids without a known name), and the
 * vendor id as {@code 0x}-hex.
 */
public record VirtioCapability(Integer deviceId, String deviceType, String vendor) implements Capability {

    public static final String TYPE = "virtio";

    @Override
    public String type() {
        return TYPE;
    }
}
