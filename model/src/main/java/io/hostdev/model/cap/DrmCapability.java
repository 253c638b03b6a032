package io.hostdev.model.cap;

/**
 * A DRM device node or display connector. {@code kind} is {@code primary}, {@code render} or
 * {@code control} as in libvirt, or {@code connector}; only connectors carry the other fields.
 *
 * @param connector the connector's name without its card prefix, e.g. {@code HDMI-A-1}
 * @param status    {@code connected}, {@code disconnected} or {@code unknown}, as the kernel reports it
 * @param enabled   whether a display pipeline drives the connector
 */
public record DrmCapability(String kind, String connector, String status, Boolean enabled) implements Capability {

    public static final String TYPE = "drm";

    public static DrmCapability node(String kind) {
        return new DrmCapability(kind, null, null, null);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
