package io.hostdev.model.cap;

/** A SCSI generic character device ({@code sgN}). */
public record ScsiGenericCapability(String devnode) implements Capability {

    public static final String TYPE = "scsi_generic";

    @Override
    public String type() {
        return TYPE;
    }
}
