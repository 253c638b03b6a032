package io.hostdev.model.cap;

/** A DRM node; {@code kind} is {@code primary}, {@code render} or {@code control} as in libvirt. */
public record DrmCapability(String kind) implements Capability {

    public static final String TYPE = "drm";

    @Override
    public String type() {
        return TYPE;
    }
}
